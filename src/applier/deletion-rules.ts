/**
 * The deletion rules the applier enforces itself, whatever plan it is handed: the planner has
 * the same rules, but a plan file can be edited and a planner can have a bug, and a deleted
 * customer site does not come back. Pure: the caller builds the rules from the inventory and
 * the command's flags.
 *
 * - a resource the inventory marks `protect` is never deleted; nor is one the inventory names
 *   and does not cancel;
 * - a deletion carries its requirement: the suspension age (at least the policy's grace
 *   period) and the owner tag (a reason siteform itself writes when it suspends), which the
 *   server or the provider checks at the last moment;
 * - no server loses more resources in one run than `policy.max_deletes`, or `--allow-deletes N`.
 */
import type { Inventory } from "../model/inventory.js";
import type { Op } from "../model/op.js";

export interface DeletionRules {
  maxDeletes: number;
  /** `--allow-deletes N` given to this command; null when not. */
  allowDeletes: number | null;
  graceDays: number;
  /** Suspension reasons siteform writes; a deletion's owner tag must be one of them. */
  ownerTags: readonly string[];
  /** `server\0key`, `server\0kind\0name` (lower case) and `server\0kind\0id` of resources the inventory protects. */
  protectedSites: ReadonlySet<string>;
  /** The same for sites the inventory names and does not cancel. */
  keptSites: ReadonlySet<string>;
}

export function deletionRulesFor(inventory: Inventory, allowDeletes: number | null, ownerTags: readonly string[]): DeletionRules {
  const protectedSites = new Set<string>();
  const keptSites = new Set<string>();
  for (const resource of inventory.resources) {
    const into = resource.protect ? protectedSites : resource.state !== "cancelled" ? keptSites : null;
    if (into === null) continue;
    into.add(`${resource.server}\0${resource.key}`);
    into.add(`${resource.server}\0${resource.kind}\0${resource.name.toLowerCase()}`);
    if (resource.pinnedId !== null) into.add(`${resource.server}\0${resource.kind}\0${resource.pinnedId}`);
  }
  return { maxDeletes: inventory.policy.maxDeletes, allowDeletes, graceDays: inventory.policy.deletionGraceDays, ownerTags, protectedSites, keptSites };
}

function names(op: Op): string[] {
  const out = [`${op.server}\0${op.kind}\0${op.target.name.toLowerCase()}`];
  if (op.target.key !== null) out.push(`${op.server}\0${op.target.key}`);
  if (op.target.id !== null) out.push(`${op.server}\0${op.kind}\0${op.target.id}`);
  return out;
}

/** Every rule the ops break, one sentence each naming the op; empty when the deletions may run. */
export function deletionRefusals(ops: readonly Op[], rules: DeletionRules): string[] {
  const refusals: string[] = [];
  const perServer = new Map<string, number>();
  for (const op of ops) {
    if (op.action !== "delete") continue;
    perServer.set(op.server, (perServer.get(op.server) ?? 0) + 1);
    const what = `${op.server} delete ${op.target.name} [${op.id}]`;
    if (names(op).some((n) => rules.protectedSites.has(n))) {
      refusals.push(`${what}: the inventory marks it protect: true, and siteform never deletes a protected resource`);
      continue;
    }
    if (names(op).some((n) => rules.keptSites.has(n))) {
      refusals.push(`${what}: the inventory names it and does not cancel it`);
      continue;
    }
    const requirement = op.flags.deletion;
    if (requirement === undefined || requirement.suspendedDays < rules.graceDays) {
      refusals.push(
        `${what}: a deletion must have it checked that the resource was suspended at least ${rules.graceDays} days ago ` +
          `(policy.deletion_grace_days), and this one ${requirement === undefined ? "does not" : `asks only ${requirement.suspendedDays} days`}`,
      );
    }
    if (requirement === undefined || !rules.ownerTags.includes(requirement.ownerTag)) {
      refusals.push(`${what}: a deletion must have it checked that siteform suspended the resource (a reason starting with ${rules.ownerTags.map((t) => `"${t}"`).join(" or ")}), and this one does not`);
    }
  }
  const limit = Math.max(rules.maxDeletes, rules.allowDeletes ?? 0);
  for (const [server, count] of [...perServer].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (count <= limit) continue;
    const cap = limit === rules.maxDeletes ? `policy.max_deletes (${rules.maxDeletes})` : `--allow-deletes ${rules.allowDeletes}`;
    refusals.push(`${server}: ${count} deletions, more than ${cap}; if every one is intended, pass --allow-deletes ${count}`);
  }
  return refusals;
}
