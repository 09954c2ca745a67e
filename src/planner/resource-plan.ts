/**
 * One resource's part of a plan: which desired and observed resource it joins, the ops decided
 * for it, its parents by relation, and the names (keys) it holds before and after. The ordering
 * and the guards work on these.
 */
import type { KindModel } from "../kinds/catalogue.js";
import { keyNames, comparable, valueAt } from "../kinds/values.js";
import type { Op, OpAction } from "../model/op.js";
import type { DesiredResource, ObservedResource } from "../model/resource.js";

export interface ResourcePlan {
  /** DesiredResource.key, or `id:server/kind/id` for a resource only the server knows. */
  handle: string;
  server: string;
  kind: KindModel;
  desired: DesiredResource | null;
  observed: ObservedResource | null;
  ops: Op[];
  /** Handles of the resources this one's relations name (parents): created first, removed last. */
  parents: string[];
}

export function opOf(resource: ResourcePlan, action: OpAction): Op | undefined {
  return resource.ops.find((op) => op.action === action);
}

/** A name as the plan tracks it: `namespace value`, so domains and aliases collide and admin users apart. */
function nameIn(namespace: string, value: string): string {
  return `${namespace} ${value}`;
}

/** Names the resource holds on the server now. */
export function currentNames(resource: ResourcePlan): Set<string> {
  const o = resource.observed;
  if (o === null) return new Set();
  const out = new Set<string>();
  for (const key of resource.kind.keys()) {
    for (const name of keyNames(key, valueAt(o.fields, key.field))) out.add(nameIn(key.namespace, comparable(key, name)));
  }
  return out;
}

/** What the resource holds once the plan has run: nothing when it is deleted; a key the inventory leaves alone keeps the server's value. */
export function finalNames(resource: ResourcePlan): Set<string> {
  if (opOf(resource, "delete") !== undefined) return new Set();
  const d = resource.desired;
  if (d === null) return currentNames(resource);
  const out = new Set<string>();
  for (const key of resource.kind.keys()) {
    const wanted = valueAt(d.fields, key.field);
    const value = wanted !== undefined ? wanted : resource.observed === null ? undefined : valueAt(resource.observed.fields, key.field);
    for (const name of keyNames(key, value)) out.add(nameIn(key.namespace, comparable(key, name)));
  }
  return out;
}

/** Whether a name (as tracked) belongs to a key the server keeps unique. */
export function isUniqueName(resource: ResourcePlan, name: string): boolean {
  return resource.kind.keys().some((key) => key.unique && name.startsWith(`${key.namespace} `));
}
