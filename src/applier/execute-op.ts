/**
 * Carries out one op to a final status: execute, retry what may be retried, read back after a
 * lost answer instead of repeating blindly, and look up a new site's id. Knows nothing of the
 * graph (schedule.ts) and never throws: every ending is an OpOutcome.
 */
import type { Op } from "../model/op.js";
import { ProviderError, type ExecuteResult, type Provider, type ProviderErrorKind } from "../providers/provider.js";
import type { ApplyEvent, OpRef } from "./events.js";
import { READ_BACK_NOTE, readBack } from "./readback.js";
import { RetryBudget, isRetryable, withRetry, type RetryPolicy } from "./retry.js";

export interface OpClock {
  now: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export interface OpRunContext {
  provider: Provider | undefined;
  retry: RetryPolicy;
  clock: OpClock;
  /** Once aborted, no further attempt starts (the one in flight is never cancelled). */
  signal: AbortSignal | undefined;
  emit: (event: ApplyEvent) => void;
}

export interface OpOutcome {
  status: "done" | "failed" | "unknown";
  message: string | null;
  siteId: string | null;
  attempts: number;
  note: string | null;
  /** The kind of the last provider error, when the op did not end done. */
  errorKind: ProviderErrorKind | null;
}

type Step = { kind: "final"; outcome: Omit<OpOutcome, "attempts"> } | { kind: "retry"; message: string; errorKind: ProviderErrorKind };

export function opRef(op: Op): OpRef {
  return { id: op.id, server: op.server, action: op.action, domain: op.target.domain };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function executeOp(op: Op, ctx: OpRunContext): Promise<OpOutcome> {
  const provider = ctx.provider;
  if (provider === undefined) {
    return { status: "failed", message: `no provider for server '${op.server}': is it still in siteform.yaml?`, siteId: op.target.siteId, attempts: 0, note: null, errorKind: null };
  }
  const budget = new RetryBudget(ctx.retry, ctx.clock);
  for (;;) {
    const attempt = budget.begin();
    if (attempt === 1) ctx.emit({ type: "op-started", at: ctx.clock.now(), op: opRef(op), attempt });
    const step = await attemptOnce(op, provider, ctx);
    if (step.kind === "final") return { ...step.outcome, attempts: attempt };
    const stop = await waitToRetry(op, budget, step.message, ctx);
    if (stop !== null) return { status: "failed", message: stop, siteId: op.target.siteId, attempts: attempt, note: null, errorKind: step.errorKind };
  }
}

/** Waits before the next attempt; returns why not to make one, or null to go on. */
async function waitToRetry(op: Op, budget: RetryBudget, message: string, ctx: OpRunContext): Promise<string | null> {
  if (ctx.signal?.aborted === true) return `interrupted before retrying: ${message}`;
  const delay = budget.nextDelay();
  if (delay === null) return `gave up ${budget.describe()}: ${message}`;
  ctx.emit({ type: "op-retrying", at: ctx.clock.now(), op: opRef(op), attempt: budget.used + 1, delayMs: delay, message });
  const aborted = await sleepUnlessAborted(delay, ctx);
  return aborted ? `interrupted before retrying: ${message}` : null;
}

async function sleepUnlessAborted(ms: number, ctx: OpRunContext): Promise<boolean> {
  const signal = ctx.signal;
  if (signal === undefined) {
    await ctx.clock.sleep(ms);
    return false;
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<boolean>((resolve) => {
    onAbort = () => resolve(true);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([ctx.clock.sleep(ms).then(() => signal.aborted), aborted]);
  } finally {
    if (onAbort !== undefined) signal.removeEventListener("abort", onAbort);
  }
}

async function attemptOnce(op: Op, provider: Provider, ctx: OpRunContext): Promise<Step> {
  let result: ExecuteResult;
  try {
    // The abort signal is deliberately not passed: Ctrl-C lets the call in flight finish.
    result = await provider.execute(op);
  } catch (err) {
    return afterFailure(op, provider, err, ctx);
  }
  return { kind: "final", outcome: await doneOutcome(op, provider, result.siteId, result.note ?? null, ctx) };
}

async function afterFailure(op: Op, provider: Provider, err: unknown, ctx: OpRunContext): Promise<Step> {
  if (!(err instanceof ProviderError)) {
    return { kind: "final", outcome: { status: "failed", message: `unexpected error from the provider (a siteform bug): ${errorText(err)}`, siteId: op.target.siteId, note: null, errorKind: null } };
  }
  if (err.kind === "unknown-outcome") return afterLostAnswer(op, provider, err, ctx);
  if (isRetryable(err)) return { kind: "retry", message: err.message, errorKind: err.kind };
  return { kind: "final", outcome: { status: "failed", message: err.message, siteId: op.target.siteId, note: null, errorKind: err.kind } };
}

async function afterLostAnswer(op: Op, provider: Provider, err: ProviderError, ctx: OpRunContext): Promise<Step> {
  const verdict = await readBack(op, provider, { policy: ctx.retry, clock: ctx.clock });
  ctx.emit({ type: "op-read-back", at: ctx.clock.now(), op: opRef(op), outcome: verdict.kind, message: verdict.kind === "took-effect" ? READ_BACK_NOTE : verdict.detail });
  if (verdict.kind === "took-effect") return { kind: "final", outcome: await doneOutcome(op, provider, verdict.siteId, READ_BACK_NOTE, ctx) };
  if (verdict.kind === "not-taken") return { kind: "retry", message: `${err.message} (read back: ${verdict.detail})`, errorKind: err.kind };
  return {
    kind: "final",
    outcome: {
      status: "unknown",
      message: `${err.message}; ${verdict.detail}. Check the site on the server, then plan again`,
      siteId: op.target.siteId,
      note: null,
      errorKind: err.kind,
    },
  };
}

async function doneOutcome(op: Op, provider: Provider, reported: string | null, note: string | null, ctx: OpRunContext): Promise<Omit<OpOutcome, "attempts">> {
  const done = { status: "done" as const, message: null, errorKind: null };
  if (op.action === "delete") return { ...done, siteId: null, note };
  if (reported !== null) return { ...done, siteId: reported, note };
  if (op.action !== "create") return { ...done, siteId: op.target.siteId, note };
  // The provider did not say which id the new site got: look it up by its domain.
  try {
    const site = await withRetry(() => provider.readSite({ siteId: null, domain: op.preconditions.freeDomain ?? op.target.domain, fields: [] }), ctx.retry, ctx.clock);
    const lookup = site === null ? "the new site was not found when looking up its id" : null;
    return { ...done, siteId: site?.id ?? null, note: joinNotes(note, lookup) };
  } catch (err) {
    return { ...done, siteId: null, note: joinNotes(note, `the new site's id could not be looked up: ${errorText(err)}`) };
  }
}

function joinNotes(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  return b === null ? a : `${a}; ${b}`;
}
