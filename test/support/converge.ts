/**
 * What an operator does until the servers match git: plan, check the plan is not stale,
 * apply it, and plan again while the plan is not empty. The convergence tests drive real
 * servers (the emulator, the PHP peer) through it with the real pipeline: inventory loader,
 * provider over the wire, planner, stale check and applier. It decides nothing about what the
 * result should be; the tests do.
 */
import { DEFAULT_RETRY_POLICY, applyPlan, deletionRulesFor, paidRulesFor, type ApplyReport, type RetryPolicy } from "../../src/applier/index.js";
import { runPlan } from "../../src/engine/plan-run.js";
import { withProviders } from "../../src/engine/providers.js";
import type { Inventory } from "../../src/model/inventory.js";
import type { Plan } from "../../src/model/plan.js";
import type { ServerConfig } from "../../src/model/server-config.js";
import { checkAgainst, replan } from "../../src/engine/replan.js";
import { CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX } from "../../src/planner/index.js";
import type { Provider } from "../../src/providers/provider.js";
import { createProvider } from "../../src/providers/registry.js";

/** Retries as the applier makes them, with waits of a few milliseconds. */
export const QUICK_RETRY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1, maxDelayMs: 4, maxTotalMs: 10_000 };

export interface ConvergeOptions {
  dir: string;
  env: Readonly<Record<string, string>>;
  /** The planner's "now" (its today for grace periods); fixed for the whole run. */
  now: Date;
  /** `--allow-deletes`: the guards have their own tests; here they would only stop the run. */
  allowDeletes: number | null;
  /** Plans applied at most; one more plan is made to see whether it is empty. */
  maxRounds: number;
  retry?: RetryPolicy;
  /**
   * How long apply waits for a mutating call, in milliseconds, instead of the server's
   * `timeout_seconds` (which cannot go below a second): with a slow server, answers are lost
   * while the work still happens. Reads keep the server's own timeout, so a busy machine does
   * not turn them into failures the test is not about.
   */
  sendTimeoutMs?: number;
  /**
   * How long apply reads back after a lost answer (the provider's `callTimeoutMs`), in
   * milliseconds; the send timeout when not given. The test's servers answer in milliseconds,
   * so an answer lost with no work done (a reset) need not be waited on for the default 60 s.
   */
  readBackMs?: number;
  /** Runs after each apply, before the next plan (a test moves the servers' clocks here). */
  afterApply?: (round: number) => Promise<void> | void;
}

export interface Round {
  plan: Plan;
  report: ApplyReport;
}

export interface Convergence {
  rounds: Round[];
  /** The last plan made: empty when the run converged. */
  final: Plan;
}

/** A plan the operator could not apply: refused by the planner, or stale before it ran. */
export class NotApplicable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotApplicable";
  }
}

export async function converge(options: ConvergeOptions): Promise<Convergence> {
  const rounds: Round[] = [];
  for (;;) {
    const { plan, inventory } = await planOnce(options);
    if (plan.ops.length === 0 || rounds.length >= options.maxRounds) return { rounds, final: plan };
    const report = await applyOnce(plan, inventory, options);
    rounds.push({ plan, report });
    await options.afterApply?.(rounds.length);
  }
}

async function planOnce(options: ConvergeOptions): Promise<{ plan: Plan; inventory: Inventory }> {
  const run = await runPlan({ dir: options.dir, env: options.env, servers: null, allowDeletes: options.allowDeletes, resetPlanDefaults: false, now: options.now });
  if (run.kind === "invalid-inventory") {
    throw new NotApplicable(`the inventory does not validate:\n${run.diagnostics.map((d) => `  ${d.file}:${d.line} ${d.code} ${d.message}`).join("\n")}`);
  }
  if (run.kind === "bad-scope") throw new NotApplicable(run.message);
  if (run.kind === "interrupted") throw new Error("planning was interrupted, but nothing here interrupts it");
  const unread = run.plan.servers.filter((s) => s.error !== null);
  const errors = run.plan.diagnostics.filter((d) => d.severity === "error");
  if (unread.length > 0 || errors.length > 0) {
    const lines = [...unread.map((s) => `  ${s.name}: ${s.error ?? ""}`), ...errors.map((d) => `  ${d.server ?? ""} ${d.code}: ${d.message}`)];
    throw new NotApplicable(`the plan is refused:\n${lines.join("\n")}`);
  }
  return { plan: run.plan, inventory: run.inventory };
}

/** As `siteform apply`: plan again from a fresh read, refuse a plan that is no longer what siteform would do, run the ops with each server's concurrency. */
async function applyOnce(plan: Plan, inventory: Inventory, options: ConvergeOptions): Promise<ApplyReport> {
  const servers = inventory.servers.map((s) => s.name);
  const { sendTimeoutMs, readBackMs } = options;
  const factory =
    sendTimeoutMs === undefined && readBackMs === undefined
      ? createProvider
      : (server: ServerConfig, env: Readonly<Record<string, string | undefined>>) => withTimeouts(server, env, { sendTimeoutMs, readBackMs });
  const fresh = await replan(inventory, { servers: plan.servers.map((s) => s.name), env: options.env, allowDeletes: options.allowDeletes, reset: false, now: new Date(plan.createdAt) });
  if (fresh === null) throw new Error("planning again was interrupted, but nothing here interrupts it");
  const check = checkAgainst(plan, fresh, { inventory, intact: true, label: "the plan", explainTime: false });
  if (!check.ok) throw new NotApplicable(check.message ?? "the plan is no longer what siteform would do");
  return withProviders(inventory, servers, options.env, async (providers) => {
    return applyPlan(fresh.plan, {
      providers,
      catalogue: inventory.catalogue,
      concurrency: {
        perServer: Object.fromEntries(inventory.servers.map((s) => [s.name, s.concurrency])),
        total: inventory.servers.reduce((sum, s) => sum + s.concurrency, 0),
      },
      retry: options.retry ?? QUICK_RETRY,
      failFast: false,
      // As `siteform apply`: the applier enforces the deletion rules itself.
      deletionRules: deletionRulesFor(inventory, options.allowDeletes, [CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX]),
      paidRules: paidRulesFor(inventory, null),
    });
  }, { factory });
}

/**
 * A provider that reads with the server's own timeout, sends mutations with `sendTimeoutMs`
 * (else the server's), and tells the applier `readBackMs` (else the send timeout) as its call timeout.
 */
function withTimeouts(server: ServerConfig, env: Readonly<Record<string, string | undefined>>, timeouts: { sendTimeoutMs: number | undefined; readBackMs: number | undefined }): Provider {
  const reader = createProvider(server, env);
  const sender = timeouts.sendTimeoutMs === undefined ? reader : createProvider({ ...server, timeoutSeconds: timeouts.sendTimeoutMs / 1000 }, env);
  return {
    server: reader.server,
    callTimeoutMs: timeouts.readBackMs ?? sender.callTimeoutMs,
    collect: (request) => reader.collect(request),
    readResource: (request) => reader.readResource(request),
    readResources: (requests) => reader.readResources(requests),
    execute: (op, opts) => sender.execute(op, opts),
    templateDefaults: (kind, template) => reader.templateDefaults(kind, template),
    close: () => {
      reader.close();
      if (sender !== reader) sender.close();
    },
  };
}

/** One line per op of a report that did not end done, for failure messages. */
export function unfinished(report: ApplyReport): string[] {
  return report.ops.filter((o) => o.status !== "done").map((o) => `${o.id}: ${o.status}: ${o.message ?? ""}`);
}

/** One line per op of a plan, for failure messages. */
export function describeOps(plan: Plan): string[] {
  return plan.ops.map((op) => `${op.id} (${op.reason})${op.changes.length > 0 ? `: ${op.changes.map((c) => `${c.field} ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`).join(", ")}` : ""}`);
}
