/**
 * suspendacct, unsuspendacct and listsuspended. A suspension records its reason ("Unknown" when
 * none is given, as WHM does) and its time from the emulator's clock; suspending an account that
 * is already suspended replaces both, as WHM rewrites its suspension file. With disallowun=1
 * only root may lift it. Unsuspending an account that is not suspended succeeds and changes
 * nothing.
 */
import type { CallContext, Params, WhmAnswer } from "./call.js";
import { WhmRefusal } from "./refusal.js";
import type { WhmStore } from "./store.js";

export function suspendacct(store: WhmStore, params: Params, ctx: CallContext): WhmAnswer {
  const account = store.account(params.required("user"));
  const reason = params.get("reason") || "Unknown";
  const locked = params.flag("disallowun", false);
  account.suspended = true;
  account.suspendreason = reason;
  account.suspendtime = ctx.now;
  account.locked = locked;
  const log = [
    "Changing Shell to /bin/false...Done",
    `Locking Password...Locking password for user ${account.user}.`,
    "passwd: Success",
    "Done",
    "Suspending mysql users...Done",
    `Using Universal Suspend Page for ${account.domain}...Done`,
    `Suspension reason: ${reason}`,
  ];
  if (locked) log.push("Only root may unsuspend this account.");
  log.push(`${account.user}'s account has been suspended`, "");
  return { reason: "OK", output: { raw: log.join("\n") } };
}

export function unsuspendacct(store: WhmStore, params: Params, ctx: CallContext): WhmAnswer {
  const account = store.account(params.required("user"));
  if (account.suspended && account.locked && ctx.user !== "root") {
    throw new WhmRefusal(`The account “${account.user}” was suspended by root with “disallowun”: only root may unsuspend it.`);
  }
  account.suspended = false;
  account.suspendreason = null;
  account.suspendtime = null;
  account.locked = false;
  return { reason: "OK" };
}

export function listsuspended(store: WhmStore): WhmAnswer {
  const account = store
    .allAccounts()
    .filter((a) => a.suspended)
    .map((a) => ({
      user: a.user,
      owner: a.owner,
      reason: a.suspendreason ?? "",
      time: new Date((a.suspendtime ?? 0) * 1000).toUTCString(),
      unixtime: a.suspendtime ?? 0,
      is_locked: a.locked ? 1 : 0,
    }));
  return { reason: "OK", data: { account } };
}
