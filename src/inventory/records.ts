/**
 * The inventory's entities (servers, plans, groups, resource entries) picked out of the parsed
 * files, with typed reads that tolerate a file that failed its schema: a field of the wrong
 * type reads as absent. This lets the cross-file checks run on every file in the same pass,
 * so one run reports everything. Knows the inventory's own shape, not any provider's: which
 * key lists a group's members is the kind's declaration.
 */
import type { KindModel } from "../kinds/catalogue.js";
import type { LifecycleState, SourceRef } from "../model/index.js";
import { isRecord, type PathSegment } from "./field-path.js";
import type { Anchor, YamlSource } from "./yaml-source.js";

/** A mapping somewhere in a file: what the checks look at and report against. */
export interface Entity {
  source: YamlSource;
  path: readonly PathSegment[];
  data: Readonly<Record<string, unknown>>;
}

export interface ServerRecord extends Entity {
  name: string;
}

export interface ConfigRecord extends Entity {
  servers: readonly ServerRecord[];
  policy: Entity | null;
}

export interface PlanRecord extends Entity {
  name: string;
  kind: KindModel;
}

export interface GroupRecord extends Entity {
  key: string;
  kind: KindModel;
  members: readonly SiteRecord[];
}

/** An entry's place: alone, or the parent or a child of a group. */
export type Role = "standalone" | "parent" | "child";

/** One resource entry (the name is historical: most entries are sites). */
export interface SiteRecord extends Entity {
  /** `sites/acme.yaml`, or `sites/group.yaml#2` for a group's third entry. */
  key: string;
  kind: KindModel;
  role: Role;
  group: GroupRecord | null;
}

export function ref(entity: Entity, field?: string, anchor: Anchor = "value"): SourceRef {
  return entity.source.ref(field === undefined ? entity.path : [...entity.path, field], anchor);
}

export function text(entity: Entity, field: string): string | undefined {
  const value = entity.data[field];
  return typeof value === "string" ? value : undefined;
}

export function flag(entity: Entity, field: string): boolean | undefined {
  const value = entity.data[field];
  return typeof value === "boolean" ? value : undefined;
}

export function mapping(entity: Entity, field: string): Readonly<Record<string, unknown>> | undefined {
  const value = entity.data[field];
  return isRecord(value) ? value : undefined;
}

/** The strings of a list field with their positions; non-strings are skipped. */
export function texts(entity: Entity, field: string): Array<{ value: string; index: number }> {
  const value = entity.data[field];
  const out: Array<{ value: string; index: number }> = [];
  if (!Array.isArray(value)) return out;
  for (let index = 0; index < value.length; index++) {
    const item: unknown = value[index];
    if (typeof item === "string") out.push({ value: item, index });
  }
  return out;
}

const STATES: readonly string[] = ["active", "suspended", "cancelled"] satisfies LifecycleState[];

export function state(entity: Entity, field = "state"): LifecycleState | undefined {
  const value = entity.data[field];
  return typeof value === "string" && STATES.includes(value) ? (value as LifecycleState) : undefined;
}

/** The server a site lives on (its own `server:`, else its group's) and the entity that wrote it. */
export function siteServer(site: SiteRecord): { name: string; writtenBy: Entity } | undefined {
  const own = text(site, "server");
  if (own !== undefined) return { name: own, writtenBy: site };
  const group = site.group === null ? undefined : text(site.group, "server");
  if (group !== undefined && site.group !== null) return { name: group, writtenBy: site.group };
  return undefined;
}

const serverIndexes = new WeakMap<ConfigRecord, ReadonlyMap<string, ServerRecord>>();

/** siteform.yaml's servers by name (the first of a name, as a list search would find it), built once per config: entries look their server up by name. */
export function serversByName(config: ConfigRecord): ReadonlyMap<string, ServerRecord> {
  let byName = serverIndexes.get(config);
  if (byName === undefined) {
    const index = new Map<string, ServerRecord>();
    for (const server of config.servers) if (!index.has(server.name)) index.set(server.name, server);
    serverIndexes.set(config, index);
    byName = index;
  }
  return byName;
}

export function configRecord(source: YamlSource): ConfigRecord | null {
  if (!isRecord(source.value)) return null;
  const root: Entity = { source, path: [], data: source.value };
  const servers = mapping(root, "servers") ?? {};
  const policy = mapping(root, "policy");
  return {
    ...root,
    servers: Object.entries(servers).flatMap(([name, data]) =>
      isRecord(data) ? [{ source, path: ["servers", name], data, name }] : [],
    ),
    policy: policy === undefined ? null : { source, path: ["policy"], data: policy },
  };
}

export function planRecord(source: YamlSource, name: string, kind: KindModel): PlanRecord | null {
  return isRecord(source.value) ? { source, path: [], data: source.value, name, kind } : null;
}

/** A resource file holds one entry, or a group when its kind has groups and the file lists members (`sites:`). */
export function resourceFileRecords(source: YamlSource, kind: KindModel): { group: GroupRecord | null; sites: SiteRecord[] } {
  const value = source.value;
  if (!isRecord(value)) return { group: null, sites: [] };
  const members = kind.declaration.group?.members;
  if (members === undefined || !(members in value)) {
    return { group: null, sites: [{ source, path: [], data: value, key: source.file, kind, role: "standalone", group: null }] };
  }
  const list: SiteRecord[] = [];
  const group: GroupRecord = { source, path: [], data: value, key: source.file, kind, members: list };
  const items: unknown[] = Array.isArray(value[members]) ? (value[members] as unknown[]) : [];
  items.forEach((data, index) => {
    if (!isRecord(data)) return;
    const role: Role = index === 0 ? "parent" : "child";
    list.push({ source, path: [members, index], data, key: `${source.file}#${index}`, kind, role, group });
  });
  return { group, sites: list };
}

/** Everything the cross-file checks and the resolver look at. */
export interface InventoryRecords {
  /** Null when siteform.yaml is missing or not a mapping: server names cannot be checked then. */
  config: ConfigRecord | null;
  /** Every plan file's name, including files too broken to read: a site naming one is not told the plan does not exist. */
  planNames: readonly string[];
  plans: readonly PlanRecord[];
  groups: readonly GroupRecord[];
  /** Every site in file order; a group's sites in their listed order. */
  sites: readonly SiteRecord[];
}

const SEVERITY: Readonly<Record<LifecycleState, number>> = { active: 0, suspended: 1, cancelled: 2 };

/** The stricter of a site's own state and its group's: a suspended group suspends all its sites. */
export function effectiveState(site: SiteRecord): LifecycleState {
  const own = state(site) ?? "active";
  const group = site.group === null ? "active" : (state(site.group) ?? "active");
  return SEVERITY[group] > SEVERITY[own] ? group : own;
}
