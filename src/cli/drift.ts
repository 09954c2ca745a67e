/**
 * `siteform drift`: how the servers differ from git, by class (missing, state, server plan,
 * modified, unmanaged). Reads only: it plans and reports the plan as differences. With
 * --detailed-exitcode: 0 no drift, 1 error, 2 drift, 3 drift whose fix deletes a site.
 */
import type { Command } from "commander";
import { classifyDrift, driftExitCode, renderDrift } from "../drift/index.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode } from "./exit.js";
import type { CliIO } from "./io.js";
import { planFromFlags } from "./planned.js";
import { collect, parseFormat, type ReportFormat } from "./options.js";

interface DriftFlags {
  dir: string;
  server?: string[];
  target?: string[];
  format: ReportFormat;
  detailedExitcode?: boolean;
}

export const registerDrift: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  program
    .command("drift")
    .description("Report how the servers differ from git: missing sites, state, server plan, modified fields, unmanaged sites. Changes nothing.")
    .option("--dir <dir>", "the inventory directory", ".")
    .option("--server <name>", "only this server (repeatable)", collect)
    .option("--target <resource>", "only this resource and what it waits for: its name, id or inventory file, optionally after its server (fra1/example.com); repeatable", collect)
    .option("--format <format>", "text, markdown or json", parseFormat, "text")
    .option("--detailed-exitcode", "exit 2 when there is drift, 3 when fixing it would delete a site")
    .action(async (flags: DriftFlags) => {
      result.exitCode = await runDrift(flags, io);
    });
};

async function runDrift(flags: DriftFlags, io: CliIO): Promise<number> {
  // Drift reports what differs; the deletion guards are about applying, not seeing.
  const run = await planFromFlags(flags, io, { allowDeletes: null, resetPlanDefaults: false });
  if (run === null) return ExitCode.error;
  const report = classifyDrift(run.plan, run.inventory.catalogue);
  io.stdout(renderDrift(report, flags.format));
  return driftExitCode(report, flags.detailedExitcode ?? false);
}
