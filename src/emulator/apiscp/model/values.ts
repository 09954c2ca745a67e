/**
 * Helpers over SoapValue shared by the model: structural equality (query matching, "given
 * twice" checks), copying, and rendering a value for a fault message. Owns no ApisCP rule.
 */
import type { SoapValue } from "../../../providers/apiscp/wire/value.js";
import { isSoapMap } from "../../../providers/apiscp/wire/value.js";

export function soapEqual(a: SoapValue, b: SoapValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => soapEqual(item, b[i] as SoapValue));
  }
  if (isSoapMap(a) && isSoapMap(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && soapEqual(a[key] as SoapValue, b[key] as SoapValue))
    );
  }
  return false;
}

/**
 * A copy that shares nothing with the state, so callers can never mutate it through a
 * result. Hand-written because structuredClone costs microseconds even for a scalar, and
 * a full collect copies every parameter of every site.
 */
export function copyValue<T extends SoapValue>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => copyValue(item)) as T;
  // fromEntries defines own properties, so even a "__proto__" key stays a plain key.
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, copyValue(inner)])) as T;
}

const MAX_SHOWN = 80;

/** A short, single-line rendering of a (non-secret) value for fault messages. */
export function describeValue(value: SoapValue | undefined): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

/** ApisCP words its errors with `value' quoting; faults here follow it. */
export function quote(text: string): string {
  return `\`${text}'`;
}
