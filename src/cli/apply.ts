/**
 * `siteform apply [FILE]`: carries out a plan. With FILE (from `siteform plan -o`), the saved
 * plan is a proposal: apply takes the servers' locks, plans again from the current inventory
 * and a fresh read, and runs the file's ops only if they are exactly what it would do now;
 * otherwise it names each op that differs and why, and sends nothing. Without FILE, apply plans,
 * shows the plan and asks for `yes` (or takes --auto-approve), then makes the same check under
 * the locks. Either way the applier enforces the deletion rules itself and re-reads each op's
 * target right before sending it. Human output (plan, report) on stdout; progress and logs on
 * stderr, logs in a --log-file instead when given.
 */
import { writeFile } from "node:fs/promises";
import { extname, resolve } from "node:path";
import type { Command } from "commander";
import {
  FORCED_MESSAGE,
  Journal,
  applyPlan,
  checkFormat,
  createApplyLogger,
  createProgress,
  deletionRulesFor,
  paidRulesFor,
  fanOut,
  logApplyEvents,
  logFileDestination,
  renderApplyJson,
  renderApplyMarkdown,
  renderApplyText,
  type ApplyEventSink,
  type ApplyReport,
  type ConcurrencyLimits,
} from "../applier/index.js";
import { planExitCode } from "../engine/plan-run.js";
import { withProviders } from "../engine/providers.js";
import { checkAgainst, replan, type Replanned } from "../engine/replan.js";
import { LockError, defaultLockDir, withServerLocks } from "../engine/server-lock.js";
import { loadInventory } from "../inventory/index.js";
import type { Catalogue } from "../kinds/catalogue.js";
import type { Inventory } from "../model/inventory.js";
import type { Plan } from "../model/plan.js";
import { CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX } from "../planner/index.js";
import { readPlanFile } from "../engine/plan-file-io.js";
import type { Provider } from "../providers/provider.js";
import { renderPlan } from "../render/index.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode, ExitError, InterruptedError } from "./exit.js";
import type { CliIO } from "./io.js";
import { logFormatOf, useColor } from "./output.js";
import { planFromFlags, printInventoryDiagnostics } from "./planned.js";
import { collect, parseCount, parseDuration, parseFormat, type ReportFormat } from "./options.js";

interface ApplyFlags {
  dir: string;
  server?: string[];
  target?: string[];
  autoApprove?: boolean;
  failFast?: boolean;
  reportFile?: string;
  reportFormat?: ReportFormat;
  journal?: string;
  logFile?: string;
  allowDeletes?: number;
  allowPaid?: number;
  reset?: boolean;
  lockTimeout?: number;
}

/** How long apply waits for another apply on the same server when --lock-timeout is not given. */
const DEFAULT_LOCK_TIMEOUT_MS = 10 * 60_000;

/** Ops in flight over all servers together; each server is bounded by its own `concurrency` too. */
export const TOTAL_CONCURRENCY = 64;

/** The only answer that applies: anything else (y, Yes, an empty line) cancels. */
const CONFIRMATION = "yes";

/** The suspension reasons siteform writes: a deletion must let the server check for one of them. */
const OWNER_TAGS = [CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX];

export const registerApply: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  program
    .command("apply")
    .description(
      "Carry out a plan: a saved plan file (planned again first and refused unless it is exactly what siteform would do now), or a fresh plan after you confirm it.",
    )
    .argument("[file]", "a plan file written by `siteform plan -o FILE`; without it apply plans now and asks for confirmation")
    .option("--dir <dir>", "the inventory directory", ".")
    .option("--server <name>", "only this server (repeatable)", collect)
    .option("--target <resource>", "only this resource and what it waits for: its name, id or inventory file, optionally after its server (fra1/example.com); repeatable; ignored with a plan file, which keeps its own", collect)
    .option("--auto-approve", "apply a fresh plan without asking (for CI)")
    .option("--fail-fast", "start no new operation after the first that does not succeed")
    .option("--report-file <file>", "also write the apply report to this file")
    .option("--report-format <format>", "format of --report-file: text, markdown or json (default: from its extension, .md or .json, else text)", parseFormat)
    .option("--journal <file>", "append a JSON line per operation start and finish to this file")
    .option("--log-file <file>", "write the structured (JSON) logs to this file instead of stderr")
    .option("--allow-deletes <n>", "allow up to N deletions per server (more than policy.max_deletes), or emptying a server of at most N resources; needed here as for plan", parseCount)
    .option("--allow-paid <n>", "allow up to N operations that cost money (more than policy.max_paid_ops); needed here as for plan", parseCount)
    .option("--reset", "without FILE: a change of plan also resets the site's settings to the plan's defaults (a plan file records it)")
    .option("--lock-timeout <duration>", "how long to wait while another apply changes the same server: 90s, 10m (the default), or 0 to refuse at once", parseDuration)
    .action(async (file: string | undefined, flags: ApplyFlags) => {
      result.exitCode = file === undefined ? await applyFresh(flags, io) : await applyFile(file, flags, io);
    });
};

// ---- apply FILE ------------------------------------------------------------------------------

async function applyFile(file: string, flags: ApplyFlags, io: CliIO): Promise<number> {
  if (flags.reset === true) {
    throw new ExitError(
      `--reset changes how a plan is made, and ${file} records how it was made: plan again with the flag (\`siteform plan --reset -o FILE\`) and apply that file.`,
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
  // Every server the file planned is planned again, not only those it changes: a file whose
  // ops for one server were removed would otherwise look like a plan with nothing to do there.
  const planned = plan.servers.map((s) => s.name);
  const inventory = await loadFor(flags, io, planned);
  if (inventory === null) return ExitCode.error;
  const missing = planned.filter((name) => !inventory.servers.some((s) => s.name === name));
  if (missing.length > 0) {
    const other = plan.inventory.dir === inventory.dir ? "" : ` (${file} was planned from ${plan.inventory.dir}; this apply reads ${inventory.dir}: pass --dir ${plan.inventory.dir} if that is the one you meant)`;
    throw new ExitError(`${file} was planned for server ${missing.join(", ")}, which siteform.yaml does not define${other}. Nothing was applied.`);
  }
  const unknownKinds = [...new Set(plan.ops.map((op) => op.kind))].filter((kind) => !inventory.catalogue.has(kind));
  if (unknownKinds.length > 0) {
    throw new ExitError(`${file} has operations on ${unknownKinds.map((k) => JSON.stringify(k)).join(", ")}, which no provider of this siteform declares (known: ${inventory.catalogue.ids().join(", ")}). Nothing was applied.`);
  }
  return locked(inventory, touched, `apply ${file}`, flags, io, async () => {
    io.stderr(`checking ${file}: planning again from ${inventory.dir} and a fresh read of ${planned.join(", ")} ...\n`);
    const fresh = await replanNow(inventory, planned, { allowDeletes: flags.allowDeletes ?? null, allowPaid: flags.allowPaid ?? null, reset: plan.options.reset, targets: plan.options.targets ?? null }, io);
    if (!acceptable(fresh.plan, "file", io)) return ExitCode.error;
    const check = checkAgainst(plan, fresh, { inventory, intact: read.intact, label: file, explainTime: true });
    if (!check.ok) {
      io.stderr(`error: ${check.message ?? "the plan differs from what siteform would do now; nothing was applied."}\n`);
      return ExitCode.error;
    }
    // The re-derived ops are the file's ops (checked above); they also hold what the file cannot, secrets aside.
    return withServers(inventory, touched, io, (providers) => runApply(fresh.plan, inventory, providers, flags, io));
  });
}

// ---- apply without FILE --------------------------------------------------------------------

async function applyFresh(flags: ApplyFlags, io: CliIO): Promise<number> {
  const run = await planFromFlags(flags, io, { allowDeletes: flags.allowDeletes ?? null, allowPaid: flags.allowPaid ?? null, resetPlanDefaults: flags.reset ?? false, quotePaid: true });
  if (run === null) return ExitCode.error;
  const { plan, inventory } = run;
  io.stdout(renderPlan(plan, "text", inventory.catalogue, { color: useColor(io) }));
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
  return locked(inventory, touched, "apply", flags, io, async () => {
    // Under the lock, plan again: time may have passed while a person read the plan, and another
    // apply may have changed the server while this one waited for the lock.
    const fresh = await replanNow(inventory, plan.servers.map((s) => s.name), { allowDeletes: flags.allowDeletes ?? null, allowPaid: flags.allowPaid ?? null, reset: flags.reset ?? false, targets: flags.target ?? null }, io);
    if (!acceptable(fresh.plan, "fresh", io)) return ExitCode.error;
    const check = checkAgainst(plan, fresh, { inventory, intact: true, label: "the plan shown", explainTime: false });
    if (!check.ok) {
      io.stderr(`error: ${check.message ?? "the servers changed since the plan was shown; nothing was applied."}\n`);
      return ExitCode.error;
    }
    return withServers(inventory, touched, io, (providers) => runApply(fresh.plan, inventory, providers, flags, io));
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
  let loaded;
  try {
    loaded = await loadInventory(resolve(io.cwd, flags.dir), { env: io.env, requireKeys: servers, signal: io.interrupted });
  } catch (err) {
    // The loader stops between files (and between checks) by throwing the signal's reason.
    if (io.interrupted.aborted && err === io.interrupted.reason) throw new InterruptedError("nothing was applied");
    throw err;
  }
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
    // The second interrupt closes the connections, ending calls in flight; the first lets them finish.
    return await withProviders(
      inventory,
      servers,
      io.env,
      (providers) => {
        opened = true;
        return use(providers);
      },
      { signal: io.forced },
    );
  } catch (err) {
    // Only setting up a connection (a key that is not set, an unreadable CA file) throws here; those messages never hold the key.
    if (opened) throw err;
    throw new ExitError(`${err instanceof Error ? err.message : String(err)}; nothing was applied.`);
  }
}

/** Runs `use` holding every touched server's lock; waits for another apply (saying so) up to --lock-timeout. */
async function locked(inventory: Inventory, servers: readonly string[], purpose: string, flags: ApplyFlags, io: CliIO, use: () => Promise<number>): Promise<number> {
  const targets = servers.map((name) => ({ name, url: inventory.servers.find((s) => s.name === name)?.url ?? name }));
  try {
    return await withServerLocks(
      targets,
      { dir: defaultLockDir(io.env), timeoutMs: flags.lockTimeout ?? DEFAULT_LOCK_TIMEOUT_MS, onWait: (message) => io.stderr(`${message}\n`), signal: io.interrupted, purpose },
      use,
    );
  } catch (err) {
    if (!(err instanceof LockError)) throw err;
    if (err.reason === "interrupted") throw new InterruptedError("nothing was applied");
    throw new ExitError(err.message);
  }
}

/** Plans the servers again from a fresh read; an interrupt ends apply with nothing sent. */
async function replanNow(
  inventory: Inventory,
  servers: readonly string[],
  options: { allowDeletes: number | null; allowPaid: number | null; reset: boolean; targets: readonly string[] | null },
  io: CliIO,
): Promise<Replanned> {
  const fresh = await replan(inventory, { servers, env: io.env, ...options, now: new Date(), signal: io.interrupted });
  if (fresh === null) throw new InterruptedError("nothing was applied");
  return fresh;
}

/**
 * A plan made now that siteform itself would refuse (a server that cannot be read, more
 * deletions than allowed) is not applied, whatever the file says; prints why.
 */
function acceptable(plan: Plan, source: "file" | "fresh", io: CliIO): boolean {
  const problems: string[] = [];
  for (const server of plan.servers) if (server.error !== null) problems.push(`server ${server.name}: ${server.error}`);
  for (const d of plan.diagnostics) {
    if (d.severity !== "error") continue;
    const where = d.file === undefined ? "" : `${d.file}${d.line === undefined ? "" : `:${d.line}`}: `;
    // The planner's hint says to plan again with the flag; here the flag goes to apply.
    const hint = d.hint === undefined ? "" : `\n    hint: ${d.hint.replace(/plan again with (--allow-(?:deletes|paid) \d+)/, "run apply with $1 (as you did for plan)")}`;
    problems.push(`${where}${d.message}${hint}`);
  }
  if (problems.length === 0) return true;
  const what = source === "file" ? "Planned again now, siteform refuses this plan" : "Planned again under the lock, siteform refuses this plan";
  io.stderr(`error: ${what}; nothing was applied:\n${problems.map((p) => `  ${p}`).join("\n")}\n`);
  return false;
}

/** The limits apply runs with: each server's `concurrency`, and at most TOTAL_CONCURRENCY in all (the apply bench measures with these). */
export function concurrencyFor(inventory: Inventory, servers: readonly string[]): ConcurrencyLimits {
  const perServer: Record<string, number> = {};
  for (const server of inventory.servers) if (servers.includes(server.name)) perServer[server.name] = server.concurrency;
  const sum = Object.values(perServer).reduce((a, b) => a + b, 0);
  return { perServer, total: Math.max(1, Math.min(TOTAL_CONCURRENCY, sum)) };
}

interface Outputs {
  sink: ApplyEventSink;
  close: () => void;
}

/**
 * stderr carries each event once: progress lines (`--log-format text`) or JSON logs (`json`).
 * A --log-file gets the JSON logs as well, whatever stderr carries; the journal its records.
 */
function openOutputs(flags: ApplyFlags, io: CliIO, catalogue: Catalogue): Outputs {
  const closers: Array<() => void> = [];
  try {
    const sinks: ApplyEventSink[] = [];
    if (logFormatOf(io) === "json") sinks.push(logApplyEvents(createApplyLogger({ write: (line: string) => io.stderr(line) }, { level: "info", catalogue })));
    else sinks.push(createProgress({ isTTY: io.isTTY, write: io.stderr, now: Date.now }));
    if (flags.logFile !== undefined) {
      const destination = logFileDestination(resolve(io.cwd, flags.logFile));
      closers.push(() => (destination as { end?: () => void }).end?.());
      sinks.push(logApplyEvents(createApplyLogger(destination, { level: "info", catalogue })));
    }
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
  const outputs = openOutputs(flags, io, inventory.catalogue);
  let report: ApplyReport;
  try {
    report = await applyPlan(plan, {
      providers,
      concurrency: concurrencyFor(inventory, touchedServers(plan)),
      failFast: flags.failFast ?? false,
      catalogue: inventory.catalogue,
      deletionRules: deletionRulesFor(inventory, flags.allowDeletes ?? null, OWNER_TAGS),
      paidRules: paidRulesFor(inventory, flags.allowPaid ?? null),
      signal: io.interrupted,
      forced: io.forced,
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
  if (report.forced) {
    const inFlight = report.ops.filter((op) => op.message === FORCED_MESSAGE);
    io.stderr(
      `apply was stopped a second time: ${inFlight.length === 1 ? "1 op was" : `${inFlight.length} ops were`} in flight and may have completed` +
        `${inFlight.length === 0 ? "" : ` (${inFlight.map((op) => `${op.server} ${op.action} ${op.name}`).join(", ")})`}; ` +
        "ops not started are listed as skipped. Check those sites, then plan again.\n",
    );
    return ExitCode.interrupted;
  }
  if (report.interrupted) {
    io.stderr("apply was interrupted: ops in flight finished, ops not started are listed as skipped; plan again to see what is left.\n");
    return ExitCode.interrupted;
  }
  return code;
}
