/**
 * After an answer was lost (unknown outcome), reads the site back and decides whether the op
 * took effect, so nothing is done twice. Reading is safe to retry; deciding is pure
 * (`judgeReadBack`). Never calls execute. An op that is harmless to send again is read back
 * once (`readBack`); one that is not is read back until it shows or a deadline passes
 * (`readBackUntil`), because a server still working on it looks exactly like one that never got it.
 */
import type { Catalogue } from "../kinds/catalogue.js";
import type { Op } from "../model/op.js";
import type { ObservedResource } from "../model/resource.js";
import type { Provider, ResourceRead } from "../providers/provider.js";
import { fieldValue, satisfies } from "./field-value.js";
import { isRetryable, sleepUnlessAborted, withRetry, type RetryClock, type RetryPolicy } from "./retry.js";

export type ReadBackVerdict =
  | { kind: "took-effect"; resourceId: string | null }
  | { kind: "not-taken"; detail: string }
  | { kind: "undecided"; detail: string };

export const READ_BACK_NOTE = "confirmed by reading back after a lost answer";

type SleepClock = RetryClock & { sleep: (ms: number) => Promise<void> };

function readRequest(op: Op): ResourceRead {
  return {
    kind: op.kind,
    id: op.action === "create" ? null : op.target.id,
    // A create's target is named by the name it is created with.
    name: op.target.name,
    fields: op.changes.filter((c) => c.secret !== true).map((c) => c.field),
  };
}

function readFailed(err: unknown): string {
  return `reading it back failed: ${err instanceof Error ? err.message : String(err)}`;
}


/**
 * Whether sending the op again, when it may already have been carried out (or still be in
 * progress), is harmless. Setting a value or a state twice is: the second call finds it set.
 * A create is not (a second resource, or a refusal while the first is still being built), nor
 * a delete (it races the first, and is refused at best, reporting failed what was done), nor a
 * rename (it races the first, and the names it frees may already be taken by the ops after
 * it), nor a kind's own action (a second renewal is paid twice).
 */
export function resendIsHarmless(op: Op, catalogue: Catalogue): boolean {
  switch (op.action) {
    case "suspend":
    case "activate":
      return true;
    case "update": {
      // A rename changes what the resource is found by, and what other ops may be waiting to take.
      const kind = catalogue.kind(op.kind);
      return !op.changes.some((c) => kind.keyOfField(c.field)?.renames === true);
    }
    default:
      return false;
  }
}

/** Reads once (retrying transport failures of the read itself) and judges. */
export async function readBack(op: Op, provider: Provider, retry: { policy: RetryPolicy; clock: SleepClock; catalogue: Catalogue }): Promise<ReadBackVerdict> {
  const request = readRequest(op);
  let found: ObservedResource | null;
  try {
    found = await withRetry(() => provider.readResource(request), retry.policy, retry.clock);
  } catch (err) {
    return { kind: "undecided", detail: readFailed(err) };
  }
  return judgeReadBack(op, found, retry.catalogue);
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
  catalogue: Catalogue;
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
      const verdict = judgeReadBack(op, await provider.readResource(request), wait.catalogue);
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

export function judgeReadBack(op: Op, found: ObservedResource | null, catalogue: Catalogue): ReadBackVerdict {
  const noun = catalogue.kind(op.kind).noun;
  const missing = (): ReadBackVerdict => ({ kind: "undecided", detail: `${noun} ${op.target.id ?? op.target.name} was not found when read back` });
  switch (op.action) {
    case "create":
      // A resource still being set up exists: the create took effect.
      // A deleted one listed under the same name is not the new one.
      return found === null || found.state === "gone" ? { kind: "not-taken", detail: `no ${noun} holds ${op.target.name}` } : { kind: "took-effect", resourceId: found.id };
    case "delete":
      return found === null || found.state === "gone" ? { kind: "took-effect", resourceId: null } : { kind: "not-taken", detail: `${found.id} is still there` };
    case "suspend":
    case "activate": {
      if (found === null) return missing();
      const wanted = op.action === "activate" ? "active" : "suspended";
      return found.state === wanted ? { kind: "took-effect", resourceId: found.id } : { kind: "not-taken", detail: `it is still ${found.state}` };
    }
    default:
      return judgeFields(op, found, catalogue);
  }
}

/** An update, or a kind's own action: its changes show on the resource. */
function judgeFields(op: Op, found: ObservedResource | null, catalogue: Catalogue): ReadBackVerdict {
  if (found === null) return { kind: "undecided", detail: `${catalogue.kind(op.kind).noun} ${op.target.id ?? op.target.name} was not found when read back` };
  const kind = catalogue.kind(op.kind);
  // Secret values are redacted in the plan, so they cannot be compared.
  const comparable = op.changes.filter((c) => c.secret !== true);
  if (comparable.length === 0) return { kind: "undecided", detail: "only secret fields change, which cannot be read back" };
  // A renewal that paid for longer than wanted took effect all the same.
  const differing = comparable.filter((c) => !satisfies(kind, c.field, c.after, fieldValue(found, c.field)));
  if (differing.length === 0) return { kind: "took-effect", resourceId: found.id };
  return { kind: "not-taken", detail: `${differing.map((c) => c.field).join(", ")} not yet changed` };
}
