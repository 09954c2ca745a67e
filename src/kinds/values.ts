/**
 * Reading fields and keys off resources, the same way for desired and observed ones: `group.field`
 * paths into `group → field → value`, key values as the list of names they hold (a list key holds
 * several; a case-insensitive one is compared lowercased).
 */
import type { KeyDeclaration } from "../model/kind.js";
import type { FieldValues } from "../model/resource.js";

/**
 * Each `group.field` path split once: a plan reads every managed field of every resource on
 * both sides, millions of reads of a few dozen distinct paths at 100,000 sites.
 */
const splitPaths = new Map<string, readonly [string, string]>();

function splitPath(field: string): readonly [string, string] {
  let split = splitPaths.get(field);
  if (split === undefined) {
    const dot = field.indexOf(".");
    split = [field.slice(0, dot), field.slice(dot + 1)];
    // Paths come from schemas and inventories; a bound keeps a strange one from growing this without end.
    if (splitPaths.size < 10_000) splitPaths.set(field, split);
  }
  return split;
}

/** The value at `group.field`; undefined when absent. */
export function valueAt<T>(values: FieldValues<T>, field: string): T | undefined {
  const [groupName, name] = splitPath(field);
  const group = Object.hasOwn(values, groupName) ? values[groupName] : undefined;
  return group !== undefined && Object.hasOwn(group, name) ? group[name] : undefined;
}

/** A scalar as a name: strings as they are, numbers as digits, anything else none. */
function nameOf(value: unknown): string | null {
  if (typeof value === "string") return value === "" ? null : value;
  if (typeof value === "number") return String(value);
  return null;
}

/** The names a key's value holds, as written (a list key may be a list or a comma/space separated string). */
export function keyNames(key: KeyDeclaration, value: unknown): string[] {
  if (key.list === true) {
    if (Array.isArray(value)) return value.map(nameOf).filter((v): v is string => v !== null);
    if (typeof value === "string") return value.split(/[\s,]+/).filter((v) => v !== "");
    return [];
  }
  const one = nameOf(value);
  return one === null ? [] : [one];
}

/** A name as compared. */
export function comparable(key: KeyDeclaration, name: string): string {
  return key.caseInsensitive === true ? name.toLowerCase() : name;
}

/** The names a key holds in a set of fields, as compared. */
export function keyValues(key: KeyDeclaration, values: FieldValues<unknown>): string[] {
  return keyNames(key, valueAt(values, key.field)).map((n) => comparable(key, n));
}

/** The one text a scalar field holds (a relation's value), or null. */
export function textAt(values: FieldValues<unknown>, field: string): string | null {
  return nameOf(valueAt(values, field));
}

/** Every `group.field` in a set of values, in a stable order. */
export function fieldPaths(values: FieldValues<unknown>): string[] {
  const out: string[] = [];
  for (const group of Object.keys(values).sort()) {
    for (const name of Object.keys(values[group] ?? {}).sort()) out.push(`${group}.${name}`);
  }
  return out;
}

/** The day `days` days after `day` (both `YYYY-MM-DD`, UTC): grace periods and days-ahead fields count so. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
