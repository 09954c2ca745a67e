/**
 * Sizes given with a unit: a panel may store a quota as an amount plus a unit (B…TB), so
 * `25 GB` and `25600 MB` are the same quota and must not show as a change. Which parameters
 * pair is the panel's vocabulary, read from the service schema's `x-siteform-unit-of` marks (inventory/catalogue.ts).
 */
import type { FieldValue } from "../model/op.js";

const FACTOR: Readonly<Record<string, number>> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** The size in bytes, or null when amount or unit is not a known number and unit. */
export function bytes(amount: FieldValue | undefined, units: FieldValue | undefined): number | null {
  const value = typeof amount === "number" ? amount : typeof amount === "string" && amount.trim() !== "" ? Number(amount) : Number.NaN;
  const factor = typeof units === "string" ? FACTOR[units.trim().toUpperCase()] : undefined;
  if (Number.isNaN(value) || factor === undefined) return null;
  return value * factor;
}
