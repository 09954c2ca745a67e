/**
 * `siteform plan`: what would change on each server, in order, with the guards applied.
 * Writes the plan file only when nothing was refused, so apply can never run a refused plan.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { planExitCode } from "../engine/plan-run.js";
import { PlanFileWriteError, writePlanFile } from "../engine/plan-file-io.js";
import { renderPlan } from "../render/index.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode, ExitError, stopIfInterrupted } from "./exit.js";
import type { CliIO } from "./io.js";
import { useColor } from "./output.js";
import { printWarnings } from "./warnings.js";
import { planFromFlags } from "./planned.js";
import { collect, parseCount, parseFormat, type ReportFormat } from "./options.js";

interface PlanFlags {
  dir: string;
  server?: string[];
  target?: string[];
  out?: string;
  format: ReportFormat;
  detailedExitcode?: boolean;
  allowDeletes?: number;
  allowPaid?: number;
  reset?: boolean;
}

export const registerPlan: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  program
    .command("plan")
    .description("Compare the inventory with what each server reports and show the operations that would make them match.")
    .option("--dir <dir>", "the inventory directory", ".")
    .option("--server <name>", "plan only this server (repeatable)", collect)
    .option("--target <resource>", "only this resource and what it waits for: its name, id or inventory file, optionally after its server (fra1/example.com); repeatable", collect)
    .option("-o, --out <file>", "write the plan document (JSON) for `siteform apply FILE`")
    .option("--format <format>", "text, markdown or json", parseFormat, "text")
    .option("--detailed-exitcode", "exit 2 when there are changes, 3 when they include a deletion")
    .option("--allow-deletes <n>", "allow up to N deletions per server (more than policy.max_deletes), or removing everything a server has when it has at most N", parseCount)
    .option("--allow-paid <n>", "allow up to N operations that cost money in this run (more than policy.max_paid_ops)", parseCount)
    .option("--reset", "a change of plan also resets the site's settings to the plan's defaults")
    .action(async (flags: PlanFlags) => {
      result.exitCode = await runPlanCommand(flags, io);
    });
};

async function runPlanCommand(flags: PlanFlags, io: CliIO): Promise<number> {
  const run = await planFromFlags(flags, io, { allowDeletes: flags.allowDeletes ?? null, allowPaid: flags.allowPaid ?? null, resetPlanDefaults: flags.reset ?? false, quotePaid: true });
  if (run === null) return ExitCode.error;
  const { plan } = run;
  // Inventory warnings (a protected cancelled site, …) go with the plan, as validate shows them.
  printWarnings(run.warnings, io, run.inventory.catalogue);
  const code = planExitCode(plan, flags.detailedExitcode ?? false);
  io.stdout(renderPlan(plan, flags.format, run.inventory.catalogue, { color: useColor(io) && flags.format === "text", fullPlanLocation: flags.out }));
  if (flags.out !== undefined) {
    if (code === ExitCode.error) {
      io.stderr(`error: the plan was not written to ${flags.out}: it has errors (see above); fix them and plan again\n`);
    } else {
      // Everything since the plan was made ran without yielding, but the file is the one thing
      // an interrupt must never leave behind: check right before writing it.
      stopIfInterrupted(io.interrupted, `the plan was shown above but not written to ${flags.out}`);
      try {
        await writePlanFile(resolve(io.cwd, flags.out), plan, run.inventory.catalogue);
      } catch (err) {
        if (err instanceof PlanFileWriteError) throw new ExitError(err.message);
        throw err;
      }
      io.stderr(`plan written to ${flags.out}; run it with: ${applyCommand(flags.out, flags.dir, io.cwd)}\n`);
    }
  }
  return code;
}

/**
 * The apply command for the file just written, runnable as printed from the same directory:
 * apply reads the inventory from --dir too, so a plan of another directory names it. --server
 * is left out: a plan file is applied whole.
 */
function applyCommand(file: string, dir: string, cwd: string): string {
  const words = ["siteform", "apply", shellQuote(file)];
  if (resolve(cwd, dir) !== resolve(cwd)) words.push("--dir", shellQuote(dir));
  return words.join(" ");
}

/** `word` as one POSIX shell word: as is when it holds nothing a shell would interpret, else single-quoted. */
function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
