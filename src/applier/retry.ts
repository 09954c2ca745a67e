/**
 * When and how long to wait before trying again: exponential backoff with full jitter,
 * bounded by attempts and by total time. Decides only; the op runner does the calls. Which
 * failures may be retried is decided here too, from the provider's error kind.
 */
import { ProviderError } from "../providers/provider.js";

export interface RetryPolicy {
  /** Calls in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** No single wait is longer. */
  maxDelayMs: number;
  /** No new attempt starts once this long has passed since the first. */
  maxTotalMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5_000, maxTotalMs: 60_000 };

export interface RetryClock {
  now: () => number;
  random: () => number;
}

/** Transport failures were not processed, so another try is safe; refusals and nonsense are final. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof ProviderError)) return false;
  if (err.kind === "unknown-outcome") return false;
  return err.kind === "transport" || err.retryable;
}

/** The wait after the `failures`-th failed attempt: uniform in [0, min(cap, base·2^(failures-1))). */
export function backoffDelay(policy: RetryPolicy, failures: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.floor(random() * ceiling);
}

/** Counts one op's attempts; `nextDelay` says how long to wait before the next, or null to give up. */
export class RetryBudget {
  private attempts = 0;
  private readonly startedAt: number;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly clock: RetryClock,
  ) {
    this.startedAt = clock.now();
  }

  /** Call before each attempt. */
  begin(): number {
    this.attempts += 1;
    return this.attempts;
  }

  get used(): number {
    return this.attempts;
  }

  nextDelay(): number | null {
    if (this.attempts >= this.policy.maxAttempts) return null;
    const delay = backoffDelay(this.policy, this.attempts, this.clock.random);
    if (this.clock.now() - this.startedAt + delay > this.policy.maxTotalMs) return null;
    return delay;
  }

  /** For messages: "after 5 attempts over 12.3 s". */
  describe(): string {
    const seconds = ((this.clock.now() - this.startedAt) / 1000).toFixed(1);
    return `after ${this.attempts} attempt${this.attempts === 1 ? "" : "s"} over ${seconds} s`;
  }
}

/**
 * Waits `ms`, or less if `signal` aborts first (Ctrl-C should not sit out a long wait);
 * resolves true when it was cut short.
 */
export async function sleepUnlessAborted(ms: number, clock: { sleep: (ms: number) => Promise<void> }, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal === undefined) {
    await clock.sleep(ms);
    return false;
  }
  if (signal.aborted) return true;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<boolean>((resolve) => {
    onAbort = () => resolve(true);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([clock.sleep(ms).then(() => signal.aborted), aborted]);
  } finally {
    if (onAbort !== undefined) signal.removeEventListener("abort", onAbort);
  }
}

/** Runs a call that is safe to repeat (a read), retrying what isRetryable allows; throws the last error. */
export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  clock: RetryClock & { sleep: (ms: number) => Promise<void> },
): Promise<T> {
  const budget = new RetryBudget(policy, clock);
  for (;;) {
    budget.begin();
    try {
      return await call();
    } catch (err) {
      const delay = isRetryable(err) ? budget.nextDelay() : null;
      if (delay === null) throw err;
      await clock.sleep(delay);
    }
  }
}
