/**
 * An account's `services:` overrides: the limits (and shell access) whose value on the server
 * differs from what the account would get without them: the repository plan's settings, else
 * the package's defaults. Only fields the schema lets an account set are considered (never an
 * entry field's, a read-only or a secret one), in the schema's order. Values the schema refuses
 * and `policy.ignore` fields are left out and named in a note, never with their value. Pure.
 */
import { valueAt } from "../../../kinds/values.js";
import type { Policy } from "../../../model/policy.js";
import type { FieldValues, ObservedValue } from "../../../model/resource.js";
import { isIgnored, sameValue } from "../../../planner/index.js";
import { ACCOUNT_MODEL, type AccountView } from "./account-view.js";
import { fitsServices } from "./schema-check.js";

/** group → field → value, as a package's defaults come back from the provider. */
export type Defaults = FieldValues<ObservedValue>;

/** A value as YAML writes it under `services:`. */
export type YamlValue = string | number | boolean;

export interface Overrides {
  services: Record<string, Record<string, YamlValue>>;
  /** How many fields are written: the measure for choosing between repository plans. */
  count: number;
  /** Fields the repository plan sets that the server did not report or that cannot be written: the import cannot vouch that a plan sees no change for them. */
  unvouched: number;
  /** One line each, for the file's header. */
  notes: string[];
}

export interface OverrideBasis {
  /** The package's defaults; null when they could not be read (then every reported value is written). */
  defaults: Defaults | null;
  /** The repository plan's own settings, which the account inherits. */
  repoPlan: FieldValues;
  policy: Policy;
}

/** The `group.field`s an account may set under `services:`, in the schema's order. */
export function settableFields(): string[] {
  return ACCOUNT_MODEL.knownFields().filter((field) => {
    const marks = field.includes(".") ? ACCOUNT_MODEL.fieldMarks(field) : null;
    return marks !== null && !marks.secret && !marks.readOnly && marks.entryField === null;
  });
}

const SETTABLE = settableFields();

/** The schema's spelling of an observed value: the provider's form already is one, digits in a string become a number. */
function yamlValue(field: string, value: ObservedValue): YamlValue | null {
  const candidates: unknown[] = [value];
  if (typeof value === "string" && /^\d+$/.test(value.trim())) candidates.push(Number(value.trim()));
  for (const candidate of candidates) {
    if ((typeof candidate === "string" || typeof candidate === "number" || typeof candidate === "boolean") && fitsServices(field, candidate)) return candidate;
  }
  return null;
}

/**
 * Whether the account could write its own value of `field` (`group.field`) under `services:`
 * (the server reported one the schema takes, and policy.ignore does not leave it out), should
 * its plan set the field to something else.
 */
export function carries(account: AccountView, field: string, policy: Policy): boolean {
  const value = valueAt(account.fields, field);
  return value !== undefined && SETTABLE.includes(field) && !isIgnored(policy, field) && yamlValue(field, value) !== null;
}

export function overridesFor(account: AccountView, basis: OverrideBasis): Overrides {
  const services: Record<string, Record<string, YamlValue>> = {};
  const refused: string[] = [];
  const ignored: string[] = [];
  const unreported: string[] = [];
  let count = 0;
  for (const field of SETTABLE) {
    const fromPlan = valueAt(basis.repoPlan, field) as ObservedValue | undefined;
    const value = valueAt(account.fields, field);
    if (value === undefined) {
      // The plan would manage a field the server says nothing of.
      if (fromPlan !== undefined && !isIgnored(basis.policy, field)) unreported.push(field);
      continue;
    }
    const base = fromPlan ?? (basis.defaults === null ? undefined : valueAt(basis.defaults, field));
    if (base !== undefined && sameValue(ACCOUNT_MODEL, field, value, base)) continue;
    if (isIgnored(basis.policy, field)) {
      ignored.push(field);
      continue;
    }
    const written = yamlValue(field, value);
    if (written === null) {
      refused.push(field);
      continue;
    }
    const dot = field.indexOf(".");
    (services[field.slice(0, dot)] ??= {})[field.slice(dot + 1)] = written;
    count += 1;
  }
  const notes: string[] = [];
  if (refused.length > 0) notes.push(`not written, the server's value does not fit the schema: ${refused.join(", ")}`);
  if (ignored.length > 0) notes.push(`not written, listed in policy.ignore: ${ignored.join(", ")}`);
  if (unreported.length > 0) notes.push(`the server did not report ${unreported.join(", ")}, which the plan sets: check them in WHM`);
  const refusedFromPlan = refused.filter((field) => valueAt(basis.repoPlan, field) !== undefined);
  return { services, count, unvouched: unreported.length + refusedFromPlan.length, notes };
}
