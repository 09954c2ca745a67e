/**
 * The plan pipeline end to end: inventory → providers → observed state → planner. Shared by
 * `plan`, `apply` (without a file) and `drift`; the commands only choose how to show it.
 */
import { loadInventory } from "../inventory/index.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { Inventory } from "../model/inventory.js";
import type { ObservedServer } from "../model/resource.js";
import type { Plan } from "../model/plan.js";
import { readGitState } from "./git-state.js";
import type { ProviderFactory } from "./providers.js";
import type { Catalogue } from "../kinds/catalogue.js";
import type { ReadEventSink } from "./observe.js";
import { replan } from "./replan.js";
import { resolveScope } from "./scope.js";

export interface PlanRunOptions {
  dir: string;
  env: Readonly<Record<string, string | undefined>>;
  servers: readonly string[] | null;
  allowDeletes: number | null;
  /** `--allow-paid N`, null when not given. */
  allowPaid?: number | null;
  resetPlanDefaults: boolean;
  now: Date;
  providerFactory?: ProviderFactory;
  /** The kinds to read the inventory with (with `providerFactory`, a test's own provider); default: the shipped ones. */
  catalogue?: Catalogue;
  /**
   * The user's request to stop. When it fires the run ends promptly: reading the inventory
   * stops between files, reads in flight are cut short, and the result is `interrupted`.
   */
  signal?: AbortSignal;
  /** Shows each paid op's price and what it buys, asked of its panel (nothing charged): for plans people read. */
  quotePaid?: boolean;
  /** Told as each server is read: for progress and logs. */
  onRead?: ReadEventSink;
  /** `--target`: only these resources and what they wait for. */
  targets?: readonly string[] | null;
}

export type PlanRun =
  | { kind: "invalid-inventory"; diagnostics: readonly Diagnostic[]; files: readonly string[] }
  | { kind: "bad-scope"; message: string }
  | { kind: "planned"; plan: Plan; inventory: Inventory; observed: readonly ObservedServer[]; warnings: readonly Diagnostic[] }
  /** `signal` fired; nothing of the run is returned, since servers may have been read only in part. */
  | { kind: "interrupted" };

export async function runPlan(options: PlanRunOptions): Promise<PlanRun> {
  const { signal } = options;
  try {
    return await planUnlessInterrupted(options);
  } catch (err) {
    // The loader and withProviders stop by throwing the signal's reason; anything else is a real failure.
    if (signal?.aborted === true && err === signal.reason) return { kind: "interrupted" };
    throw err;
  }
}

async function planUnlessInterrupted(options: PlanRunOptions): Promise<PlanRun> {
  const { signal } = options;
  // A function, so that TypeScript does not narrow `aborted` to false after the first check.
  const stopped = (): boolean => signal?.aborted === true;
  if (stopped()) return { kind: "interrupted" };
  // Days-ahead fields (paid at least N days ahead) count from the plan's own day.
  const catalogueOption = { ...(options.catalogue === undefined ? {} : { catalogue: options.catalogue }), today: options.now.toISOString().slice(0, 10) };
  const preliminary = await loadInventory(options.dir, { env: options.env, requireKeys: false, signal, ...catalogueOption });
  if (stopped()) return { kind: "interrupted" };
  if (!preliminary.ok) return { kind: "invalid-inventory", diagnostics: preliminary.diagnostics, files: preliminary.files };
  const scope = resolveScope(preliminary.inventory, options.servers);
  if (!scope.ok) return { kind: "bad-scope", message: scope.message };
  // Keys and CA files are required only for the servers this run talks to. The first reading
  // already warns about every missing one; only then is the inventory read again with them
  // required (reading 10,000 sites twice costs as much as planning them).
  const missingPrerequisite = preliminary.diagnostics.some((d) => d.code === "missing-key-env" || d.code === "missing-user-env" || d.code === "missing-ca-file");
  const loaded = missingPrerequisite ? await loadInventory(options.dir, { env: options.env, requireKeys: scope.servers, signal, ...catalogueOption }) : preliminary;
  if (stopped()) return { kind: "interrupted" };
  if (!loaded.ok) return { kind: "invalid-inventory", diagnostics: loaded.diagnostics, files: loaded.files };
  const inventory = loaded.inventory;
  const git = await readGitState(options.dir);
  if (stopped()) return { kind: "interrupted" };
  const fresh = await replan(inventory, {
    servers: scope.servers,
    env: options.env,
    allowDeletes: options.allowDeletes,
    allowPaid: options.allowPaid ?? null,
    reset: options.resetPlanDefaults,
    now: options.now,
    commit: git,
    signal,
    providerFactory: options.providerFactory,
    quotePaid: options.quotePaid ?? false,
    ...(options.onRead === undefined ? {} : { onRead: options.onRead }),
    targets: options.targets ?? null,
  });
  // Servers cut off by the interrupt look unreachable: a plan from them would be misleading.
  if (fresh === null || stopped()) return { kind: "interrupted" };
  const { plan, observed } = fresh;
  return { kind: "planned", plan, inventory, observed, warnings: loaded.diagnostics.filter((d) => d.severity === "warning") };
}

/** Exit code of `plan`/`drift` per DESIGN.md: 1 on any error; with --detailed-exitcode 2 for changes, 3 when one is a deletion. */
export function planExitCode(plan: Plan, detailed: boolean): 0 | 1 | 2 | 3 {
  const failed = plan.diagnostics.some((d) => d.severity === "error") || plan.servers.some((s) => s.error !== null);
  if (failed) return 1;
  if (!detailed || plan.ops.length === 0) return 0;
  return plan.ops.some((op) => op.action === "delete") ? 3 : 2;
}
