/**
 * PHP-style scalar coercion as ApisCP's validators apply it: a flag may arrive as
 * true/false, 1/0 or "1"/"0"; a number may arrive as a numeric string. Everything else is
 * refused, deliberately stricter than PHP's loose casts ("yes", "", 1.5 for a flag), because
 * what the real server makes of those is unknown. Functions return a reason instead of
 * throwing, so the caller words the fault with the field it belongs to.
 */
import type { SoapValue } from "../../../providers/apiscp/wire/value.js";

export type Coerced<T> = { ok: true; value: T } | { ok: false; reason: string };

export function accept<T>(value: T): Coerced<T> {
  return { ok: true, value };
}

export function refuse<T = never>(reason: string): Coerced<T> {
  return { ok: false, reason };
}

/** ApisCP stores enabled-style flags as the integers 1 and 0. */
export function toFlag(value: SoapValue): Coerced<0 | 1> {
  if (value === true || value === 1 || value === "1") return accept(1);
  if (value === false || value === 0 || value === "0") return accept(0);
  return refuse("expected a boolean (true/false, 1/0 or \"1\"/\"0\")");
}

export function toBoolean(value: SoapValue): Coerced<boolean> {
  const flag = toFlag(value);
  return flag.ok ? accept(flag.value === 1) : flag;
}

export interface NumberRule {
  integer: boolean;
  min?: number;
  max?: number;
}

const NUMERIC = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

export function toNumber(value: SoapValue, rule: NumberRule): Coerced<number> {
  let n: number;
  if (typeof value === "number") n = value;
  else if (typeof value === "string" && NUMERIC.test(value.trim())) n = Number(value.trim());
  else return refuse(rule.integer ? "expected an integer" : "expected a number");
  if (!Number.isFinite(n)) return refuse("expected a finite number");
  if (rule.integer && !Number.isInteger(n)) return refuse("expected an integer");
  if (rule.min !== undefined && n < rule.min) return refuse(`must be at least ${rule.min}`);
  if (rule.max !== undefined && n > rule.max) return refuse(`must be at most ${rule.max}`);
  return accept(n);
}
