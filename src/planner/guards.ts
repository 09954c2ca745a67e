/**
 * Refusals that protect an operator from a plan that is technically right and practically a
 * disaster: more deletions than the policy allows, a plan that would leave a server with
 * nothing on it (an inventory that lost its files looks exactly like that), more actions that
 * cost money than the policy allows, and templates the server does not have. A refusal is an
 * error diagnostic; `--allow-deletes N` lifts the first two up to N, `--allow-paid N` the third.
 */
import type { Inventory } from "../model/inventory.js";
import type { Op } from "../model/op.js";
import type { PlanDiagnostic } from "../model/plan.js";
import type { ObservedServer } from "../model/resource.js";
import { opOf, type ResourcePlan } from "./resource-plan.js";

export function deletionGuards(server: string, resources: readonly ResourcePlan[], inventory: Inventory, allowDeletes: number | null): PlanDiagnostic[] {
  const problems: PlanDiagnostic[] = [];
  const deletes = resources.filter((r) => opOf(r, "delete") !== undefined).length;
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
  const observed = resources.filter((r) => r.observed !== null);
  // Refused only when this plan takes a removing step: a plan with nothing to do for resources
  // that an earlier plan already suspended is not the one to stop, or it would fail every day
  // of their grace period.
  if (observed.length > 0 && observed.every(leaving) && observed.some(removing) && (allowDeletes ?? 0) < observed.length) {
    const named = resources.some((r) => r.desired !== null);
    const noun = nounOf(observed);
    problems.push({
      severity: "error",
      code: "removes-every-site",
      server,
      message: named
        ? `this plan would remove every one of the ${observed.length} ${noun}s on ${server}`
        : `the inventory names no ${noun} on ${server}, which has ${observed.length}; with prune: true every one would be suspended and later deleted`,
      hint: `check --dir and that no resource files are missing; if emptying the server is intended, plan again with --allow-deletes ${observed.length}`,
    });
  }
  return problems;
}

function nounOf(resources: readonly ResourcePlan[]): string {
  const nouns = new Set(resources.map((r) => r.kind.noun));
  return nouns.size === 1 ? [...nouns][0] as string : "resource";
}

/** The resource leaves the server, through this plan or an earlier one: deleted now, cancelled (and not protected, so it will be), or pruned. */
function leaving(resource: ResourcePlan): boolean {
  if (opOf(resource, "delete") !== undefined) return true;
  if (resource.desired === null) return opOf(resource, "suspend") !== undefined;
  return resource.desired.state === "cancelled" && !resource.desired.protect;
}

/** This plan takes a step that removes the resource: its deletion, or the suspension that starts one. */
function removing(resource: ResourcePlan): boolean {
  return opOf(resource, "delete") !== undefined || (leaving(resource) && opOf(resource, "suspend") !== undefined);
}

/** Actions that cost money, across every server of the run, within policy.max_paid_ops or `--allow-paid N`. */
export function paidGuard(ops: readonly Op[], inventory: Inventory, allowPaid: number | null): PlanDiagnostic[] {
  const paid = ops.filter((op) => op.paid === true).length;
  const limit = Math.max(inventory.policy.maxPaidOps, allowPaid ?? 0);
  if (paid <= limit) return [];
  return [
    {
      severity: "error",
      code: "too-many-paid-ops",
      server: null,
      message:
        limit === inventory.policy.maxPaidOps
          ? `${paid} operations that cost money, more than policy.max_paid_ops (${inventory.policy.maxPaidOps})`
          : `${paid} operations that cost money, more than --allow-paid ${allowPaid}`,
      hint: `read the plan's "costs money" section; if every one is intended, plan again with --allow-paid ${paid}`,
    },
  ];
}

/** Every template the server's desired resources build on must exist there. */
export function templateGuard(server: string, observed: ObservedServer, resources: readonly ResourcePlan[], inventory: Inventory): PlanDiagnostic[] {
  if (!observed.ok) return [];
  const missing = new Map<string, { plan: string; resource: ResourcePlan }>();
  for (const r of resources) {
    const d = r.desired;
    const template = r.kind.declaration.template;
    if (d === null || template === null || d.plan === null || d.plan.template === null || d.state === "cancelled") continue;
    const have = observed.templates[r.kind.id] ?? [];
    const key = `${r.kind.id}\0${d.plan.template}`;
    if (!have.includes(d.plan.template) && !missing.has(key)) missing.set(key, { plan: d.plan.name, resource: r });
  }
  return [...missing.values()].map(({ plan: repoPlan, resource }) => {
    const template = resource.kind.declaration.template;
    const wanted = resource.desired?.plan?.template ?? "";
    const have = [...(observed.templates[resource.kind.id] ?? [])].sort();
    const plan = inventory.plans.find((p) => p.name === repoPlan);
    return {
      severity: "error",
      code: "unknown-server-plan",
      server,
      message: `plan ${repoPlan} builds on the ${template?.label ?? "template"} ${wanted}, which ${server} does not have (it has: ${have.join(", ") || "none"})`,
      hint: template?.createHint ?? "create it on the server",
      ...(plan === undefined ? {} : { file: plan.source.file, line: plan.source.line }),
    };
  });
}
