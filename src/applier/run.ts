/**
 * Runs a checked plan against the providers: refuses it whole if it breaks the deletion rules
 * (deletion-rules.ts), starts each op as soon as its dependencies are done and a slot is free
 * (schedule.ts), re-reads the op's target right before sending it (preflight.ts), carries it
 * out (execute-op.ts), and ends with a report covering every op. Whether a saved plan is still
 * what siteform would do is decided before this (proposal.ts). Never prints (events go to the
 * caller's sink) and never throws for a failed op.
 */
import type { Catalogue } from "../kinds/catalogue.js";
import type { Op } from "../model/op.js";
import type { Plan } from "../model/plan.js";
import type { Provider } from "../providers/provider.js";
import type { ApplyEvent, ApplyEventSink } from "./events.js";
import { deletionRefusals, type DeletionRules } from "./deletion-rules.js";
import { executeOp, type OpClock, type OpOutcome } from "./execute-op.js";
import { preflight, sameTargetChanges } from "./preflight.js";
import { paidRefusals, type PaidRules } from "./paid-rules.js";
import { ResourceReads } from "./resource-reads.js";
import { changeLinesByOp } from "./change-lines.js";
import { buildReport, type ApplyReport, type OpResult } from "./report.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry.js";
import { Schedule, type ConcurrencyLimits, type Skip } from "./schedule.js";

export interface ApplyOptions {
  providers: ReadonlyMap<string, Provider>;
  /** The kinds the plan's ops are of: re-reads compare values as the planner does. */
  catalogue: Catalogue;
  concurrency: ConcurrencyLimits;
  retry?: RetryPolicy;
  /** Stop starting new ops after the first one that does not end done. */
  failFast: boolean;
  /** Checked before anything starts: a plan that breaks them is refused whole. Without rules, no deletion runs. */
  deletionRules?: DeletionRules;
  /** Checked likewise: without them, no op that costs money runs. */
  paidRules?: PaidRules;
  /** Re-read each op's target right before sending it (default true; the bench turns it off to measure its cost). */
  reread?: boolean;
  /** Ctrl-C: no new op starts, ops in flight finish. */
  signal?: AbortSignal;
  /** A second Ctrl-C: ops in flight are no longer waited for; they end `unknown` and the report is final at once. */
  forced?: AbortSignal;
  events?: ApplyEventSink;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const INTERRUPTED_REASON = "not started: interrupted";
export const FAIL_FAST_REASON = "not started: --fail-fast";
export const FORCED_MESSAGE = "in flight when apply was stopped a second time: it may or may not have taken effect; check the site, then plan again";

/** The rules when a caller gives none: every deletion is refused (a cap of zero). */
const NO_DELETIONS: DeletionRules = { maxDeletes: 0, allowDeletes: null, graceDays: 0, ownerTags: [], protectedSites: new Set(), keptSites: new Set() };

/** The rules when a caller gives none: every op that costs money is refused. */
const NO_PAID: PaidRules = { maxPaidOps: 0, allowPaid: null };

/** How an op ended: the executor's outcomes, or a conflict found by the re-read before sending. */
type Finished = Omit<OpOutcome, "status"> & { status: OpOutcome["status"] | "conflict" };

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
  private forced = false;
  private refused: readonly string[] = [];
  /** Ops in flight and when each started. */
  private readonly running = new Map<string, number>();
  private readonly ignoreByOp: Map<string, ReadonlySet<string>>;
  private readonly reads = new ResourceReads();
  /** What each op changes, secrets masked, for the report and the journal. */
  private readonly changes: ReadonlyMap<string, readonly string[]>;
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
    this.ignoreByOp = sameTargetChanges(plan.ops);
    this.changes = changeLinesByOp(plan, options.catalogue);
  }

  run(): Promise<ApplyReport> {
    this.startedAt = this.clock.now();
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.emit(this.startEvent());
      const deletions = deletionRefusals(this.plan.ops, this.options.deletionRules ?? NO_DELETIONS);
      const paid = paidRefusals(this.plan.ops, this.options.paidRules ?? NO_PAID);
      this.refused = [...deletions, ...paid];
      if (deletions.length > 0) this.stop(`not started: the plan breaks siteform's deletion rules (${deletions.join("; ")})`);
      else if (paid.length > 0) this.stop(`not started: the plan breaks siteform's rule on paid actions (${paid.join("; ")})`);
      const signal = this.options.signal;
      if (signal?.aborted === true) this.onAbort();
      else signal?.addEventListener("abort", this.onAbort, { once: true });
      const forced = this.options.forced;
      if (forced?.aborted === true) this.onForced();
      else forced?.addEventListener("abort", this.onForced, { once: true });
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

  /** The second signal: what is in flight is reported as possibly done, and the run ends now. */
  private readonly onForced = (): void => {
    if (this.resolve === null) return;
    this.onAbort();
    if (this.schedule.settled) return;
    this.forced = true;
    const now = this.clock.now();
    for (const [id, started] of [...this.running]) {
      const op = this.byId.get(id);
      if (op === undefined) continue;
      this.running.delete(id);
      this.record(op, { status: "unknown", message: FORCED_MESSAGE, resourceId: op.target.id, attempts: 1, durationMs: now - started, note: null });
      this.recordSkips(this.schedule.finish(id, "unknown"));
    }
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
    this.running.set(op.id, started);
    void this.carryOut(op)
      .catch((err: unknown): Finished => ({ status: "failed", message: `internal error (a siteform bug): ${err instanceof Error ? err.message : String(err)}`, resourceId: op.target.id, attempts: 1, note: null, errorKind: null }))
      .then((outcome) => this.settle(op, outcome, started));
  }

  private async carryOut(op: Op): Promise<Finished> {
    const provider = this.options.providers.get(op.server);
    const retry = this.options.retry ?? DEFAULT_RETRY_POLICY;
    if (provider !== undefined && this.options.reread !== false) {
      const verdict = await preflight(op, provider, { ignore: this.ignoreByOp.get(op.id) ?? new Set(), retry, clock: this.clock, reads: this.reads, catalogue: this.options.catalogue });
      if (verdict.kind === "conflict") return { status: "conflict", message: verdict.message, resourceId: op.target.id, attempts: 0, note: null, errorKind: null };
      if (verdict.kind === "unreadable") return { status: "failed", message: verdict.message, resourceId: op.target.id, attempts: 0, note: null, errorKind: null };
    }
    return executeOp(op, { provider, catalogue: this.options.catalogue, retry, clock: this.clock, signal: this.options.signal, emit: (e: ApplyEvent) => this.emit(e) });
  }

  private settle(op: Op, outcome: Finished, started: number): void {
    // Already reported as in flight by a second signal: the run is over.
    if (!this.running.delete(op.id)) return;
    const { status, message, resourceId, attempts, note } = outcome;
    this.record(op, { status, message, resourceId, attempts, durationMs: this.clock.now() - started, note });
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
      this.record(op, { status: "skipped", message: reason, resourceId: op.target.id, attempts: 0, durationMs: 0, note: null });
    }
  }

  private record(op: Op, outcome: Pick<OpResult, "status" | "message" | "resourceId" | "attempts" | "durationMs" | "note">): void {
    const result: OpResult = { id: op.id, server: op.server, action: op.action, name: op.target.name, changes: this.changes.get(op.id) ?? [], ...outcome };
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
    const report = buildReport(ops, { startedAt: this.startedAt, finishedAt: this.clock.now() }, { interrupted: this.interrupted, forced: this.forced, refused: this.refused });
    this.emit({ type: "apply-finished", at: this.clock.now(), report });
    resolve(report);
  }
}
