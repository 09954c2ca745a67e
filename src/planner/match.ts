/**
 * Which observed resource each desired resource is, on one server and of one kind. Identity is
 * tried in the kind's order (an id pin, then its match steps: for an ApisCP site admin user,
 * domain, alias) so that a changed name is found by another key and becomes a rename, never a
 * delete and a create. Anything ambiguous is an error naming both sides: guessing here would
 * edit the wrong customer's resource.
 */
import type { KindModel } from "../kinds/catalogue.js";
import { keyValues } from "../kinds/values.js";
import type { PlanDiagnostic } from "../model/plan.js";
import type { DesiredResource, ObservedResource } from "../model/resource.js";

export interface ResourceMatch {
  desired: DesiredResource;
  observed: ObservedResource;
  /** `pin`, or the label of the match step. */
  by: string;
}

export interface KindMatch {
  pairs: ResourceMatch[];
  /** Desired resources the server does not have. */
  missing: DesiredResource[];
  /** Observed resources no desired one names, in id order. */
  unmanaged: ObservedResource[];
  problems: PlanDiagnostic[];
}

function where(resource: DesiredResource): string {
  return `${resource.source.file}:${resource.source.line}`;
}

function problem(resource: DesiredResource, code: string, message: string, hint: string): PlanDiagnostic {
  return { severity: "error", code, server: resource.server, message, hint, file: resource.source.file, line: resource.source.line };
}

/** Built once per step over the resources still free, so matching stays linear in the fleet's size. */
function finder(kind: KindModel, pairs: ReadonlyArray<readonly [string, string]>, free: readonly ObservedResource[]): (d: DesiredResource) => ObservedResource[] {
  const position = new Map(free.map((o, i) => [o, i]));
  const indexes = pairs.map(([desiredKey, observedKey]) => {
    const index = new Map<string, ObservedResource[]>();
    const key = kind.key(observedKey);
    for (const o of free) {
      for (const value of new Set(keyValues(key, o.fields))) {
        const list = index.get(value);
        if (list === undefined) index.set(value, [o]);
        else list.push(o);
      }
    }
    return { desired: kind.key(desiredKey), index };
  });
  return (d) => {
    const found = new Set<ObservedResource>();
    for (const { desired, index } of indexes) for (const value of keyValues(desired, d.fields)) for (const o of index.get(value) ?? []) found.add(o);
    return [...found].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
  };
}

export function matchKind(kind: KindModel, desired: readonly DesiredResource[], observed: readonly ObservedResource[]): KindMatch {
  const pairs: ResourceMatch[] = [];
  const problems: PlanDiagnostic[] = [];
  const claimed = new Map<string, ResourceMatch>();
  const idLabel = kind.declaration.identity.id.label;

  const take = (d: DesiredResource, o: ObservedResource, by: string): void => {
    const match = { desired: d, observed: o, by };
    pairs.push(match);
    claimed.set(o.id, match);
  };

  // Pins first: an id is the one identity a rename of every name cannot change.
  const unpinned: DesiredResource[] = [];
  const gone: DesiredResource[] = [];
  const byId = new Map(observed.map((o) => [o.id, o]));
  for (const d of desired) {
    if (d.pinnedId === null) {
      unpinned.push(d);
      continue;
    }
    const o = byId.get(d.pinnedId);
    if (o === undefined && d.state === "cancelled") {
      // A cancelled resource's pin outlives it: once deleted, it is simply missing (and stays so).
      gone.push(d);
      continue;
    }
    if (o === undefined) {
      problems.push(
        problem(
          d,
          "pinned-site-missing",
          `${d.name} (${where(d)}) is pinned to ${d.pinnedId}, which ${d.server} does not have`,
          "if it was deleted on purpose, remove `id` so it is created anew; otherwise check the server",
        ),
      );
      continue;
    }
    take(d, o, "pin");
  }
  let waiting = unpinned;

  for (const step of kind.declaration.identity.match) {
    const find = finder(
      kind,
      step.pairs,
      observed.filter((o) => !claimed.has(o.id)),
    );
    const wanted = new Map<string, DesiredResource[]>();
    const next: DesiredResource[] = [];
    for (const d of waiting) {
      const found = find(d);
      if (found.length > 1) {
        problems.push(
          problem(
            d,
            "ambiguous-match",
            `${d.name} (${where(d)}) matches ${found.length} ${kind.noun}s on ${d.server} by ${step.label}: ${found.map((o) => `${o.id} (${o.name})`).join(", ")}`,
            `pin the right one with \`id:\` (its ${idLabel}) in the entry`,
          ),
        );
        continue;
      }
      const o = found[0];
      if (o === undefined) {
        next.push(d);
        continue;
      }
      wanted.set(o.id, [...(wanted.get(o.id) ?? []), d]);
    }
    for (const [id, claimants] of wanted) {
      const o = byId.get(id) as ObservedResource;
      const first = claimants[0] as DesiredResource;
      if (claimants.length > 1) {
        problems.push(
          problem(
            first,
            "ambiguous-match",
            `${claimants.map((d) => `${d.name} (${where(d)})`).join(" and ")} all match ${o.id} (${o.name}) on ${o.server} by ${step.label}`,
            `make the names distinct, or pin the right one with \`id:\` (its ${idLabel})`,
          ),
        );
        continue;
      }
      take(first, o, step.label);
    }
    waiting = next;
  }

  return { pairs, missing: [...gone, ...waiting], unmanaged: observed.filter((o) => !claimed.has(o.id)), problems };
}
