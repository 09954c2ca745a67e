/**
 * Counts of the calls an emulator received, for tests and benchmarks that assert how many round
 * trips a client made. Every request to the API endpoint counts, including calls refused by
 * authentication or a knob; a request whose method could not be read counts in `total` only.
 * Shared by every emulator: the method is whatever names a call on that panel's wire.
 */

export interface CallLog {
  /** Every request to the API endpoint since start or the last reset. */
  readonly total: number;
  /** Calls of `method` (its wire name). */
  count(method: string): number;
  /** A copy of the per-method counts. */
  byMethod(): Record<string, number>;
  reset(): void;
}

export class CallCounter implements CallLog {
  private counts = new Map<string, number>();
  private all = 0;

  get total(): number {
    return this.all;
  }

  record(method: string | undefined): void {
    this.all++;
    if (method !== undefined) this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
  }

  count(method: string): number {
    return this.counts.get(method) ?? 0;
  }

  byMethod(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  reset(): void {
    this.counts = new Map();
    this.all = 0;
  }
}
