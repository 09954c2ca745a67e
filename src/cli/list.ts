/**
 * `siteform list`: what siteform sees on each server, one line per resource: its id and name,
 * its state on the panel, and whether git has it (the inventory file and line that declares it,
 * and whether the plan would change it) or not (unmanaged). Reads only; the same read as `plan`.
 */
import { InvalidArgumentError, type Command } from "commander";
import type { Op } from "../model/op.js";
import type { DesiredResource, ObservedResource } from "../model/resource.js";
import { safeText } from "../render/format-value.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode } from "./exit.js";
import type { CliIO } from "./io.js";
import { collect } from "./options.js";
import { planFromFlags, type PlannedRun } from "./planned.js";

interface ListFlags {
  dir: string;
  server?: string[];
  format: "text" | "json";
}

/** One resource as `list` shows it. */
export interface ListedResource {
  server: string;
  kind: string;
  id: string;
  name: string;
  state: string;
  /** The inventory file and line that declares it; null when git does not have it. */
  source: { file: string; line: number } | null;
  /** What the plan would do to it now (`update`, `suspend`, …), in order; empty when it matches git. */
  planned: string[];
}

export const registerList: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  program
    .command("list")
    .description("List what siteform sees on each server: every resource with its id, state, the inventory file that declares it (or unmanaged) and what a plan would do to it. Changes nothing.")
    .option("--dir <dir>", "the inventory directory", ".")
    .option("--server <name>", "only this server (repeatable)", collect)
    .option("--format <format>", "text or json", parseListFormat, "text")
    .action(async (flags: ListFlags) => {
      result.exitCode = await runList(flags, io);
    });
};

function parseListFormat(value: string): "text" | "json" {
  if (value === "text" || value === "json") return value;
  throw new InvalidArgumentError("must be text or json");
}

async function runList(flags: ListFlags, io: CliIO): Promise<number> {
  const run = await planFromFlags(flags, io, { allowDeletes: null, resetPlanDefaults: false });
  if (run === null) return ExitCode.error;
  const listed = listResources(run);
  io.stdout(flags.format === "json" ? `${JSON.stringify({ servers: serverStates(run), resources: listed }, null, 2)}\n` : renderList(run, listed));
  return run.plan.servers.some((s) => s.error !== null) ? ExitCode.error : ExitCode.ok;
}

function serverStates(run: PlannedRun): Array<{ name: string; error: string | null }> {
  return run.plan.servers.map((s) => ({ name: s.name, error: s.error }));
}

export function listResources(run: PlannedRun): ListedResource[] {
  const opsById = new Map<string, Op[]>();
  for (const op of run.plan.ops) {
    if (op.target.id === null) continue;
    const key = `${op.server}\n${op.kind}\n${op.target.id}`;
    opsById.set(key, [...(opsById.get(key) ?? []), op]);
  }
  const unmanaged = new Set(run.plan.servers.flatMap((s) => s.unmanaged.map((u) => `${s.name}\n${u.kind}\n${u.id}`)));
  const byName = new Map<string, DesiredResource>();
  for (const d of run.inventory.resources) byName.set(`${d.server}\n${d.kind}\n${d.name.toLowerCase()}`, d);
  const byKey = new Map(run.inventory.resources.map((d) => [d.key, d]));
  const out: ListedResource[] = [];
  for (const server of run.observed) {
    if (!server.ok) continue;
    for (const o of server.resources) {
      const handle = `${o.server}\n${o.kind}\n${o.id}`;
      const ops = opsById.get(handle) ?? [];
      const desired = unmanaged.has(handle) ? undefined : desiredOf(o, ops, byKey, byName);
      out.push({
        server: o.server,
        kind: o.kind,
        id: o.id,
        name: o.name,
        state: o.state,
        source: desired === undefined ? null : { file: desired.source.file, line: desired.source.line },
        planned: ops.map((op) => op.action),
      });
    }
  }
  return out;
}

/** The inventory entry the plan matched it with: the one its ops name, else the one with its name. */
function desiredOf(o: ObservedResource, ops: readonly Op[], byKey: ReadonlyMap<string, DesiredResource>, byName: ReadonlyMap<string, DesiredResource>): DesiredResource | undefined {
  for (const op of ops) {
    const d = op.target.key === null ? undefined : byKey.get(op.target.key);
    if (d !== undefined) return d;
  }
  return byName.get(`${o.server}\n${o.kind}\n${o.name.toLowerCase()}`);
}

function renderList(run: PlannedRun, listed: readonly ListedResource[]): string {
  const lines: string[] = [];
  for (const server of run.plan.servers) {
    if (server.error !== null) {
      lines.push(`${safeText(server.name)}: could not be read: ${safeText(server.error)}`, "");
      continue;
    }
    const rows = listed.filter((r) => r.server === server.name);
    lines.push(`${safeText(server.name)} (${server.provider}): ${rows.length} resource${rows.length === 1 ? "" : "s"}`);
    const idWidth = Math.max(0, ...rows.map((r) => safeText(r.id).length));
    const nameWidth = Math.max(0, ...rows.map((r) => safeText(r.name).length));
    for (const r of rows) {
      const where = r.source === null ? "unmanaged (not in git)" : `${safeText(r.source.file)}:${r.source.line}`;
      const planned = r.planned.length === 0 ? (r.source === null ? "" : "  in sync") : `  plan: ${r.planned.join(", ")}`;
      lines.push(`  ${safeText(r.id).padEnd(idWidth)}  ${safeText(r.name).padEnd(nameWidth)}  ${r.state.padEnd(12)}  ${where}${planned}`);
    }
    lines.push("");
  }
  return `${lines.join("\n")}`;
}
