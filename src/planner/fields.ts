/**
 * Which fields a plan looks at, and how to read one off a resource. Identity, relation and
 * template fields are ordinary fields here: the kind's declaration says which they are.
 */
import type { Catalogue, KindModel } from "../kinds/catalogue.js";
import { fieldPaths, valueAt } from "../kinds/values.js";
import type { Inventory } from "../model/inventory.js";
import type { Policy } from "../model/policy.js";
import type { ObservedResource, ObservedValue } from "../model/resource.js";

/** `policy.ignore` holds `group.field` or a whole `group`. */
export function isIgnored(policy: Policy, field: string): boolean {
  const group = field.slice(0, field.indexOf("."));
  return policy.ignore.some((entry) => entry === field || entry === group);
}

/** Per inventory and catalogue, per server, per kind: the managed fields, worked out in one pass over the resources. */
const managedByServer = new WeakMap<Inventory, WeakMap<Catalogue, Map<string, Record<string, Set<string>>>>>();

function managedOf(inventory: Inventory, catalogue: Catalogue): Map<string, Record<string, Set<string>>> {
  let byCatalogue = managedByServer.get(inventory);
  if (byCatalogue === undefined) managedByServer.set(inventory, (byCatalogue = new WeakMap()));
  let byServer = byCatalogue.get(catalogue);
  if (byServer !== undefined) return byServer;
  byServer = new Map();
  for (const resource of inventory.resources) {
    let kinds = byServer.get(resource.server);
    if (kinds === undefined) byServer.set(resource.server, (kinds = {}));
    const kind = catalogue.kind(resource.kind);
    const fields = (kinds[resource.kind] ??= new Set());
    for (const field of fieldPaths(resource.fields)) if (isManaged(kind, inventory.policy, field)) fields.add(field);
  }
  byCatalogue.set(catalogue, byServer);
  return byServer;
}

/**
 * The fields to collect on a server, per kind: every field any resource of that kind manages
 * there, minus ignored ones and those the panel computes. Asked once per server, so the
 * resources are gone through once for all servers, not once for each.
 */
export function managedFields(inventory: Inventory, server: string, catalogue: Catalogue): Record<string, string[]> {
  const config = inventory.servers.find((s) => s.name === server);
  const out: Record<string, string[]> = {};
  for (const kind of config === undefined ? [] : catalogue.kindsOf(config.provider)) out[kind.id] = [];
  for (const [kind, fields] of Object.entries(managedOf(inventory, catalogue).get(server) ?? {})) out[kind] = [...fields].sort();
  return out;
}

export function isManaged(kind: KindModel, policy: Policy, field: string): boolean {
  return !isIgnored(policy, field) && kind.fieldMarks(field)?.readOnly !== true;
}

/** The observed value of a field; null when the server did not report it. */
export function observedValue(resource: ObservedResource, field: string): ObservedValue {
  return valueAt(resource.fields, field) ?? null;
}
