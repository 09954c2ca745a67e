/**
 * `siteform apply [FILE]`: carries out a plan. With FILE (from `siteform plan -o`), the saved
 * plan is checked (format, then staleness against freshly re-read servers) and exactly its ops
 * run; nothing is sent when it is stale. Without FILE, apply plans, shows the plan and asks for
 * `yes` (or takes --auto-approve). Human output (plan, report) on stdout; progress and logs on
 * stderr, logs in a --log-file instead when given.
 */
import { writeFile } from "node:fs/promises";
import { extname, resolve } from "node:path";
import type { Command } from "commander";
import type { Logger } from "pino";
import {
  Journal,
  applyPlan,
  checkFormat,
  checkStale,
  createApplyLogger,
  createProgress,
  fanOut,
  logApplyEvents,
  logFileDestination,
  recollect,
  renderApplyJson,
  renderApplyMarkdown,
  renderApplyText,
  type ApplyEventSink,
  type ApplyReport,
  type ConcurrencyLimits,
} from "../applier/index.js";
import { planExitCode } from "../engine/plan-run.js";
import { withProviders } from "../engine/providers.js";
import { loadInventory } from "../inventory/index.js";
import type { Inventory } from "../model/inventory.js";
import type { Plan } from "../model/plan.js";
import { fingerprintOf } from "../planner/index.js";
import { readPlanFile } from "../engine/plan-file-io.js";
import type { Provider } from "../providers/provider.js";
import { renderPlan } from "../render/index.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode, ExitError } from "./exit.js";
import type { CliIO } from "./io.js";
import { planFromFlags, printInventoryDiagnostics } from "./planned.js";
import { collect, parseCount, parseFormat, type ReportFormat } from "./options.js";

interface ApplyFlags {
  dir: string;
  server?: string[];
  autoApprove?: boolean;
  failFast?: boolean;
  reportFile?: string;
  reportFormat?: ReportFormat;
  journal?: string;
  logFile?: string;
  allowDeletes?: number;
  reset?: boolean;
}

/** Ops in flight over all servers together; each server is bounded by its own `concurrency` too. */
export const TOTAL_CONCURRENCY = 64;

/** The only answer that applies: anything else (y, Yes, an empty line) cancels. */
const CONFIRMATION = "yes";

export const registerApply: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  program
    .command("apply")
    .description(
      "Carry out a plan: a saved plan file (checked against the servers first, refused when stale), or a fresh plan after you confirm it.",
    )
    .argument("[file]", "a plan file written by `siteform plan -o FILE`; without it apply plans now and asks for confirmation")
    .option("--dir <dir>", "the inventory directory", ".")
    .option("--server <name>", "only this server (repeatable)", collect)
    .option("--auto-approve", "apply a fresh plan without asking (for CI)")
    .option("--fail-fast", "start no new operation after the first that does not succeed")
    .option("--report-file <file>", "also write the apply report to this file")
    .option("--report-format <format>", "format of --report-file: text, markdown or json (default: from its extension, .md or .json, else text)", parseFormat)
    .option("--journal <file>", "append a JSON line per operation start and finish to this file")
    .option("--log-file <file>", "write the structured (JSON) logs to this file instead of stderr")
    .option("--allow-deletes <n>", "without FILE: allow up to N deletions per server (more than policy.max_deletes), or emptying a server of at most N sites", parseCount)
    .option("--reset", "without FILE: a change of plan also resets the site's settings to the plan's defaults")
    .action(async (file: string | undefined, flags: ApplyFlags) => {
      result.exitCode = file === undefined ? await applyFresh(flags, io) : await applyFile(file, flags, io);
    });
};

// ---- apply FILE ------------------------------------------------------------------------------

async function applyFile(file: string, flags: ApplyFlags, io: CliIO): Promise<number> {
  if (flags.allowDeletes !== undefined || flags.reset === true) {
    throw new ExitError(
      `${flags.reset === true ? "--reset" : "--allow-deletes"} changes how a plan is made, not how it runs: ${file} was planned already. ` +
        "Plan again with the flag (`siteform plan -o FILE ...`) and apply that file.",
    );
  }
  const read = await readPlanFile(resolve(io.cwd, file), file);
  if (!read.ok) throw new ExitError(`${read.errors.join("\n")}\nNothing was applied.`);
  const plan = read.plan;
  const format = checkFormat(plan);
  if (!format.ok) throw new ExitError(`${file}: ${format.message}. Nothing was applied.`);
  if (plan.diagnostics.some((d) => d.severity === "error") || plan.servers.some((s) => s.error !== null)) {
    throw new ExitError(`${file} is a plan with errors (see \`siteform show ${file}\`); siteform does not apply such a plan. Fix the errors and plan again.`);
  }
  const touched = touchedServers(plan);
  if (flags.server !== undefined && flags.server.length > 0) {
    const outside = touched.filter((name) => !flags.server?.includes(name));
    if (outside.length > 0) {
      throw new ExitError(
        `${file} also changes server ${outside.join(", ")}, which --server does not name; a saved plan is applied whole. ` +
          "Plan only the servers you want (`siteform plan --server NAME -o FILE`) and apply that file. Nothing was applied.",
      );
    }
  }
  if (plan.ops.length === 0) {
    io.stdout(`No changes: ${file} has no operations; nothing to apply.\n`);
    return ExitCode.ok;
  }
  const inventory = await loadFor(flags, io, touched);
  if (inventory === null) return ExitCode.error;
  const missing = touched.filter((name) => !inventory.servers.some((s) => s.name === name));
  if (missing.length > 0) {
    throw new ExitError(`${file} changes server ${missing.join(", ")}, which siteform.yaml no longer defines; plan again. Nothing was applied.`);
  }
  return withServers(inventory, touched, io, async (providers) => {
    io.stderr(`checking ${file} against the servers (${touched.join(", ")}) ...\n`);
    if (!(await isCurrent(plan, providers, io))) return ExitCode.error;
    return runApply(plan, inventory, providers, flags, io);
  });
}

// ---- apply without FILE --------------------------------------------------------------------

async function applyFresh(flags: ApplyFlags, io: CliIO): Promise<number> {
  const run = await planFromFlags(flags, io, { allowDeletes: flags.allowDeletes ?? null, resetPlanDefaults: flags.reset ?? false });
  if (run === null) return ExitCode.error;
  const { plan, inventory } = run;
  io.stdout(renderPlan(plan, "text", { color: io.isTTY }));
  if (planExitCode(plan, false) === ExitCode.error) {
    io.stderr("error: the plan has errors (see above); nothing was applied. Fix them and run apply again.\n");
    return ExitCode.error;
  }
  if (plan.ops.length === 0) {
    io.stdout("Nothing to apply.\n");
    return ExitCode.ok;
  }
  const approved = await confirm(plan, flags, io);
  if (approved !== true) {
    io.stderr(`${approved}\n`);
    return ExitCode.error;
  }
  const touched = touchedServers(plan);
  return withServers(inventory, touched, io, async (providers) => {
    // Time may have passed while a person read the plan: the same check as for a saved plan.
    if (flags.autoApprove !== true && !(await isCurrent(plan, providers, io))) return ExitCode.error;
    return runApply(plan, inventory, providers, flags, io);
  });
}

/** true when the person typed `yes` (or --auto-approve); otherwise why nothing is applied. */
async function confirm(plan: Plan, flags: ApplyFlags, io: CliIO): Promise<true | string> {
  if (flags.autoApprove === true) return true;
  const n = plan.ops.length;
  const question = `\n${n === 1 ? "Apply this operation?" : `Apply these ${n} operations?`} Only '${CONFIRMATION}' is accepted: `;
  const answer = io.prompt === undefined ? null : await io.prompt(question);
  if (answer === null) {
    return (
      "error: nothing was applied: apply without a plan file asks for confirmation on a terminal, and there is none here. " +
      "Pass --auto-approve to apply without asking (as CI does), or save the plan with `siteform plan -o FILE`, review it and run `siteform apply FILE`."
    );
  }
  if (io.interrupted.aborted) return "Apply cancelled (interrupted); nothing was applied.";
  if (answer.trim() !== CONFIRMATION) return `Apply cancelled: the answer was not '${CONFIRMATION}'; nothing was applied.`;
  return true;
}

// ---- shared --------------------------------------------------------------------------------

function touchedServers(plan: Plan): string[] {
  return [...new Set(plan.ops.map((op) => op.server))].sort();
}

async function loadFor(flags: ApplyFlags, io: CliIO, servers: readonly string[]): Promise<Inventory | null> {
  const loaded = await loadInventory(resolve(io.cwd, flags.dir), { env: io.env, requireKeys: servers });
  if (!loaded.ok) {
    printInventoryDiagnostics(loaded.diagnostics, loaded.files, io);
    io.stderr("error: the inventory is not valid (see above); nothing was applied.\n");
    return null;
  }
  return loaded.inventory;
}

async function withServers(
  inventory: Inventory,
  servers: readonly string[],
  io: CliIO,
  use: (providers: ReadonlyMap<string, Provider>) => Promise<number>,
): Promise<number> {
  let opened = false;
  try {
    return await withProviders(inventory, servers, io.env, (providers) => {
      opened = true;
      return use(providers);
    });
  } catch (err) {
    // Only setting up a connection (a key that is not set, an unreadable CA file) throws here; those messages never hold the key.
    if (opened) throw err;
    throw new ExitError(`${err instanceof Error ? err.message : String(err)}; nothing was applied.`);
  }
}

/** Re-reads the servers and checks the plan still describes them; prints why not and returns false. */
async function isCurrent(plan: Plan, providers: ReadonlyMap<string, Provider>, io: CliIO): Promise<boolean> {
  const observed = await recollect(plan, providers);
  const stale = checkStale(plan, observed, fingerprintOf);
  if (!stale.stale) return true;
  io.stderr(`error: ${stale.message ?? "the plan is stale; nothing was applied."}\n`);
  return false;
}

function concurrencyFor(inventory: Inventory, servers: readonly string[]): ConcurrencyLimits {
  const perServer: Record<string, number> = {};
  for (const server of inventory.servers) if (servers.includes(server.name)) perServer[server.name] = server.concurrency;
  const sum = Object.values(perServer).reduce((a, b) => a + b, 0);
  return { perServer, total: Math.max(1, Math.min(TOTAL_CONCURRENCY, sum)) };
}

interface Outputs {
  sink: ApplyEventSink;
  close: () => void;
}

/** Progress on stderr; logs to --log-file (info) or to stderr (warnings and worse, so progress stays readable); the journal. */
function openOutputs(flags: ApplyFlags, io: CliIO): Outputs {
  const closers: Array<() => void> = [];
  try {
    const sinks: ApplyEventSink[] = [createProgress({ isTTY: io.isTTY, write: io.stderr, now: Date.now })];
    let logger: Logger;
    if (flags.logFile !== undefined) {
      const destination = logFileDestination(resolve(io.cwd, flags.logFile));
      closers.push(() => (destination as { end?: () => void }).end?.());
      logger = createApplyLogger(destination, { level: "info" });
    } else {
      logger = createApplyLogger({ write: (line: string) => io.stderr(line) }, { level: "warn" });
    }
    sinks.push(logApplyEvents(logger));
    if (flags.journal !== undefined) {
      const journal = new Journal(resolve(io.cwd, flags.journal));
      closers.push(() => journal.close());
      sinks.push(journal.write);
    }
    return { sink: fanOut(...sinks), close: () => closeAll(closers) };
  } catch (err) {
    closeAll(closers);
    const reason = err instanceof Error ? err.message : String(err);
    throw new ExitError(`cannot open the apply's journal or log file: ${reason}; nothing was applied.`);
  }
}

function closeAll(closers: ReadonlyArray<() => void>): void {
  for (const close of closers) {
    try {
      close();
    } catch {
      // Closing is best effort: every record was written synchronously already.
    }
  }
}

/** The report format a file name suggests: `report.md` markdown, `report.json` JSON, anything else text. */
function formatOfPath(path: string): ReportFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".md" || ext === ".markdown") return "markdown";
  return ext === ".json" ? "json" : "text";
}

function renderReport(report: ApplyReport, format: ReportFormat): string {
  switch (format) {
    case "text":
      return renderApplyText(report);
    case "markdown":
      return renderApplyMarkdown(report);
    case "json":
      return renderApplyJson(report);
  }
}

async function runApply(plan: Plan, inventory: Inventory, providers: ReadonlyMap<string, Provider>, flags: ApplyFlags, io: CliIO): Promise<number> {
  const outputs = openOutputs(flags, io);
  let report: ApplyReport;
  try {
    report = await applyPlan(plan, {
      providers,
      concurrency: concurrencyFor(inventory, touchedServers(plan)),
      failFast: flags.failFast ?? false,
      signal: io.interrupted,
      events: outputs.sink,
    });
  } finally {
    outputs.close();
  }
  io.stdout(`\n${renderApplyText(report)}`);
  let code: number = report.ok ? ExitCode.ok : ExitCode.error;
  if (flags.reportFile !== undefined) {
    try {
      const format = flags.reportFormat ?? formatOfPath(flags.reportFile);
      await writeFile(resolve(io.cwd, flags.reportFile), renderReport(report, format), { encoding: "utf8", mode: 0o644 });
    } catch (err) {
      io.stderr(`error: cannot write the report to ${flags.reportFile}: ${err instanceof Error ? err.message : String(err)}\n`);
      code = ExitCode.error;
    }
  }
  if (report.interrupted) io.stderr("apply was interrupted: ops not started are listed as skipped; plan again to see what is left.\n");
  return code;
}
