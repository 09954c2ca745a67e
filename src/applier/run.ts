/**
 * Runs a checked plan against the providers: starts each op as soon as its dependencies are
 * done and a slot is free (schedule.ts), carries it out (execute-op.ts), and ends with a
 * report covering every op. Does not re-collect or check staleness (stale.ts, before this),
 * never prints (events go to the caller's sink) and never throws for a failed op.
 */
import type { Op } from "../model/op.js";
import type { Plan } from "../model/plan.js";
import type { Provider } from "../providers/provider.js";
import type { ApplyEvent, ApplyEventSink } from "./events.js";
import { executeOp, type OpClock, type OpOutcome } from "./execute-op.js";
import { buildReport, type ApplyReport, type OpResult } from "./report.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry.js";
import { Schedule, type ConcurrencyLimits, type Skip } from "./schedule.js";

export interface ApplyOptions {
  providers: ReadonlyMap<string, Provider>;
  concurrency: ConcurrencyLimits;
  retry?: RetryPolicy;
  /** Stop starting new ops after the first one that does not end done. */
  failFast: boolean;
  /** Ctrl-C: no new op starts, ops in flight finish. */
  signal?: AbortSignal;
  events?: ApplyEventSink;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const INTERRUPTED_REASON = "not started: interrupted";
export const FAIL_FAST_REASON = "not started: --fail-fast";

export function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyReport> {
  const clock: OpClock = {
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
  return new ApplyRun(plan, options, clock).run();
}

class ApplyRun {
  private readonly schedule: Schedule;
  private readonly results = new Map<string, OpResult>();
  private readonly byId: Map<string, Op>;
  private stopped = false;
  private interrupted = false;
  private sinkBroken = false;
  private startedAt = 0;
  private resolve: ((report: ApplyReport) => void) | null = null;

  constructor(
    private readonly plan: Plan,
    private readonly options: ApplyOptions,
    private readonly clock: OpClock,
  ) {
    this.schedule = new Schedule(plan.ops, options.concurrency);
    this.byId = new Map(plan.ops.map((op) => [op.id, op]));
  }

  run(): Promise<ApplyReport> {
    this.startedAt = this.clock.now();
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.emit(this.startEvent());
      const signal = this.options.signal;
      if (signal?.aborted === true) this.onAbort();
      else signal?.addEventListener("abort", this.onAbort, { once: true });
      this.pump();
    });
  }

  private startEvent(): ApplyEvent {
    const opsByServer: Record<string, number> = {};
    for (const op of this.plan.ops) opsByServer[op.server] = (opsByServer[op.server] ?? 0) + 1;
    return {
      type: "apply-started",
      at: this.startedAt,
      planCreatedAt: this.plan.createdAt,
      inventoryCommit: this.plan.inventory.commit,
      fingerprints: Object.fromEntries(this.plan.servers.map((s) => [s.name, s.fingerprint])),
      opsByServer,
    };
  }

  private readonly onAbort = (): void => {
    if (this.schedule.settled || this.interrupted) return;
    this.interrupted = true;
    this.emit({ type: "apply-interrupted", at: this.clock.now() });
    this.stop(INTERRUPTED_REASON);
    this.maybeFinish();
  };

  private stop(reason: string): void {
    this.stopped = true;
    this.recordSkips(this.schedule.stopAll(reason));
  }

  private pump(): void {
    if (!this.stopped) for (const op of this.schedule.take()) this.launch(op);
    this.maybeFinish();
  }

  private launch(op: Op): void {
    const started = this.clock.now();
    const ctx = { provider: this.options.providers.get(op.server), retry: this.options.retry ?? DEFAULT_RETRY_POLICY, clock: this.clock, signal: this.options.signal, emit: (e: ApplyEvent) => this.emit(e) };
    void executeOp(op, ctx)
      .catch((err: unknown): OpOutcome => ({ status: "failed", message: `internal error (a siteform bug): ${err instanceof Error ? err.message : String(err)}`, siteId: op.target.siteId, attempts: 1, note: null, errorKind: null }))
      .then((outcome) => this.settle(op, outcome, started));
  }

  private settle(op: Op, outcome: OpOutcome, started: number): void {
    const { status, message, siteId, attempts, note } = outcome;
    this.record({ id: op.id, server: op.server, action: op.action, domain: op.target.domain, status, message, siteId, attempts, durationMs: this.clock.now() - started, note });
    this.recordSkips(this.schedule.finish(op.id, status));
    if (status !== "done" && this.options.failFast && !this.stopped) this.stop(FAIL_FAST_REASON);
    // A refused key refuses every call to that server: starting its other ops only adds noise.
    if (outcome.errorKind === "auth") this.recordSkips(this.schedule.stopServer(op.server, `not started: server ${op.server} refused the API key`));
    this.pump();
  }

  private recordSkips(skips: readonly Skip[]): void {
    for (const { id, reason } of skips) {
      const op = this.byId.get(id);
      if (op === undefined) continue;
      this.record({ id, server: op.server, action: op.action, domain: op.target.domain, status: "skipped", message: reason, siteId: op.target.siteId, attempts: 0, durationMs: 0, note: null });
    }
  }

  private record(result: OpResult): void {
    this.results.set(result.id, result);
    this.emit({ type: "op-finished", at: this.clock.now(), result });
  }

  /** A sink that throws (the journal's disk is full) stops new ops: applying without a record is not safe. */
  private emit(event: ApplyEvent): void {
    try {
      this.options.events?.(event);
    } catch (err) {
      if (this.sinkBroken) return;
      this.sinkBroken = true;
      this.stop(`not started: the apply could not be recorded (${err instanceof Error ? err.message : String(err)})`);
    }
  }

  private maybeFinish(): void {
    if (!this.schedule.settled || this.resolve === null) return;
    const resolve = this.resolve;
    this.resolve = null;
    this.options.signal?.removeEventListener("abort", this.onAbort);
    const ops = this.plan.ops.map((op) => this.results.get(op.id)).filter((r): r is OpResult => r !== undefined);
    const report = buildReport(ops, { startedAt: this.startedAt, finishedAt: this.clock.now() }, this.interrupted);
    this.emit({ type: "apply-finished", at: this.clock.now(), report });
    resolve(report);
  }
}
