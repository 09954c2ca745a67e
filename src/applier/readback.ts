/**
 * After an answer was lost (unknown outcome), reads the site back and decides whether the op
 * took effect, so nothing is done twice. Reading is safe to retry; deciding is pure
 * (`judgeReadBack`). Never calls execute. An op that is harmless to send again is read back
 * once (`readBack`); one that is not is read back until it shows or a deadline passes
 * (`readBackUntil`), because a server still working on it looks exactly like one that never got it.
 */
import type { ObservedSite } from "../model/observed-site.js";
import type { Op } from "../model/op.js";
import { RENAMING_FIELDS } from "../inventory/catalogue.js";
import { identityOf } from "../planner/fields.js";
import type { Provider } from "../providers/provider.js";
import { fieldValue, sameValue } from "./field-value.js";
import { isRetryable, sleepUnlessAborted, withRetry, type RetryClock, type RetryPolicy } from "./retry.js";

export type ReadBackVerdict =
  | { kind: "took-effect"; siteId: string | null }
  | { kind: "not-taken"; detail: string }
  | { kind: "undecided"; detail: string };

export const READ_BACK_NOTE = "confirmed by reading back after a lost answer";

/** The domain the site should have once the op has run: a create's new name, else the current one. */
function expectedDomain(op: Op): string {
  return op.action === "create" ? (op.preconditions.freeDomain ?? op.target.domain) : op.target.domain;
}

type SleepClock = RetryClock & { sleep: (ms: number) => Promise<void> };

function readRequest(op: Op): { siteId: string | null; domain: string; fields: string[] } {
  return {
    siteId: op.action === "create" ? null : op.target.siteId,
    domain: expectedDomain(op),
    fields: op.changes.filter((c) => c.secret !== true).map((c) => c.field),
  };
}

function readFailed(err: unknown): string {
  return `reading the site back failed: ${err instanceof Error ? err.message : String(err)}`;
}


/**
 * Whether sending the op again, when it may already have been carried out (or still be in
 * progress), is harmless. Setting a value or a state twice is: the second call finds it set.
 * A create is not (a second site, or a refusal while the first is still being built), nor a
 * delete (it races the first, and is refused at best, reporting failed what was done), nor a
 * rename (it races the first, and the names it frees may already be taken by the ops after it).
 */
export function resendIsHarmless(op: Op): boolean {
  switch (op.action) {
    case "create":
    case "delete":
      return false;
    case "suspend":
    case "activate":
      return true;
    case "update":
      // A rename changes what the site is found by, and what other ops may be waiting to take.
      return !op.changes.some((c) => {
        const identity = identityOf(c.field);
        return identity !== null && RENAMING_FIELDS.has(identity);
      });
  }
}

/** Reads once (retrying transport failures of the read itself) and judges. */
export async function readBack(op: Op, provider: Provider, retry: { policy: RetryPolicy; clock: SleepClock }): Promise<ReadBackVerdict> {
  const request = readRequest(op);
  let site: ObservedSite | null;
  try {
    site = await withRetry(() => provider.readSite(request), retry.policy, retry.clock);
  } catch (err) {
    return { kind: "undecided", detail: readFailed(err) };
  }
  return judgeReadBack(op, site);
}

export interface PatientReadBack {
  /** The last read's verdict. */
  verdict: ReadBackVerdict;
  reads: number;
  /** From the start of the first read to the end of the last. */
  elapsedMs: number;
  /** The signal aborted while waiting to read again. */
  interrupted: boolean;
}

export interface ReadBackWait {
  policy: RetryPolicy;
  clock: SleepClock;
  signal: AbortSignal | undefined;
  /** Reads go on until this long after the first; the last read is made at or after it. */
  windowMs: number;
  /** Told after the first read when more will follow (progress: the operator sees why nothing moves). */
  onWaiting?: (detail: string) => void;
}

/** The pause before read `n + 1`: doubling from the policy's base, capped by its longest wait. */
export function readBackDelay(policy: RetryPolicy, reads: number): number {
  return Math.max(1, Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, reads - 1)));
}

/**
 * Reads the site back until the op shows as done, a read settles that it cannot tell (a refused
 * read, a site that is gone), or `windowMs` has passed. Not taken yet is not final: the server
 * may still be carrying out the call whose answer was lost.
 */
export async function readBackUntil(op: Op, provider: Provider, wait: ReadBackWait): Promise<PatientReadBack> {
  const request = readRequest(op);
  const started = wait.clock.now();
  const deadline = started + wait.windowMs;
  let reads = 0;
  const ended = (verdict: ReadBackVerdict, interrupted: boolean): PatientReadBack => ({ verdict, reads, elapsedMs: wait.clock.now() - started, interrupted });
  for (;;) {
    reads += 1;
    let pending: Extract<ReadBackVerdict, { detail: string }>;
    try {
      const verdict = judgeReadBack(op, await provider.readSite(request));
      if (verdict.kind !== "not-taken") return ended(verdict, false);
      pending = verdict;
    } catch (err) {
      pending = { kind: "undecided", detail: readFailed(err) };
      // A read the server refuses will be refused again; one that did not get through may next time.
      if (!isRetryable(err)) return ended(pending, false);
    }
    const left = deadline - wait.clock.now();
    if (left <= 0) return ended(pending, false);
    if (reads === 1) wait.onWaiting?.(pending.detail);
    if (await sleepUnlessAborted(Math.min(left, readBackDelay(wait.policy, reads)), wait.clock, wait.signal)) return ended(pending, true);
  }
}

export function judgeReadBack(op: Op, site: ObservedSite | null): ReadBackVerdict {
  switch (op.action) {
    case "create":
      return site === null ? { kind: "not-taken", detail: `no site holds ${expectedDomain(op)}` } : { kind: "took-effect", siteId: site.id };
    case "delete":
      return site === null ? { kind: "took-effect", siteId: null } : { kind: "not-taken", detail: `${site.id} is still there` };
    case "suspend":
    case "activate": {
      if (site === null) return { kind: "undecided", detail: `site ${op.target.siteId ?? op.target.domain} was not found when read back` };
      const wanted = op.action === "activate";
      return site.active === wanted ? { kind: "took-effect", siteId: site.id } : { kind: "not-taken", detail: `the site is still ${wanted ? "suspended" : "active"}` };
    }
    case "update":
      return judgeUpdate(op, site);
  }
}

function judgeUpdate(op: Op, site: ObservedSite | null): ReadBackVerdict {
  if (site === null) return { kind: "undecided", detail: `site ${op.target.siteId ?? op.target.domain} was not found when read back` };
  // Secret values are redacted in the plan, so they cannot be compared.
  const comparable = op.changes.filter((c) => c.secret !== true);
  if (comparable.length === 0) return { kind: "undecided", detail: "only secret fields change, which cannot be read back" };
  const differing = comparable.filter((c) => !sameValue(c.field, c.after, fieldValue(site, c.field)));
  if (differing.length === 0) return { kind: "took-effect", siteId: site.id };
  return { kind: "not-taken", detail: `${differing.map((c) => c.field).join(", ")} not yet changed` };
}
