/**
 * Suspension, activation and deletion of sites (admin_deactivate_site,
 * admin_activate_site, admin_delete_site) on a Draft. Deletion honours the `since`/`match`
 * filters exactly: a filtered call only removes suspended sites old enough and with a
 * matching reason, and a named site the filters exclude is silently kept (ApisCP answers
 * true; the caller sees the site still listed by admin_collect).
 */
import type { SiteRecord } from "../api.js";
import { ApiFault } from "../api.js";
import type { Draft } from "./draft.js";
import { resolveSites } from "./resolve.js";

/**
 * Suspends every site `spec` names. Re-suspending keeps the first suspension time, so
 * repeating a suspend never postpones a deferred deletion; a new reason replaces the old.
 */
export function deactivateSites(draft: Draft, spec: string, reason: string | null, now: number): void {
  for (const target of resolveSites(draft.sites, spec)) {
    const site = draft.edit(target);
    if (site.active) {
      site.active = false;
      site.suspendedAt = now;
      site.suspendReason = reason;
    } else if (reason !== null) {
      site.suspendReason = reason;
    }
  }
}

export function activateSites(draft: Draft, spec: string): void {
  for (const target of resolveSites(draft.sites, spec)) {
    const site = draft.edit(target);
    site.active = true;
    site.suspendedAt = null;
    site.suspendReason = null;
  }
}

export interface DeleteFilter {
  /** Unix seconds: only sites suspended at or before it. Null: no age filter. */
  since: number | null;
  /** Tested against the suspension reason; a site without a reason never matches. */
  match: RegExp | null;
  /** Skips the suspension-age check for named sites; `match` still applies. */
  force: boolean;
}

/** Removes the sites `spec` names (null: every site) that pass the filter; returns their ids. */
export function deleteSites(draft: Draft, spec: string | null, filter: DeleteFilter): number[] {
  if (spec === null && filter.since === null) {
    throw new ApiFault("admin_delete_site: a since filter is required when no site is named");
  }
  if (spec === null && filter.force) {
    throw new ApiFault("admin_delete_site: force needs a named site (it would delete every site)");
  }
  const candidates = spec === null ? [...draft.sites] : resolveSites(draft.sites, spec);
  const deleted = candidates.filter((site) => passes(site, filter)).map((site) => site.id);
  for (const id of deleted) draft.remove(id);
  return deleted;
}

function passes(site: SiteRecord, filter: DeleteFilter): boolean {
  if (filter.since !== null && !filter.force) {
    if (site.active || site.suspendedAt === null || site.suspendedAt > filter.since) return false;
  }
  if (filter.match !== null) {
    if (site.suspendReason === null || !filter.match.test(site.suspendReason)) return false;
  }
  return true;
}
