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

/** The fields to collect on a server, per kind: every field any resource of that kind manages there, minus ignored ones and those the panel computes. */
export function managedFields(inventory: Inventory, server: string, catalogue: Catalogue): Record<string, string[]> {
  const config = inventory.servers.find((s) => s.name === server);
  const out: Record<string, Set<string>> = {};
  for (const kind of config === undefined ? [] : catalogue.kindsOf(config.provider)) out[kind.id] = new Set();
  for (const resource of inventory.resources) {
    if (resource.server !== server) continue;
    const kind = catalogue.kind(resource.kind);
    const fields = (out[resource.kind] ??= new Set());
    for (const field of fieldPaths(resource.fields)) if (isManaged(kind, inventory.policy, field)) fields.add(field);
  }
  return Object.fromEntries(Object.entries(out).map(([kind, fields]) => [kind, [...fields].sort()]));
}

export function isManaged(kind: KindModel, policy: Policy, field: string): boolean {
  return !isIgnored(policy, field) && kind.fieldMarks(field)?.readOnly !== true;
}

/** The observed value of a field; null when the server did not report it. */
export function observedValue(resource: ObservedResource, field: string): ObservedValue {
  return valueAt(resource.fields, field) ?? null;
}
