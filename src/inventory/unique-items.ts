/**
 * JSON Schema's `uniqueItems`, checked in time linear in the list: each item is reduced to a
 * canonical key and looked up in a Map, instead of ajv's comparison of every pair (which it
 * uses whenever the items' type is behind a `$ref`, as an alias list's is). Same meaning as
 * the standard keyword (equal JSON values, key order ignored), same error shape: `params.i` is
 * the later of the two equal items, `params.j` the earlier, so the repeat is what is reported.
 * Pure.
 */
import type { KeywordDefinition, SchemaValidateFunction } from "ajv";

const validate: SchemaValidateFunction = (schema: unknown, data: unknown): boolean => {
  validate.errors = [];
  if (schema !== true || !Array.isArray(data)) return true;
  const first = new Map<string, number>();
  for (let i = 0; i < data.length; i++) {
    const key = canonical(data[i]);
    if (key === null) continue;
    const j = first.get(key);
    if (j !== undefined) {
      validate.errors = [{ keyword: "uniqueItems", message: `must NOT have duplicate items (items ## ${j} and ${i} are identical)`, params: { i, j } }];
      return false;
    }
    first.set(key, i);
  }
  return true;
};

export const uniqueItemsKeyword: KeywordDefinition = {
  keyword: "uniqueItems",
  type: "array",
  schemaType: "boolean",
  errors: true,
  validate,
};

/**
 * A text equal for equal JSON values and different otherwise: the type, then the value; objects
 * with their keys sorted. Null for NaN, which equals nothing, not even itself.
 */
export function canonical(value: unknown): string | null {
  if (typeof value === "number") return Number.isNaN(value) ? null : `n${value === 0 ? 0 : value}`;
  if (typeof value === "string") return `s${value}`;
  if (typeof value === "boolean") return `b${String(value)}`;
  if (value === null || value === undefined) return "z";
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value) {
      const key = canonical(item);
      if (key === null) return null;
      items.push(JSON.stringify(key));
    }
    return `a[${items.join(",")}]`;
  }
  if (typeof value === "object") {
    const entries: string[] = [];
    for (const name of Object.keys(value).sort()) {
      const key = canonical((value as Record<string, unknown>)[name]);
      if (key === null) return null;
      entries.push(`${JSON.stringify(name)}:${JSON.stringify(key)}`);
    }
    return `o{${entries.join(",")}}`;
  }
  return null;
}
