/**
 * A fake provider for the applier's graph logic: records every call, lets a test script each
 * op's outcomes (results, errors, delays) and read-backs, and measures concurrency across all
 * fakes that share one Tracker.
 */
import type { ObservedResource, ObservedServer, Op } from "../../../src/model/index.js";
import { ProviderError, type CollectRequest, type ExecuteOptions, type ExecuteResult, type Provider, type ProviderErrorKind, type ResourceRead } from "../../../src/providers/provider.js";

export type Step = { result?: Partial<ExecuteResult>; error?: ProviderError; delayMs?: number; gate?: Promise<void>; waits?: readonly string[] };
export type ReadStep = ObservedResource | null | ProviderError;

export function fail(kind: ProviderErrorKind, message = `${kind} failure`, retryable = kind === "transport"): ProviderError {
  return new ProviderError(kind, message, retryable);
}

export class Tracker {
  readonly log: { kind: "start" | "end"; opId: string; server: string; seq: number }[] = [];
  private seq = 0;
  private inFlight = 0;
  private readonly perServer = new Map<string, number>();
  maxTotal = 0;
  readonly maxPerServer = new Map<string, number>();

  start(opId: string, server: string): void {
    this.log.push({ kind: "start", opId, server, seq: this.seq++ });
    this.inFlight += 1;
    const n = (this.perServer.get(server) ?? 0) + 1;
    this.perServer.set(server, n);
    this.maxTotal = Math.max(this.maxTotal, this.inFlight);
    this.maxPerServer.set(server, Math.max(this.maxPerServer.get(server) ?? 0, n));
  }

  end(opId: string, server: string): void {
    this.log.push({ kind: "end", opId, server, seq: this.seq++ });
    this.inFlight -= 1;
    this.perServer.set(server, (this.perServer.get(server) ?? 1) - 1);
  }

  starts(opId: string): number[] {
    return this.log.filter((e) => e.kind === "start" && e.opId === opId).map((e) => e.seq);
  }

  ends(opId: string): number[] {
    return this.log.filter((e) => e.kind === "end" && e.opId === opId).map((e) => e.seq);
  }
}

export class FakeProvider implements Provider {
  readonly calls: { method: "execute" | "readResource" | "collect"; opId: string | null; request?: unknown }[] = [];
  readonly scripts = new Map<string, Step[]>();
  readonly reads = new Map<string, ReadStep[]>();
  collectAnswer: ObservedServer | null = null;
  /** The size of each readResources call, in order. */
  readonly batches: number[] = [];
  /** As a server's `timeout_seconds`: how long a patient read-back lasts at least. */
  callTimeoutMs = 60_000;
  private nextId = 100;

  constructor(
    readonly server: string,
    readonly tracker: Tracker = new Tracker(),
  ) {}

  script(opId: string, ...steps: Step[]): this {
    this.scripts.set(opId, steps);
    return this;
  }

  /** Read-back answers for a name, consumed in order; the last one repeats. */
  readBack(name: string, ...answers: ReadStep[]): this {
    this.reads.set(name, answers);
    return this;
  }

  executions(opId?: string): number {
    return this.calls.filter((c) => c.method === "execute" && (opId === undefined || c.opId === opId)).length;
  }

  async collect(request: CollectRequest): Promise<ObservedServer> {
    this.calls.push({ method: "collect", opId: null, request });
    return this.collectAnswer ?? { server: this.server, ok: true, resources: [], templates: {}, fields: {} };
  }

  async readResource(request: ResourceRead): Promise<ObservedResource | null> {
    this.calls.push({ method: "readResource", opId: null, request });
    // Unscripted: a server that has the sites ops name by id (an update's target is there) and
    // none of the names a create wants (they are free), as a plan expects to find them.
    if (!this.reads.has(request.name)) return request.id === null ? null : present(this.server, request.kind, request.id, request.name);
    const answers = this.reads.get(request.name) ?? [null];
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (answer instanceof ProviderError) throw answer;
    return answer ?? null;
  }

  async readResources(requests: readonly ResourceRead[]): Promise<Array<ObservedResource | null>> {
    this.batches.push(requests.length);
    const answers: Array<ObservedResource | null> = [];
    for (const request of requests) answers.push(await this.readResource(request));
    return answers;
  }

  async execute(op: Op, options?: ExecuteOptions): Promise<ExecuteResult> {
    this.calls.push({ method: "execute", opId: op.id });
    const step = this.scripts.get(op.id)?.shift() ?? {};
    this.tracker.start(op.id, op.server);
    try {
      for (const message of step.waits ?? []) options?.progress?.(message);
      if (step.gate !== undefined) await step.gate;
      if (step.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, step.delayMs));
      if (step.error !== undefined) throw step.error;
      const id = op.action === "create" ? `site${this.nextId++}` : op.target.id;
      return { id, ...step.result };
    } finally {
      this.tracker.end(op.id, op.server);
    }
  }

  async templateDefaults(): Promise<Record<string, Record<string, never>>> {
    return {};
  }

  close(): void {}
}

function present(server: string, kind: string, id: string, domain: string): ObservedResource {
  return { server, kind, id, name: domain, state: "active", fields: { siteinfo: { domain } } };
}

export function providers(...fakes: FakeProvider[]): Map<string, FakeProvider> {
  return new Map(fakes.map((f) => [f.server, f]));
}

/** Options for applyPlan that never really wait: sleeps are recorded and resolve at once. */
export function instant(overrides: { random?: () => number } = {}): { sleeps: number[]; sleep: (ms: number) => Promise<void>; now: () => number; random: () => number } {
  const sleeps: number[] = [];
  let clock = Date.parse("2025-07-01T04:00:00.000Z");
  return {
    sleeps,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
    random: overrides.random ?? (() => 0.5),
  };
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
