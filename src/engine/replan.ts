/**
 * Plans again from an inventory already loaded and a fresh read of the servers: what apply
 * does right before it runs anything, to find out whether the plan it was given is still what
 * siteform would do. Also plans as of another moment (the saved plan's own time) from the same
 * reading, which costs no call and tells a grace period that ended from a real change.
 */
import { checkProposal, type ProposalCheck } from "../applier/index.js";
import type { Inventory } from "../model/inventory.js";
import type { ObservedServer } from "../model/resource.js";
import type { Plan } from "../model/plan.js";
import { buildPlan, managedFields } from "../planner/index.js";
import { redactPlan } from "../render/redact.js";
import { COLLECT_PARALLELISM, observeServers, type ReadEventSink } from "./observe.js";
import { withQuotes } from "./quotes.js";
import { readAside } from "./read-aside.js";
import { retireHelper } from "../threads/helper-thread.js";
import { withProviders, type ProviderFactory } from "./providers.js";

export interface ReplanOptions {
  servers: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  allowDeletes: number | null;
  allowPaid?: number | null;
  reset: boolean;
  now: Date;
  /** The inventory's git state, for people reading the plan; a plan only compared needs none. */
  commit?: { commit: string | null; dirty: boolean };
  /** Reads in flight are cut short when it fires; the result is then null. */
  signal?: AbortSignal;
  providerFactory?: ProviderFactory;
  /** Asks each paid op's panel what it will cost and buy (nothing charged), for a plan people read. */
  quotePaid?: boolean;
  /** Told as each server is read: for progress and logs. */
  onRead?: ReadEventSink;
  /** `--target`: only these resources and what they wait for. */
  targets?: readonly string[] | null;
}

export interface Replanned {
  plan: Plan;
  observed: readonly ObservedServer[];
  /** The same inventory and reading planned as of `at` (another moment), without reading again. */
  planAt: (at: string) => Plan;
}

export async function replan(inventory: Inventory, options: ReplanOptions): Promise<Replanned | null> {
  const build = (now: string): Plan =>
    buildPlan(inventory, observed, {
      now,
      commit: options.commit ?? { commit: null, dirty: false },
      allowDeletes: options.allowDeletes,
      allowPaid: options.allowPaid ?? null,
      servers: options.servers,
      resetPlanDefaults: options.reset,
      targets: options.targets ?? null,
    });
  let observed: ObservedServer[] = [];
  let plan: Plan;
  try {
    plan = await withProviders(
      inventory,
      options.servers,
      options.env,
      async (providers) => {
        // A test's own providers cannot be opened on another thread: then every server is read here.
        const elsewhere = options.providerFactory === undefined ? readAside(inventory, providers, options.env, options.signal) : undefined;
        observed = await observeServers(providers, (server) => managedFields(inventory, server, inventory.catalogue), COLLECT_PARALLELISM, options.onRead, elsewhere);
        // Planning has the most in memory of any phase: the helper's heap is handed back before it.
        retireHelper();
        const planned = build(options.now.toISOString());
        return options.quotePaid === true && options.signal?.aborted !== true ? withQuotes(planned, providers) : planned;
      },
      { factory: options.providerFactory, signal: options.signal },
    );
  } catch (err) {
    // withProviders throws the signal's reason when it had fired before anything was opened.
    if (options.signal?.aborted === true && err === options.signal.reason) return null;
    throw err;
  }
  if (options.signal?.aborted === true) return null;
  return { plan, observed, planAt: build };
}

/**
 * Whether `proposed` (a saved plan file, or the plan a person was shown) is exactly what
 * `fresh` says siteform would do now, and if not, each op that differs and why. Both sides are
 * compared redacted, as a plan file holds them.
 */
export function checkAgainst(
  proposed: Plan,
  fresh: Replanned,
  context: { inventory: Inventory; intact: boolean; label: string; explainTime: boolean },
): ProposalCheck {
  const catalogue = context.inventory.catalogue;
  return checkProposal({
    file: redactPlan(proposed, catalogue),
    intact: context.intact,
    now: redactPlan(fresh.plan, catalogue),
    atPlanTime: context.explainTime ? redactPlan(fresh.planAt(proposed.createdAt), catalogue) : null,
    inventory: { dir: context.inventory.dir, digests: context.inventory.digests },
    observed: fresh.observed,
    label: context.label,
    catalogue,
  });
}
