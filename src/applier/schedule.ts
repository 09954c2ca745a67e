/**
 * The dependency graph of one apply as a state machine: which ops may start now (all their
 * dependencies done, a free slot on their server and overall), and which can never run once
 * something failed or the run stops. Pure bookkeeping: no calls, no timers, no clock.
 */
import type { Op } from "../model/op.js";
import type { OpStatus } from "./report.js";

export interface ConcurrencyLimits {
  /** Ops in flight per server; a server not named here is bounded by `total` alone. */
  perServer: Readonly<Record<string, number>>;
  /** Ops in flight over all servers. */
  total: number;
}

export interface Skip {
  id: string;
  reason: string;
}

type State = "pending" | "running" | OpStatus;

export class Schedule {
  private readonly states: State[];
  private readonly waiting: number[];
  private readonly dependents: number[][];
  private readonly index = new Map<string, number>();
  /**
   * Pending ops whose dependencies are all done, per server, in plan order: starting an op looks
   * at each server's first ready op only, so a plan's cost per finished op does not grow with
   * the ops waiting for a slot (ReadyQueue).
   */
  private readonly queues = new Map<string, ReadyQueue>();
  private readonly runningOn = new Map<string, number>();
  /** Ops not yet started (nor skipped), per server. */
  private readonly pendingOn = new Map<string, number>();
  private runningTotal = 0;
  private unsettled: number;

  constructor(
    private readonly ops: readonly Op[],
    private readonly limits: ConcurrencyLimits,
  ) {
    ops.forEach((op, i) => {
      this.index.set(op.id, i);
      this.pendingOn.set(op.server, (this.pendingOn.get(op.server) ?? 0) + 1);
    });
    this.states = ops.map(() => "pending");
    this.dependents = ops.map(() => []);
    this.waiting = ops.map((op, i) => {
      for (const dep of op.dependsOn) {
        const d = this.index.get(dep);
        // checkFormat refuses such plans; reaching here is a caller's bug.
        if (d === undefined) throw new Error(`internal: op '${op.id}' depends on unknown op '${dep}'`);
        this.dependents[d]?.push(i);
      }
      return op.dependsOn.length;
    });
    ops.forEach((_, i) => {
      if (this.waiting[i] === 0) this.queueOf(i).initial.push(i);
    });
    this.unsettled = ops.length;
  }

  /** Every op has a final status. */
  get settled(): boolean {
    return this.unsettled === 0;
  }

  get running(): number {
    return this.runningTotal;
  }

  statusOf(id: string): State | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.states[i];
  }

  private limitOf(server: string): number {
    return Math.max(1, Math.floor(this.limits.perServer[server] ?? this.limits.total));
  }

  /**
   * The ops to start now, in plan order (of the servers with a free slot, the one whose first
   * ready op comes first in the plan goes first); they count as running from here on.
   */
  take(): Op[] {
    const started: Op[] = [];
    const total = Math.max(1, Math.floor(this.limits.total));
    while (this.runningTotal < total) {
      const next = this.nextReady();
      if (next === null) break;
      const op = this.ops[next];
      if (op === undefined) break;
      this.states[next] = "running";
      this.pendingOn.set(op.server, (this.pendingOn.get(op.server) ?? 1) - 1);
      this.runningOn.set(op.server, (this.runningOn.get(op.server) ?? 0) + 1);
      this.runningTotal += 1;
      started.push(op);
    }
    return started;
  }

  /**
   * Takes the next op to start; null when none can. Of the servers with a free slot and a ready
   * op, the one with the most ops still to start goes first (its earliest ready op, in plan
   * order), then the earliest in the plan: when the overall limit is the tighter one, every
   * server keeps a share of the slots and they finish together, instead of the first servers in
   * the plan taking every slot and the last ones running alone at the end.
   */
  private nextReady(): number | null {
    let best: ReadyQueue | null = null;
    let bestIndex = Number.POSITIVE_INFINITY;
    let bestLeft = -1;
    for (const [server, queue] of this.queues) {
      if ((this.runningOn.get(server) ?? 0) >= this.limitOf(server)) continue;
      // Ops skipped while they waited in the queue are dropped here, lazily.
      const first = queue.first((i) => this.states[i] === "pending");
      if (first === null) continue;
      const left = this.pendingOn.get(server) ?? 0;
      if (left < bestLeft || (left === bestLeft && first >= bestIndex)) continue;
      best = queue;
      bestIndex = first;
      bestLeft = left;
    }
    return best === null ? null : best.take();
  }

  /** Records a running op's final status; returns the ops that can now never run. */
  finish(id: string, status: "done" | "failed" | "conflict" | "unknown"): Skip[] {
    const i = this.index.get(id);
    const op = i === undefined ? undefined : this.ops[i];
    if (i === undefined || op === undefined || this.states[i] !== "running") throw new Error(`internal: op '${id}' finished but was not running`);
    this.states[i] = status;
    this.unsettled -= 1;
    this.runningTotal -= 1;
    this.runningOn.set(op.server, (this.runningOn.get(op.server) ?? 1) - 1);
    if (status === "done") {
      this.release(i);
      return [];
    }
    const why =
      status === "failed" ? `depends on ${id} which failed` : status === "conflict" ? `depends on ${id}, which was in conflict and not sent` : `depends on ${id} whose outcome is unknown`;
    return this.skipDependents(i, why);
  }

  /** Skips every op not yet started (fail-fast, Ctrl-C); running ones finish normally. */
  stopAll(reason: string): Skip[] {
    const skips: Skip[] = [];
    this.states.forEach((state, i) => {
      if (state === "pending") skips.push(this.markSkipped(i, reason));
    });
    this.queues.clear();
    return skips;
  }

  /** Skips the ops of one server not yet started (its key was refused), and what depends on them. */
  stopServer(server: string, reason: string): Skip[] {
    const skips: Skip[] = [];
    this.ops.forEach((op, i) => {
      if (op.server !== server || this.states[i] !== "pending") return;
      skips.push(this.markSkipped(i, reason), ...this.skipDependents(i, `depends on ${op.id} which was not started`));
    });
    this.queues.delete(server);
    return skips;
  }

  private release(i: number): void {
    for (const d of this.dependents[i] ?? []) {
      const left = (this.waiting[d] ?? 1) - 1;
      this.waiting[d] = left;
      if (left === 0 && this.states[d] === "pending") this.queueOf(d).released.push(d);
    }
  }

  private queueOf(i: number): ReadyQueue {
    const server = this.ops[i]?.server ?? "";
    let queue = this.queues.get(server);
    if (queue === undefined) {
      queue = new ReadyQueue();
      this.queues.set(server, queue);
    }
    return queue;
  }

  private markSkipped(i: number, reason: string): Skip {
    this.states[i] = "skipped";
    const server = this.ops[i]?.server ?? "";
    this.pendingOn.set(server, (this.pendingOn.get(server) ?? 1) - 1);
    this.unsettled -= 1;
    return { id: this.ops[i]?.id ?? "", reason };
  }

  /** Dependents anywhere downstream are skipped with the root cause, so readers see only it. */
  private skipDependents(root: number, reason: string): Skip[] {
    const skips: Skip[] = [];
    const queue = [...(this.dependents[root] ?? [])];
    for (let d = queue.shift(); d !== undefined; d = queue.shift()) {
      if (this.states[d] !== "pending") continue;
      skips.push(this.markSkipped(d, reason));
      queue.push(...(this.dependents[d] ?? []));
    }
    return skips;
  }
}

/**
 * One server's ready ops, earliest plan position first. The ops ready from the start arrive in
 * plan order and wait in a plain list (constant time each); only ops released later by their
 * dependencies go through a heap, which stays small since they are released near the front of
 * the plan. So each op costs constant time in a typical plan and log time at worst.
 */
class ReadyQueue {
  readonly initial: number[] = [];
  private head = 0;
  readonly released = new IndexHeap();

  /** The earliest position `usable` accepts, dropping the ones before it that it does not; null when none. */
  first(usable: (i: number) => boolean): number | null {
    while (this.head < this.initial.length && !usable(this.initial[this.head] as number)) this.head += 1;
    while (this.released.size > 0 && !usable(this.released.peek())) this.released.pop();
    const a = this.head < this.initial.length ? (this.initial[this.head] as number) : null;
    const b = this.released.size > 0 ? this.released.peek() : null;
    if (a === null) return b;
    return b === null || a < b ? a : b;
  }

  /** Removes and returns what `first` returned last. */
  take(): number {
    const a = this.head < this.initial.length ? (this.initial[this.head] as number) : Number.POSITIVE_INFINITY;
    const b = this.released.size > 0 ? this.released.peek() : Number.POSITIVE_INFINITY;
    if (a < b) {
      this.head += 1;
      return a;
    }
    return this.released.pop();
  }
}

/** A binary min-heap of plan positions. */
class IndexHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The smallest position; only when size > 0. */
  peek(): number {
    return this.items[0] as number;
  }

  push(value: number): void {
    const items = this.items;
    let at = items.push(value) - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if ((items[parent] as number) <= value) break;
      items[at] = items[parent] as number;
      at = parent;
    }
    items[at] = value;
  }

  /** Removes and returns the smallest position; only when size > 0. */
  pop(): number {
    const items = this.items;
    const top = items[0] as number;
    const last = items.pop() as number;
    if (items.length === 0) return top;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && (items[right] as number) < (items[left] as number) ? right : left;
      if ((items[child] as number) >= last) break;
      items[at] = items[child] as number;
      at = child;
    }
    items[at] = last;
    return top;
  }
}
