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
  const limit = allowDeletes ?? inventory.policy.maxDeletes;
  if (deletes > limit) {
    problems.push({
      severity: "error",
      code: "too-many-deletes",
      server,
      message:
        allowDeletes === null
          ? `${deletes} deletions on ${server}, more than policy.max_deletes (${inventory.policy.maxDeletes})`
          : `${deletes} deletions on ${server}, more than --allow-deletes ${allowDeletes}`,
      hint: `read the plan; if every deletion is intended, plan again with --allow-deletes ${deletes}`,
    });
  }
  const observed = sites.filter((s) => s.observed !== null);
  const staying = observed.filter((s) => {
    if (opOf(s, "delete") !== undefined) return false;
    if (s.desired === null) return opOf(s, "suspend") === undefined;
    return s.desired.state !== "cancelled";
  });
  if (observed.length > 0 && staying.length === 0 && (allowDeletes ?? 0) < observed.length) {
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
