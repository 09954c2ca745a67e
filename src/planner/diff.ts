/**
 * The field changes that make one observed resource what its desired resource says: managed
 * fields only, normalised, ignored paths skipped, sizes compared in bytes when both sides give
 * a unit. When the kind says a change of template rewrites the fields the resource has not
 * overridden, a template change re-sends every managed setting with it (names and relations
 * are never reset).
 */
import type { KindModel } from "../kinds/catalogue.js";
import { fieldPaths, valueAt } from "../kinds/values.js";
import type { FieldChange, FieldValue } from "../model/op.js";
import type { Policy } from "../model/policy.js";
import type { DesiredResource, FieldValues, ObservedResource } from "../model/resource.js";
import { isManaged, observedValue } from "./fields.js";
import { satisfies } from "./normalize.js";
import { bytes } from "./units.js";

export interface ResourceDiff {
  changes: FieldChange[];
  /** The server-side template changes. */
  templateChanged: boolean;
}

function desiredValue(resource: DesiredResource, field: string): FieldValue {
  return valueAt(resource.fields, field) ?? null;
}

export function change(kind: KindModel, field: string, before: FieldValue, after: FieldValue): FieldChange {
  const out: FieldChange = { field, before, after };
  const marks = kind.fieldMarks(field);
  if (marks?.secret === true) out.secret = true;
  // Say so when the panel replaces a whole list that had something in it.
  if (marks?.replacedWhole === true && Array.isArray(before) && before.length > 0) out.wholesale = true;
  return out;
}

/** One `group.field` as a diff sees it: its path, and whether the plan manages it. */
interface FieldEntry {
  path: string;
  group: string;
  name: string;
  managed: boolean;
}

/**
 * Per kind and policy, every field met so far: a plan diffs every managed field of every
 * resource, and building each path and asking whether it is managed once per resource was most
 * of a diff's cost at 100,000 sites.
 */
const entryTables = new WeakMap<KindModel, WeakMap<Policy, Map<string, Map<string, FieldEntry>>>>();

/** The managed fields of a set of values, in fieldPaths' order. */
function managedEntries(kind: KindModel, policy: Policy, values: FieldValues<unknown>): FieldEntry[] {
  let byPolicy = entryTables.get(kind);
  if (byPolicy === undefined) entryTables.set(kind, (byPolicy = new WeakMap()));
  let table = byPolicy.get(policy);
  if (table === undefined) byPolicy.set(policy, (table = new Map()));
  const out: FieldEntry[] = [];
  const groups = Object.keys(values);
  if (groups.length > 1) groups.sort();
  for (const group of groups) {
    const names = Object.keys(values[group] ?? {});
    if (names.length > 1) names.sort();
    let byName = table.get(group);
    if (byName === undefined) table.set(group, (byName = new Map()));
    for (const name of names) {
      let entry = byName.get(name);
      if (entry === undefined) {
        const path = `${group}.${name}`;
        byName.set(name, (entry = { path, group, name, managed: isManaged(kind, policy, path) }));
      }
      if (entry.managed) out.push(entry);
    }
  }
  return out;
}

function ownValue<T>(values: FieldValues<T>, entry: FieldEntry): T | undefined {
  const group = Object.hasOwn(values, entry.group) ? values[entry.group] : undefined;
  return group !== undefined && Object.hasOwn(group, entry.name) ? group[entry.name] : undefined;
}

/** Fields whose amount and unit mean the same size on both sides: no change for either. */
function sameSizes(kind: KindModel, desired: DesiredResource, observed: ObservedResource, entries: readonly FieldEntry[]): Set<string> | null {
  let same: Set<string> | null = null;
  for (let i = 0; i < entries.length; i++) {
    const group = (entries[i] as FieldEntry).group;
    // Entries come grouped: each group once.
    if (i > 0 && (entries[i - 1] as FieldEntry).group === group) continue;
    const pair = kind.unitPair(group);
    if (pair === null || !entries.some((e) => e.path === pair.amount) || !entries.some((e) => e.path === pair.units)) continue;
    const wanted = bytes(desiredValue(desired, pair.amount), desiredValue(desired, pair.units));
    const has = bytes(observedValue(observed, pair.amount), observedValue(observed, pair.units));
    if (wanted !== null && wanted === has) {
      same ??= new Set();
      same.add(pair.amount);
      same.add(pair.units);
    }
  }
  return same;
}

export function diffResource(kind: KindModel, desired: DesiredResource, observed: ObservedResource, policy: Policy): ResourceDiff {
  const entries = managedEntries(kind, policy, desired.fields);
  const sized = sameSizes(kind, desired, observed, entries);
  // Each field's two values, read once: this runs for every field of every resource.
  const wanted = entries.map((entry) => ownValue(desired.fields, entry) ?? null);
  const has = entries.map((entry) => ownValue(observed.fields, entry) ?? null);
  const differs = (i: number): boolean => {
    const field = (entries[i] as FieldEntry).path;
    return sized?.has(field) !== true && !satisfies(kind, field, wanted[i] ?? null, has[i] ?? null);
  };
  const template = kind.declaration.template;
  const templateAt = template === null ? -1 : entries.findIndex((e) => e.path === template.field);
  const templateChanged = template !== null && templateAt >= 0 && differs(templateAt);
  const resets = templateChanged && template.resetsFields;
  const changes: FieldChange[] = [];
  for (let i = 0; i < entries.length; i++) {
    const field = (entries[i] as FieldEntry).path;
    // With a template change every managed setting goes along, sizes that merely read the same
    // in other units included (the value may be the old template's default, which the new one
    // rewrites); keys and relations are never reset.
    const resend = resets && !kind.isStructural(field);
    if (differs(i) || resend) changes.push(change(kind, field, has[i] ?? null, wanted[i] ?? null));
  }
  return { changes, templateChanged };
}

/** Every managed field of a resource about to be created (before: null). */
export function createChanges(kind: KindModel, desired: DesiredResource): FieldChange[] {
  return fieldPaths(desired.fields).map((field) => change(kind, field, null, desiredValue(desired, field)));
}
