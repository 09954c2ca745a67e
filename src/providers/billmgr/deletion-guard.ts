/**
 * The one check between a planned deletion and `<itemtype>.delete`. BILLmanager deletes
 * whatever it is asked to and keeps no reason with a suspension, so the provider reads the
 * service and its history right before the call and lets it go only when they prove what the
 * plan assumed: suspended (item_status 3), the last suspension done by the user siteform logs in
 * as, at least the grace period ago on the provider's clock.
 *
 * The owner check is the API user, not the requirement's owner tag: with no reason stored there
 * is nowhere for siteform's tag to be, so `ownerTag` cannot be checked on this panel. A
 * suspension by an operator in the panel (another user) is theirs, and stays. Pure.
 */
import type { DeletionRequirement } from "../../model/op.js";
import type { HistoryRow, ServiceRow } from "./results.js";

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD HH:MM:SS` (UTC, as BILLmanager writes history dates) in milliseconds; null when unreadable. */
export function historyTimeMs(date: string): number | null {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?/.exec(date.trim());
  if (match === null) return null;
  const ms = Date.parse(`${match[1]}T${match[2] ?? "00:00:00"}Z`);
  return Number.isFinite(ms) ? ms : null;
}

/** A suspension in the history (`suspend`, `vds.suspend`), not a resume. */
function isSuspension(row: HistoryRow): boolean {
  const action = row.action.trim().toLowerCase();
  return /(^|[._ ])suspend$/.test(action) || action === "suspend";
}

/** The last suspension of the service, by date (rows without a readable date keep their place). */
export function lastSuspension(history: readonly HistoryRow[]): { row: HistoryRow; atMs: number | null } | null {
  let found: { row: HistoryRow; atMs: number | null } | null = null;
  for (const row of history) {
    if (!isSuspension(row)) continue;
    const atMs = historyTimeMs(row.date);
    if (found === null || atMs === null || found.atMs === null || atMs >= found.atMs) found = { row, atMs };
  }
  return found;
}

/** Why the service must not be deleted now, in one sentence; null when it may. */
export function deletionRefusal(service: ServiceRow, history: readonly HistoryRow[], requirement: DeletionRequirement, apiUser: string, nowMs: number): string | null {
  const who = `service ${service.id} was not deleted`;
  if (service.itemStatus !== 3) return `${who}: it is not suspended (item_status ${service.itemStatus})`;
  const last = lastSuspension(history);
  if (last === null) return `${who}: its history shows no suspension, so siteform cannot tell who suspended it or when`;
  if (last.row.user.trim() !== apiUser) {
    return `${who}: it was last suspended by ${JSON.stringify(last.row.user)}, not by siteform's user ${JSON.stringify(apiUser)}; someone else suspended it, so leave it or resume it and cancel it again`;
  }
  if (last.atMs === null) return `${who}: its history does not say when it was suspended (${JSON.stringify(last.row.date)})`;
  const days = (nowMs - last.atMs) / DAY_MS;
  if (days < requirement.suspendedDays) {
    return `${who}: suspended ${days.toFixed(1)} days ago, less than the ${requirement.suspendedDays} days of the grace period`;
  }
  return null;
}
