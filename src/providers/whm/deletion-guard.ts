/**
 * The one check between a planned deletion and `removeacct`. WHM deletes whatever it is asked
 * to, with no age or reason filter of its own (ApisCP's `since`/`match`), so the provider reads
 * the account right before the call and lets it go only when it proves what the plan assumed:
 * suspended, by siteform (the reason starts with the owner tag, as the plan says and as ApisCP's
 * server checks it: a reason that merely mentions the tag is someone else's), at least the
 * grace period ago on the provider's clock. Pure.
 */
import type { DeletionRequirement } from "../../model/op.js";
import { suspendReason, suspendedAtMs } from "./observe.js";
import type { AccountRow } from "./results.js";

const DAY_MS = 86_400_000;

/** Why the account must not be deleted now, in one sentence; null when it may. */
export function deletionRefusal(account: AccountRow, requirement: DeletionRequirement, nowMs: number): string | null {
  const who = `account ${account.user} (uid ${account.uid}) was not deleted`;
  if (!account.suspended) return `${who}: it is not suspended`;
  const reason = suspendReason(account.raw.suspendreason);
  if (reason === null || !reason.startsWith(requirement.ownerTag)) {
    return `${who}: its suspension reason ${JSON.stringify(reason ?? "")} does not start with siteform's ${JSON.stringify(requirement.ownerTag)}; someone else suspended it, so leave it or unsuspend and cancel it again`;
  }
  const since = suspendedAtMs(account.raw.suspendtime);
  if (since === null) return `${who}: WHM does not say when it was suspended`;
  const days = (nowMs - since) / DAY_MS;
  if (days < requirement.suspendedDays) {
    return `${who}: suspended ${days.toFixed(1)} days ago, less than the ${requirement.suspendedDays} days of the grace period`;
  }
  return null;
}
