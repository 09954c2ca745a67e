/**
 * `siteform drift`: how the servers differ from git, by class (missing, state, server plan,
 * modified, unmanaged). Reads only: it plans and reports the plan as differences. With
 * --detailed-exitcode: 0 no drift, 1 error, 2 drift, 3 drift whose fix deletes a site.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { classifyDrift, driftExitCode, renderDrift } from "../drift/index.js";
import { runPlan } from "../engine/plan-run.js";
import { renderText as renderInventoryText } from "../inventory/index.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode, ExitError } from "./exit.js";
import type { CliIO } from "./io.js";
import { collect, parseFormat, type ReportFormat } from "./options.js";

interface DriftFlags {
  dir: string;
  server?: string[];
  format: ReportFormat;
  detailedExitcode?: boolean;
}

export const registerDrift: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  program
    .command("drift")
    .description("Report how the servers differ from git: missing sites, state, server plan, modified fields, unmanaged sites. Changes nothing.")
    .option("--dir <dir>", "the inventory directory", ".")
    .option("--server <name>", "only this server (repeatable)", collect)
    .option("--format <format>", "text, markdown or json", parseFormat, "text")
    .option("--detailed-exitcode", "exit 2 when there is drift, 3 when fixing it would delete a site")
    .action(async (flags: DriftFlags) => {
      result.exitCode = await runDrift(flags, io);
    });
};

async function runDrift(flags: DriftFlags, io: CliIO): Promise<number> {
  const run = await runPlan({
    dir: resolve(io.cwd, flags.dir),
    env: io.env,
    servers: flags.server ?? null,
    // Drift reports what differs; the deletion guards are about applying, not seeing.
    allowDeletes: null,
    resetPlanDefaults: false,
    now: new Date(),
  });
  if (run.kind === "bad-scope") throw new ExitError(run.message);
  if (run.kind === "invalid-inventory") {
    io.stderr(renderInventoryText({ ok: false, inventory: null, diagnostics: run.diagnostics, files: [] }, { color: false }));
    return ExitCode.error;
  }
  const report = classifyDrift(run.plan);
  io.stdout(renderDrift(report, flags.format));
  return driftExitCode(report, flags.detailedExitcode ?? false);
}
