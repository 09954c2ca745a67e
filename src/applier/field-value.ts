/**
 * Reads one `service.param` (or identity) field off an ObservedSite and compares values the
 * simple way the applier needs: scalars by their string form (booleans as 1/0), lists as sets,
 * maps key by key. Shared by the stale check and the read-back; it knows no panel's fields.
 */
import type { ObservedSite, ObservedValue } from "../model/observed-site.js";
import type { FieldValue } from "../model/op.js";

/** Identity fields a precondition may name without a service prefix. */
const IDENTITY_FIELDS: Readonly<Record<string, (site: ObservedSite) => ObservedValue>> = {
  active: (s) => s.active,
  domain: (s) => s.domain,
  adminUser: (s) => s.adminUser,
  aliases: (s) => s.aliases,
  invoice: (s) => s.invoice,
  parentInvoice: (s) => s.parentInvoice,
  plan: (s) => s.plan,
};

/** The site's value for `field`; undefined when the site does not report it. */
export function fieldValue(site: ObservedSite, field: string): ObservedValue | undefined {
  const dot = field.indexOf(".");
  if (dot < 0) return IDENTITY_FIELDS[field]?.(site);
  const service = site.services[field.slice(0, dot)];
  return service?.[field.slice(dot + 1)];
}

function scalarText(value: string | number | boolean): string {
  // Panels answer 1/0 where the inventory writes true/false.
  if (typeof value === "boolean") return value ? "1" : "0";
  return String(value);
}

function isList(value: unknown): value is readonly FieldValue[] {
  return Array.isArray(value);
}

/** Whether two values mean the same for the applier's purposes; absent and null are equal. */
export function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  const left = a ?? null;
  const right = b ?? null;
  if (left === null || right === null) return left === right;
  if (isList(left) || isList(right)) {
    if (!isList(left) || !isList(right)) return false;
    return sameSet(left, right);
  }
  if (typeof left === "object" || typeof right === "object") {
    if (typeof left !== "object" || typeof right !== "object") return false;
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    return [...keys].every((k) => sameValue(left[k], right[k]));
  }
  return scalarText(left) === scalarText(right);
}

function sameSet(left: readonly FieldValue[], right: readonly FieldValue[]): boolean {
  const unmatched = [...right];
  for (const item of left) {
    const at = unmatched.findIndex((other) => sameValue(item, other));
    if (at < 0) return false;
    unmatched.splice(at, 1);
  }
  return unmatched.length === 0;
}
