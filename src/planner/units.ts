/**
 * Sizes given with a unit. ApisCP stores a quota as an amount plus `units` (B…TB), so
 * `25 GB` and `25600 MB` are the same quota and must not show as a change. Which parameters
 * pair with `units` is the panel's vocabulary; it lives here, in one table.
 */
import type { FieldValue } from "../model/op.js";

/** service → the parameter whose amount `units` qualifies. */
const AMOUNT_OF: Readonly<Record<string, string>> = { diskquota: "quota", bandwidth: "threshold" };

const FACTOR: Readonly<Record<string, number>> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** The amount and unit fields of a service that has them, e.g. `diskquota.quota` and `diskquota.units`. */
export function unitPair(service: string): { amount: string; units: string } | null {
  const amount = AMOUNT_OF[service];
  return amount === undefined ? null : { amount: `${service}.${amount}`, units: `${service}.units` };
}

/** The size in bytes, or null when amount or unit is not a known number and unit. */
export function bytes(amount: FieldValue | undefined, units: FieldValue | undefined): number | null {
  const value = typeof amount === "number" ? amount : typeof amount === "string" && amount.trim() !== "" ? Number(amount) : Number.NaN;
  const factor = typeof units === "string" ? FACTOR[units.trim().toUpperCase()] : undefined;
  if (Number.isNaN(value) || factor === undefined) return null;
  return value * factor;
}
