/**
 * When two values mean the same to a panel. Panels answer `1` where YAML says `true` and
 * `"5000"` where it says `5000`; a field the kind marks as a set ignores order and may come as
 * a comma-separated string; a case-insensitive one ignores case. Without this every plan would
 * be full of edits that change nothing.
 */
import type { FieldMarks, KindModel } from "../kinds/catalogue.js";
import type { FieldValue } from "../model/op.js";

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
  return value.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

const PLAIN: Pick<FieldMarks, "set" | "caseInsensitive"> = { set: false, caseInsensitive: false };

/** The form two values are compared in, for one field of a kind. */
export function normalized(kind: KindModel, field: string, value: FieldValue | undefined): string {
  const marks = kind.fieldMarks(field) ?? PLAIN;
  const result = canonical(marks.set ? asList(value) : value, marks.caseInsensitive);
  // An empty set and nothing are the same.
  return JSON.stringify(marks.set && Array.isArray(result) && result.length === 0 ? null : result);
}

export function sameValue(kind: KindModel, field: string, a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  return normalized(kind, field, a) === normalized(kind, field, b);
}

/**
 * Whether what the server has needs no change to be what the inventory wants: the same value,
 * or for a field the kind marks at-least, a value at least as large (numbers) or as late (ISO
 * dates, which compare as text) as the wanted one. Not symmetric: `wanted` first.
 */
export function satisfies(kind: KindModel, field: string, wanted: FieldValue | undefined, has: FieldValue | undefined): boolean {
  // Most fields of most resources are unchanged: the same scalar normalises the same.
  if (wanted === has && (wanted === null || typeof wanted !== "object")) return true;
  if (sameValue(kind, field, wanted, has)) return true;
  if (kind.fieldMarks(field)?.atLeast !== true) return false;
  const w = JSON.parse(normalized(kind, field, wanted)) as unknown;
  const h = JSON.parse(normalized(kind, field, has)) as unknown;
  if (typeof w === "number" && typeof h === "number") return h >= w;
  if (typeof w === "string" && typeof h === "string" && ISO_DATE.test(w) && ISO_DATE.test(h)) return h >= w;
  return false;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?$/;
