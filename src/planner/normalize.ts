/**
 * When two values mean the same to a panel. Panels answer `1` where YAML says `true` and
 * `"5000"` where it says `5000`; alias lists and e-mail lists are sets; domains ignore case.
 * Without this every plan would be full of edits that change nothing.
 */
import type { FieldValue } from "../model/op.js";
import { identityOf } from "./fields.js";

type Canonical = null | number | string | Canonical[] | { [key: string]: Canonical };

const NUMERIC = /^-?\d+(?:\.\d+)?$/;

function canonical(value: FieldValue | undefined, lowerCase: boolean): Canonical {
  if (value === undefined || value === null) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    const trimmed = value.trim();
    if (NUMERIC.test(trimmed)) return Number(trimmed);
    // Some panels answer flags as the words PHP prints for them.
    if (trimmed === "true") return 1;
    if (trimmed === "false") return 0;
    return lowerCase ? trimmed.toLowerCase() : trimmed;
  }
  if (Array.isArray(value)) {
    const items = (value as readonly FieldValue[]).map((item) => canonical(item, lowerCase));
    return items.map((item) => JSON.stringify(item)).sort().map((text) => JSON.parse(text) as Canonical);
  }
  const out: Record<string, Canonical> = {};
  const record = value as Readonly<Record<string, FieldValue>>;
  for (const key of Object.keys(record).sort()) out[key] = canonical(record[key], lowerCase);
  return out;
}

/** A list written as one comma-separated string (a real server may answer so). */
function asList(value: FieldValue | undefined): FieldValue | undefined {
  if (typeof value !== "string") return value;
  const items = value.split(",").map((item) => item.trim()).filter((item) => item !== "");
  return items;
}

/** The form two values are compared in, for one field. */
export function normalized(field: string, value: FieldValue | undefined): string {
  const identity = identityOf(field);
  const listField = identity === "email" || identity === "aliases";
  const lowerCase = identity === "domain" || identity === "aliases";
  const shaped = listField ? asList(value) : value;
  // An empty list and nothing are the same alias list.
  const result = canonical(shaped, lowerCase);
  return JSON.stringify(Array.isArray(result) && result.length === 0 && identity === "aliases" ? null : result);
}

export function sameValue(field: string, a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  return normalized(field, a) === normalized(field, b);
}
