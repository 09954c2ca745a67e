/**
 * Money in cents, so that sums of prices never drift by floating point: the state file and the
 * programmatic API speak currency units with two decimals, the wire speaks "12.50".
 */

export function toCents(units: number): number {
  return Math.round(units * 100);
}

export function fromCents(cents: number): number {
  return cents / 100;
}

/** "1000.00" */
export function moneyText(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** A finite amount with at most two decimals. */
export function isMoney(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;
}
