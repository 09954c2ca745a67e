/**
 * `siteform usage`: disk and bandwidth used against each limit, for every resource on the servers
 * in scope (one usage read per server, through its provider), the managed ones apart from the
 * unmanaged ones, closest to a limit first. With `--over PERCENT` only those at or above it are
 * listed and the exit code says whether any is (2), so a schedule can raise the alarm. Reads only.
 */
import { resolve } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { loadFor, readUsage } from "../engine/resource-run.js";
import { catalogueOf } from "../providers/registry.js";
import { renderUsageJson, renderUsageMarkdown, renderUsageText } from "../resources/render-usage.js";
import { buildUsageReport } from "../resources/usage-report.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode, ExitError, InterruptedError } from "./exit.js";
import type { CliIO } from "./io.js";
import { collect, parseFormat, type ReportFormat } from "./options.js";
import { printInventoryDiagnostics } from "./planned.js";
import { createReadProgress } from "./read-progress.js";

interface UsageFlags {
  dir: string;
  server?: string[];
  target?: string[];
  format: ReportFormat;
  over?: number;
}

export const registerUsage: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  program
    .command("usage")
    .description(
      "Show disk and bandwidth used against each limit, for every resource on the servers, closest to a limit first; unmanaged resources apart. With --over PERCENT: only those at or above it, and exit 2 when there are any. Changes nothing.",
    )
    .option("--dir <dir>", "the inventory directory", ".")
    .option("--server <name>", "only this server (repeatable)", collect)
    .option("--target <resource>", "only this resource: its name, a user, its id or its inventory entry, optionally after its server (fra1/example.com); repeatable", collect)
    .option("--format <format>", "text, markdown or json", parseFormat, "text")
    .option("--over <percent>", "list only resources using at least PERCENT % of a disk or bandwidth limit, and exit 2 when there are any", parsePercent)
    .action(async (flags: UsageFlags) => {
      result.exitCode = await runUsage(flags, io);
    });
};

export function parsePercent(value: string): number {
  if (!/^\d+(?:\.\d+)?$/.test(value.trim()) || Number(value) > 100) throw new InvalidArgumentError("must be a percentage from 0 to 100 (90, 99.5)");
  return Number(value);
}

async function runUsage(flags: UsageFlags, io: CliIO): Promise<number> {
  const loaded = await loadFor({ dir: resolve(io.cwd, flags.dir), env: io.env, servers: flags.server ?? null, today: new Date().toISOString().slice(0, 10), signal: io.interrupted });
  if (loaded.kind === "interrupted") throw new InterruptedError();
  if (loaded.kind === "bad-scope") throw new ExitError(loaded.message);
  if (loaded.kind === "invalid-inventory") {
    printInventoryDiagnostics(loaded.diagnostics, loaded.files, io);
    return ExitCode.error;
  }
  const progress = createReadProgress(io, catalogueOf());
  const targets = flags.target ?? null;
  const reads = await readUsage(loaded.inventory, loaded.servers, { env: io.env, signal: io.interrupted, onRead: progress.sink, names: targets !== null }).finally(progress.close);
  if (io.interrupted.aborted) throw new InterruptedError();
  const built = buildUsageReport(loaded.inventory, reads.usage, { over: flags.over ?? null, targets, ...(reads.observed !== null && { observed: reads.observed }) });
  if (!built.ok) throw new ExitError(`${built.message}\n  hint: ${built.hint}`);
  const { report } = built;
  io.stdout(flags.format === "json" ? renderUsageJson(report) : flags.format === "markdown" ? renderUsageMarkdown(report) : renderUsageText(report));
  if (report.servers.some((s) => s.status === "failed")) return ExitCode.error;
  return report.overLimit ? ExitCode.attention : ExitCode.ok;
}
