/**
 * Carries out one op to a final status: execute, retry what may be retried, read back after a
 * lost answer instead of repeating blindly (and never repeat a create, delete or rename at all),
 * and look up a new site's id. Knows nothing of the graph (schedule.ts) and never throws: every
 * ending is an OpOutcome.
 */
import type { Catalogue } from "../kinds/catalogue.js";
import type { Op } from "../model/op.js";
import { ProviderError, type ExecuteResult, type Provider, type ProviderErrorKind } from "../providers/provider.js";
import type { ApplyEvent, OpRef } from "./events.js";
import { READ_BACK_NOTE, readBack, readBackUntil, resendIsHarmless, type PatientReadBack } from "./readback.js";
import { RetryBudget, isRetryable, sleepUnlessAborted, withRetry, type RetryPolicy } from "./retry.js";

export interface OpClock {
  now: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export interface OpRunContext {
  provider: Provider | undefined;
  /** The kinds, for comparing what is read back as the planner compares. */
  catalogue: Catalogue;
  retry: RetryPolicy;
  clock: OpClock;
  /** Once aborted, no further attempt starts (the one in flight is never cancelled) and a read-back stops waiting. */
  signal: AbortSignal | undefined;
  emit: (event: ApplyEvent) => void;
}

export interface OpOutcome {
  status: "done" | "failed" | "unknown";
  message: string | null;
  resourceId: string | null;
  attempts: number;
  note: string | null;
  /** The kind of the last provider error, when the op did not end done. */
  errorKind: ProviderErrorKind | null;
}

type Step = { kind: "final"; outcome: Omit<OpOutcome, "attempts"> } | { kind: "retry"; message: string; errorKind: ProviderErrorKind };

export function opRef(op: Op): OpRef {
  return { id: op.id, server: op.server, action: op.action, name: op.target.name };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function executeOp(op: Op, ctx: OpRunContext): Promise<OpOutcome> {
  const provider = ctx.provider;
  if (provider === undefined) {
    return { status: "failed", message: `no provider for server '${op.server}': is it still in siteform.yaml?`, resourceId: op.target.id, attempts: 0, note: null, errorKind: null };
  }
  const budget = new RetryBudget(ctx.retry, ctx.clock);
  for (;;) {
    const attempt = budget.begin();
    if (attempt === 1) ctx.emit({ type: "op-started", at: ctx.clock.now(), op: opRef(op), attempt });
    const step = await attemptOnce(op, provider, ctx);
    if (step.kind === "final") return { ...step.outcome, attempts: attempt };
    const stop = await waitToRetry(op, budget, step.message, ctx);
    if (stop !== null) return { status: "failed", message: stop, resourceId: op.target.id, attempts: attempt, note: null, errorKind: step.errorKind };
  }
}

/** Waits before the next attempt; returns why not to make one, or null to go on. */
async function waitToRetry(op: Op, budget: RetryBudget, message: string, ctx: OpRunContext): Promise<string | null> {
  if (ctx.signal?.aborted === true) return `interrupted before retrying: ${message}`;
  const delay = budget.nextDelay();
  if (delay === null) return `gave up ${budget.describe()}: ${message}`;
  ctx.emit({ type: "op-retrying", at: ctx.clock.now(), op: opRef(op), attempt: budget.used + 1, delayMs: delay, message });
  const aborted = await sleepUnlessAborted(delay, ctx.clock, ctx.signal);
  return aborted ? `interrupted before retrying: ${message}` : null;
}

async function attemptOnce(op: Op, provider: Provider, ctx: OpRunContext): Promise<Step> {
  let result: ExecuteResult;
  try {
    // The abort signal is deliberately not passed: Ctrl-C lets the call in flight finish.
    result = await provider.execute(op, { progress: (message) => ctx.emit({ type: "op-waiting", at: ctx.clock.now(), op: opRef(op), message }) });
  } catch (err) {
    return afterFailure(op, provider, err, ctx);
  }
  return { kind: "final", outcome: await doneOutcome(op, provider, result.id, result.note ?? null, ctx) };
}

async function afterFailure(op: Op, provider: Provider, err: unknown, ctx: OpRunContext): Promise<Step> {
  if (!(err instanceof ProviderError)) {
    return { kind: "final", outcome: { status: "failed", message: `unexpected error from the provider (a siteform bug): ${errorText(err)}`, resourceId: op.target.id, note: null, errorKind: null } };
  }
  if (err.kind === "unknown-outcome") return afterLostAnswer(op, provider, err, ctx);
  if (isRetryable(err)) return { kind: "retry", message: err.message, errorKind: err.kind };
  return { kind: "final", outcome: { status: "failed", message: err.message, resourceId: op.target.id, note: null, errorKind: err.kind } };
}

async function afterLostAnswer(op: Op, provider: Provider, err: ProviderError, ctx: OpRunContext): Promise<Step> {
  if (!resendIsHarmless(op, ctx.catalogue)) return afterLostAnswerPatiently(op, provider, err, ctx);
  // Sending it again is harmless (it sets values or a state, which a second call finds set),
  // so one read decides between done and another attempt.
  const verdict = await readBack(op, provider, { policy: ctx.retry, clock: ctx.clock, catalogue: ctx.catalogue });
  ctx.emit({ type: "op-read-back", at: ctx.clock.now(), op: opRef(op), outcome: verdict.kind, message: verdict.kind === "took-effect" ? READ_BACK_NOTE : verdict.detail });
  if (verdict.kind === "took-effect") return { kind: "final", outcome: await doneOutcome(op, provider, verdict.resourceId, READ_BACK_NOTE, ctx) };
  if (verdict.kind === "not-taken") return { kind: "retry", message: `${err.message} (read back: ${verdict.detail})`, errorKind: err.kind };
  return unknownStep(op, err, `${verdict.detail}. Check ${siteText(op)}, then plan again`);
}

/**
 * For an op that must not be sent twice: read back for as long again as the call itself was
 * given (the server may still be working on it), and never send it again. Not seen by then is
 * unknown, not failed: it may yet happen.
 */
async function afterLostAnswerPatiently(op: Op, provider: Provider, err: ProviderError, ctx: OpRunContext): Promise<Step> {
  const windowMs = provider.callTimeoutMs;
  const result = await readBackUntil(op, provider, {
    policy: ctx.retry,
    clock: ctx.clock,
    signal: ctx.signal,
    windowMs,
    catalogue: ctx.catalogue,
    onWaiting: (detail) => {
      ctx.emit({ type: "op-read-back", at: ctx.clock.now(), op: opRef(op), outcome: "undecided", message: `${detail}; reading back for up to ${seconds(windowMs)} s, it will not be sent again` });
    },
  });
  const verdict = result.verdict;
  if (verdict.kind === "took-effect") {
    ctx.emit({ type: "op-read-back", at: ctx.clock.now(), op: opRef(op), outcome: verdict.kind, message: READ_BACK_NOTE });
    return { kind: "final", outcome: await doneOutcome(op, provider, verdict.resourceId, READ_BACK_NOTE, ctx) };
  }
  const text = patientText(result, verdict.detail);
  ctx.emit({ type: "op-read-back", at: ctx.clock.now(), op: opRef(op), outcome: verdict.kind, message: text });
  return unknownStep(op, err, `${text}; it was not sent again, as the server may still be carrying it out. Check ${siteText(op)}, then plan again`);
}

function patientText(result: PatientReadBack, detail: string): string {
  const over = `read back ${result.reads} time${result.reads === 1 ? "" : "s"} over ${seconds(result.elapsedMs)} s`;
  return result.interrupted ? `interrupted while reading back: ${detail} (${over})` : `${detail} (${over})`;
}

function unknownStep(op: Op, err: ProviderError, what: string): Step {
  return { kind: "final", outcome: { status: "unknown", message: `${err.message}; ${what}`, resourceId: op.target.id, note: null, errorKind: err.kind } };
}

/** Where to look on the server: the name the resource has (or is to get, for a create) and its id. */
function siteText(op: Op): string {
  const id = op.target.id === null ? "" : ` (${op.target.id})`;
  return `${op.target.name}${id} on ${op.server}`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

async function doneOutcome(op: Op, provider: Provider, reported: string | null, note: string | null, ctx: OpRunContext): Promise<Omit<OpOutcome, "attempts">> {
  const done = { status: "done" as const, message: null, errorKind: null };
  if (op.action === "delete") return { ...done, resourceId: null, note };
  if (reported !== null) return { ...done, resourceId: reported, note };
  if (op.action !== "create") return { ...done, resourceId: op.target.id, note };
  // The provider did not say which id the new resource got: look it up by its name.
  try {
    const found = await withRetry(() => provider.readResource({ kind: op.kind, id: null, name: op.target.name, fields: [] }), ctx.retry, ctx.clock);
    const lookup = found === null ? "the new resource was not found when looking up its id" : null;
    return { ...done, resourceId: found?.id ?? null, note: joinNotes(note, lookup) };
  } catch (err) {
    return { ...done, resourceId: null, note: joinNotes(note, `the new resource's id could not be looked up: ${errorText(err)}`) };
  }
}

function joinNotes(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  return b === null ? a : `${a}; ${b}`;
}
