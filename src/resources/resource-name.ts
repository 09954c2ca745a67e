/**
 * Naming one resource as people do, for the commands that act on one (`login`, `password`,
 * `show`) and for `usage --target`: by its name (a site's domain), any of its kind's keys (an
 * admin user, an alias, an account's user), its id on the panel, or its inventory entry
 * (`sites/acme.yaml`, a group member `sites/group.yaml#2`, or a group file for its one member),
 * each optionally after its server (`fra1/acme.example`). The candidates are the inventory's
 * resources and what the servers hold, paired as the planner pairs them (planner/match.ts), so a
 * resource in git and on its server is one candidate. A name that fits two resources (the same
 * domain on two servers) is an error listing both, never a guess; one that fits none gets the
 * closest name. Pure: no I/O.
 */
import type { KindModel } from "../kinds/catalogue.js";
import { keyValues } from "../kinds/values.js";
import { closest } from "../text/suggest.js";
import type { Inventory } from "../model/inventory.js";
import type { DesiredResource, ObservedResource, ObservedServer } from "../model/resource.js";
import { matchKind } from "../planner/match.js";

export interface NamedResource {
  server: string;
  kind: string;
  /** The panel's id; null for a resource that is only in git (not on its server yet, or its server was not read). */
  id: string | null;
  /** Its name as the server has it, else as git has it. */
  name: string;
  desired: DesiredResource | null;
  observed: ObservedResource | null;
}

export type NameResolution =
  | { ok: true; resource: NamedResource }
  | { ok: false; problem: "unknown"; message: string; hint: string }
  | { ok: false; problem: "ambiguous"; message: string; hint: string; candidates: NamedResource[] };

/**
 * Every resource the inventory names or a read server holds, one per resource: a pair where the
 * planner's matching pairs them, else git-only or server-only (unmanaged). Desired resources on
 * servers that were not read come as git-only.
 */
export function namedResources(inventory: Inventory, observed: readonly ObservedServer[]): NamedResource[] {
  const out: NamedResource[] = [];
  const read = new Map(observed.filter((s) => s.ok).map((s) => [s.server, s.resources] as const));
  const desiredByServer = new Map<string, DesiredResource[]>();
  for (const d of inventory.resources) {
    const list = desiredByServer.get(d.server);
    if (list === undefined) desiredByServer.set(d.server, [d]);
    else list.push(d);
  }
  const servers = [...new Set([...desiredByServer.keys(), ...read.keys()])].sort();
  for (const server of servers) {
    const desired = desiredByServer.get(server) ?? [];
    const held = read.get(server);
    if (held === undefined) {
      for (const d of desired) out.push(gitOnly(d));
      continue;
    }
    const kinds = [...new Set([...desired.map((d) => d.kind), ...held.map((o) => o.kind)])].sort();
    for (const kind of kinds) {
      const model = inventory.catalogue.find(kind);
      const ofKindDesired = desired.filter((d) => d.kind === kind);
      const ofKindHeld = held.filter((o) => o.kind === kind);
      if (model === null) {
        out.push(...ofKindDesired.map(gitOnly), ...ofKindHeld.map(serverOnly));
        continue;
      }
      out.push(...pairUp(model, ofKindDesired, ofKindHeld));
    }
  }
  return out;
}

function gitOnly(d: DesiredResource): NamedResource {
  return { server: d.server, kind: d.kind, id: null, name: d.name, desired: d, observed: null };
}

function serverOnly(o: ObservedResource): NamedResource {
  return { server: o.server, kind: o.kind, id: o.id, name: o.name, desired: null, observed: o };
}

function pairUp(model: KindModel, desired: readonly DesiredResource[], held: readonly ObservedResource[]): NamedResource[] {
  const match = matchKind(model, desired, held);
  const paired = new Set(match.pairs.map((p) => p.desired));
  return [
    ...match.pairs.map(({ desired: d, observed: o }) => ({ server: o.server, kind: o.kind, id: o.id, name: o.name, desired: d, observed: o })),
    // Missing ones, and any the matching found ambiguous (the plan reports those): known by git's names.
    ...desired.filter((d) => !paired.has(d)).map(gitOnly),
    ...match.unmanaged.map(serverOnly),
  ];
}

/** The names a candidate answers to, lowercased: first the strong ones, then its inventory file (which a group shares). */
function namesOf(r: NamedResource, model: KindModel | null): { strong: string[]; file: string[] } {
  const strong = new Set<string>([r.name]);
  if (r.id !== null) strong.add(r.id);
  if (r.desired !== null) {
    strong.add(r.desired.name);
    strong.add(r.desired.key);
  }
  for (const key of model?.keys() ?? []) {
    for (const fields of [r.desired?.fields, r.observed?.fields]) if (fields !== undefined) for (const value of keyValues(key, fields)) strong.add(value);
  }
  const file = r.desired === null ? [] : [r.desired.source.file];
  const lower = (names: Iterable<string>): string[] => [...names].filter((n) => n !== "").map((n) => n.toLowerCase());
  return { strong: lower(strong), file: lower(file) };
}

/** Finds the one resource `text` names among `candidates`. */
export function resolveResourceName(text: string, candidates: readonly NamedResource[], inventory: Pick<Inventory, "catalogue">): NameResolution {
  const wanted = text.trim().toLowerCase();
  const strong = new Map<string, NamedResource[]>();
  const files = new Map<string, NamedResource[]>();
  const bare = new Set<string>();
  const add = (index: Map<string, NamedResource[]>, name: string, r: NamedResource): void => {
    const list = index.get(name);
    if (list === undefined) index.set(name, [r]);
    else if (!list.includes(r)) list.push(r);
  };
  for (const r of candidates) {
    const names = namesOf(r, inventory.catalogue.find(r.kind));
    for (const name of names.strong) {
      bare.add(name);
      add(strong, name, r);
      add(strong, `${r.server.toLowerCase()}/${name}`, r);
    }
    for (const name of names.file) {
      bare.add(name);
      add(files, name, r);
      add(files, `${r.server.toLowerCase()}/${name}`, r);
    }
  }
  const found = strong.get(wanted) ?? files.get(wanted) ?? [];
  const [only] = found;
  if (only !== undefined && found.length === 1) return { ok: true, resource: only };
  if (found.length > 1) {
    return {
      ok: false,
      problem: "ambiguous",
      message: `${JSON.stringify(text)} names ${found.length} resources: ${found.map(describeCandidate).join("; ")}`,
      hint: "name one by its server and name (fra1/example.com), its id, or its inventory entry (sites/group.yaml#2)",
      candidates: found,
    };
  }
  const near = closest(wanted, bare);
  return {
    ok: false,
    problem: "unknown",
    message: `${JSON.stringify(text)} names no resource in the inventory or on the servers read`,
    hint: near !== undefined ? `did you mean ${JSON.stringify(near)}?` : "name a resource by its name, a user, its id on the server or its inventory entry, optionally after its server (fra1/example.com)",
  };
}

/** `fra1/acme.example (site3, sites/acme.yaml:1)`, for lists of candidates. */
export function describeCandidate(r: NamedResource): string {
  const where = r.desired === null ? "not in git" : `${r.desired.source.file}:${r.desired.source.line}`;
  return `${r.server}/${r.name} (${r.id ?? "not on the server"}, ${where})`;
}
