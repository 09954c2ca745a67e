/**
 * `siteform usage` as data: every resource's disk and bandwidth against its limits (bytes, as the
 * providers give them; nothing is converted here), the managed ones (paired with the inventory
 * entry that declares them, as the planner pairs them) apart from the unmanaged ones, each list
 * sorted by how close a resource is to a limit. With a threshold (`--over PERCENT`) only those
 * at or above it are listed and the report says whether any is. Pure: the reads come in.
 *
 * Usage answers carry an id and a name only, so pairing here uses the kind's id pin and its name
 * key: a resource whose name git is about to change (a rename not yet applied) shows under its
 * current name as unmanaged until the rename is applied.
 */
import type { KindModel } from "../kinds/catalogue.js";
import type { Inventory } from "../model/inventory.js";
import type { ObservedResource, ObservedServer } from "../model/resource.js";
import type { ResourceUsage, UsageFigure } from "../providers/provider.js";
import { namedResources, resolveResourceName } from "./resource-name.js";

/** One server's usage as read: its rows, or why there are none (`supported: false`: the panel offers no usage). */
export type ServerUsage =
  | { server: string; provider: string; ok: true; supported: boolean; rows: readonly ResourceUsage[] }
  | { server: string; provider: string; ok: false; error: string };

export interface FigureShare extends UsageFigure {
  /** used / limit in percent; null when unlimited. */
  percent: number | null;
}

export interface UsageRow {
  server: string;
  kind: string;
  id: string;
  name: string;
  /** The inventory entry that declares it; null when git does not have it. */
  source: { file: string; line: number } | null;
  disk: FigureShare | null;
  bandwidth: FigureShare | null;
  /** The larger share of a limit used, in percent; null when nothing it uses has a limit. */
  percent: number | null;
}

export interface UsageReport {
  /** `--over`: only resources at or above this percentage of a limit are listed. */
  over: number | null;
  servers: Array<{ name: string; provider: string; status: "read" | "no-usage" | "failed"; error: string | null }>;
  managed: UsageRow[];
  unmanaged: UsageRow[];
  /** Resources the inventory names that their (read) server does not hold. */
  missing: number;
  /** Some resource is at or above `over` (always false without it). */
  overLimit: boolean;
}

export type UsageReportResult = { ok: true; report: UsageReport } | { ok: false; message: string; hint: string };

export interface UsageReportOptions {
  over: number | null;
  /** `--target`: only these resources (names as `login` takes them); null: every one. */
  targets: readonly string[] | null;
  /**
   * What the servers hold, read in full, to find the targets by any of their names (a user, an
   * alias) as `login` does; without it (or for a server whose full read failed) only by the id
   * and name the usage rows carry.
   */
  observed?: readonly ObservedServer[];
}

export function buildUsageReport(inventory: Inventory, reads: readonly ServerUsage[], options: UsageReportOptions): UsageReportResult {
  const observed = reads.map((read) => asObserved(inventory, read));
  const readServers = new Set(reads.filter((r) => r.ok && r.supported).map((r) => r.server));
  const inRead = { ...inventory, resources: inventory.resources.filter((d) => readServers.has(d.server)) };
  const candidates = namedResources(inRead, observed);
  const full = new Map((options.observed ?? []).filter((o) => o.ok).map((o) => [o.server, o]));
  const named = full.size === 0 ? candidates : namedResources(inRead, observed.map((o) => (o.ok ? (full.get(o.server) ?? o) : o)));
  let chosen: Set<string> | null = null;
  for (const target of options.targets ?? []) {
    const found = resolveResourceName(target, named, inventory);
    if (!found.ok) return { ok: false, message: `--target ${found.message}`, hint: found.hint };
    if (found.resource.id === null) return { ok: false, message: `--target ${JSON.stringify(target)} is in git but not on ${found.resource.server}`, hint: "`siteform plan` shows what creating it takes" };
    (chosen ??= new Set()).add(handle(found.resource.server, found.resource.kind, found.resource.id));
  }
  const usageOf = new Map<string, ResourceUsage>();
  for (const read of reads) if (read.ok) for (const row of read.rows) usageOf.set(handle(read.server, row.kind, row.id), row);
  const managed: UsageRow[] = [];
  const unmanaged: UsageRow[] = [];
  let missing = 0;
  for (const c of candidates) {
    if (c.id === null) {
      missing += 1;
      continue;
    }
    const key = handle(c.server, c.kind, c.id);
    const usage = usageOf.get(key);
    if (usage === undefined || (chosen !== null && !chosen.has(key))) continue;
    const row = usageRow(c.server, usage, c.desired === null ? null : { file: c.desired.source.file, line: c.desired.source.line });
    if (options.over !== null && (row.percent === null || row.percent < options.over)) continue;
    (c.desired === null ? unmanaged : managed).push(row);
  }
  managed.sort(closestFirst);
  unmanaged.sort(closestFirst);
  const servers = reads.map((r) => ({
    name: r.server,
    provider: r.provider,
    status: r.ok ? (r.supported ? ("read" as const) : ("no-usage" as const)) : ("failed" as const),
    error: r.ok ? null : r.error,
  }));
  const overLimit = options.over !== null && managed.length + unmanaged.length > 0;
  return { ok: true, report: { over: options.over, servers, managed, unmanaged, missing, overLimit } };
}

function handle(server: string, kind: string, id: string): string {
  return `${server}\n${kind}\n${id}`;
}

/**
 * A server's usage rows as the observed resources the pairing reads: the id, and the name in
 * the kind's name field (usage says nothing else). Its state is not known, and not used.
 */
function asObserved(inventory: Inventory, read: ServerUsage): ObservedServer {
  if (!read.ok) return { server: read.server, ok: false, error: read.error };
  if (!read.supported) return { server: read.server, ok: false, error: "no usage from this panel" };
  const resources: ObservedResource[] = read.rows.map((row) => ({
    server: read.server,
    kind: row.kind,
    id: row.id,
    name: row.name,
    state: "active",
    fields: nameFields(inventory.catalogue.find(row.kind), row.name),
  }));
  return { server: read.server, ok: true, resources, templates: {}, fields: {} };
}

function nameFields(model: KindModel | null, name: string): ObservedResource["fields"] {
  if (model === null) return {};
  const field = model.nameKey().field;
  const dot = field.indexOf(".");
  return { [field.slice(0, dot)]: { [field.slice(dot + 1)]: name } };
}

/** A figure with its share of the limit. */
export function share(figure: UsageFigure | null): FigureShare | null {
  if (figure === null) return null;
  return { used: figure.used, limit: figure.limit, percent: figure.limit === null || figure.limit <= 0 ? null : (figure.used / figure.limit) * 100 };
}

function usageRow(server: string, usage: ResourceUsage, source: UsageRow["source"]): UsageRow {
  const disk = share(usage.disk);
  const bandwidth = share(usage.bandwidth);
  const shares = [disk?.percent, bandwidth?.percent].filter((p): p is number => p !== null && p !== undefined);
  return { server, kind: usage.kind, id: usage.id, name: usage.name, source, disk, bandwidth, percent: shares.length === 0 ? null : Math.max(...shares) };
}

/** The largest share first; unlimited ones after every limited one, the largest use first; then by server and name. */
function closestFirst(a: UsageRow, b: UsageRow): number {
  const pa = a.percent ?? -1;
  const pb = b.percent ?? -1;
  if (pa !== pb) return pb - pa;
  const used = (r: UsageRow): number => (r.disk?.used ?? 0) + (r.bandwidth?.used ?? 0);
  if (used(a) !== used(b)) return used(b) - used(a);
  return a.server < b.server ? -1 : a.server > b.server ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
