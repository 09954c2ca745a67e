/**
 * Refusals that protect an operator from a plan that is technically right and practically a
 * disaster: more deletions than the policy allows, a plan that would leave a server with no
 * sites (an inventory that lost its files looks exactly like that), and server plans the
 * server does not have. A refusal is an error diagnostic; `--allow-deletes N` lifts the first
 * two up to N.
 */
import type { Inventory } from "../model/inventory.js";
import type { ObservedServer } from "../model/observed-site.js";
import type { PlanDiagnostic } from "../model/plan.js";
import { opOf, type SitePlan } from "./site-plan.js";

export function deletionGuards(
  server: string,
  sites: readonly SitePlan[],
  inventory: Inventory,
  allowDeletes: number | null,
): PlanDiagnostic[] {
  const problems: PlanDiagnostic[] = [];
  const deletes = sites.filter((s) => opOf(s, "delete") !== undefined).length;
  // --allow-deletes raises the limit; it never lowers it below what the policy allows anyway.
  const limit = Math.max(inventory.policy.maxDeletes, allowDeletes ?? 0);
  if (deletes > limit) {
    problems.push({
      severity: "error",
      code: "too-many-deletes",
      server,
      message:
        limit === inventory.policy.maxDeletes
          ? `${deletes} deletions on ${server}, more than policy.max_deletes (${inventory.policy.maxDeletes})`
          : `${deletes} deletions on ${server}, more than --allow-deletes ${allowDeletes}`,
      hint: `read the plan; if every deletion is intended, plan again with --allow-deletes ${deletes}`,
    });
  }
  const observed = sites.filter((s) => s.observed !== null);
  // Refused only when this plan takes a removing step: a plan with nothing to do for sites that
  // an earlier plan already suspended is not the one to stop, or it would fail every day of
  // their grace period.
  if (observed.length > 0 && observed.every(leaving) && observed.some(removing) && (allowDeletes ?? 0) < observed.length) {
    const named = sites.some((s) => s.desired !== null);
    problems.push({
      severity: "error",
      code: "removes-every-site",
      server,
      message: named
        ? `this plan would remove every one of the ${observed.length} sites on ${server}`
        : `the inventory names no site on ${server}, which has ${observed.length}; with prune: true every one would be suspended and later deleted`,
      hint: `check --dir and that no site files are missing; if emptying the server is intended, plan again with --allow-deletes ${observed.length}`,
    });
  }
  return problems;
}

/** The site leaves the server, through this plan or an earlier one: deleted now, cancelled (and not protected, so it will be), or pruned. */
function leaving(site: SitePlan): boolean {
  if (opOf(site, "delete") !== undefined) return true;
  if (site.desired === null) return opOf(site, "suspend") !== undefined;
  return site.desired.state === "cancelled" && !site.desired.protect;
}

/** This plan takes a step that removes the site: its deletion, or the suspension that starts one. */
function removing(site: SitePlan): boolean {
  return opOf(site, "delete") !== undefined || (leaving(site) && opOf(site, "suspend") !== undefined);
}

/** Every server plan the server's desired sites build on must exist there. */
export function serverPlanGuard(server: string, observed: ObservedServer, sites: readonly SitePlan[], inventory: Inventory): PlanDiagnostic[] {
  if (!observed.ok) return [];
  const have = new Set(observed.plans);
  const missing = new Map<string, string>();
  for (const s of sites) {
    const d = s.desired;
    if (d === null || d.state === "cancelled" || have.has(d.apiscpPlan)) continue;
    if (!missing.has(d.apiscpPlan)) missing.set(d.apiscpPlan, d.plan);
  }
  return [...missing].map(([apiscpPlan, repoPlan]) => {
    const plan = inventory.plans.find((p) => p.name === repoPlan);
    return {
      severity: "error",
      code: "unknown-server-plan",
      server,
      message: `plan ${repoPlan} builds on the server plan ${apiscpPlan}, which ${server} does not have (it has: ${[...have].sort().join(", ") || "none"})`,
      hint: "create the plan on the server (`artisan opcenter:plan`) or point `apiscp_plan` at one it has",
      ...(plan === undefined ? {} : { file: plan.source.file, line: plan.source.line }),
    };
  });
}
