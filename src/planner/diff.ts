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
import type { DesiredResource, ObservedResource } from "../model/resource.js";
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

/** Fields whose amount and unit mean the same size on both sides: no change for either. */
function sameSizes(kind: KindModel, desired: DesiredResource, observed: ObservedResource, fields: readonly string[]): Set<string> {
  const same = new Set<string>();
  for (const group of new Set(fields.map((f) => f.slice(0, f.indexOf("."))))) {
    const pair = kind.unitPair(group);
    if (pair === null || !fields.includes(pair.amount) || !fields.includes(pair.units)) continue;
    const wanted = bytes(desiredValue(desired, pair.amount), desiredValue(desired, pair.units));
    const has = bytes(observedValue(observed, pair.amount), observedValue(observed, pair.units));
    if (wanted !== null && wanted === has) {
      same.add(pair.amount);
      same.add(pair.units);
    }
  }
  return same;
}

export function diffResource(kind: KindModel, desired: DesiredResource, observed: ObservedResource, policy: Policy): ResourceDiff {
  const fields = fieldPaths(desired.fields).filter((f) => isManaged(kind, policy, f));
  const sized = sameSizes(kind, desired, observed, fields);
  // Each field's two values, read once: this runs for every field of every resource.
  const wanted = fields.map((field) => desiredValue(desired, field));
  const has = fields.map((field) => observedValue(observed, field));
  const differs = (i: number): boolean => {
    const field = fields[i] as string;
    return !sized.has(field) && !satisfies(kind, field, wanted[i], has[i]);
  };
  const template = kind.declaration.template;
  const templateAt = template === null ? -1 : fields.indexOf(template.field);
  const templateChanged = template !== null && templateAt >= 0 && differs(templateAt);
  const resets = templateChanged && template.resetsFields;
  const changes: FieldChange[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
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
