/**
 * The bandwidth and disk functions: editquota (quota in MB, 0 or "unlimited" = no limit),
 * limitbw (bwlimit in MB, same rule, "unlimited" when left out) and showbw (limits and usage in
 * bytes, 0 standing for no limit). Usage is what the state says; only the current month of the
 * emulator's clock has any.
 */
import type { CallContext, Params, WhmAnswer } from "./call.js";
import { checkAccountSearch, matchesSearch } from "./search.js";
import { limitParam } from "./checks.js";
import { BYTES_PER_MB, mbToBytes, UNLIMITED } from "./limit.js";
import { WhmRefusal } from "./refusal.js";
import type { WhmStore } from "./store.js";

export function editquota(store: WhmStore, params: Params): WhmAnswer {
  const account = store.account(params.required("user"));
  params.required("quota");
  account.limits.quotaMb = limitParam(params, "quota", "unlimited", Number.MAX_SAFE_INTEGER) ?? UNLIMITED;
  return { reason: `Set quota for ${account.user}.` };
}

export function limitbw(store: WhmStore, params: Params): WhmAnswer {
  const account = store.account(params.required("user"));
  const limit = limitParam(params, "bwlimit", "unlimited", Number.MAX_SAFE_INTEGER) ?? UNLIMITED;
  account.limits.bwlimitMb = limit;
  const usedMb = Math.round(account.usage.bandwidthBytes / BYTES_PER_MB);
  return {
    reason: `Bandwidth Limit for ${account.user} has been set to ${limit === UNLIMITED ? "unlimited" : limit} megabytes`,
    data: {
      bwlimits: [
        {
          bwlimit: limit === UNLIMITED ? 0 : limit,
          bwlimitenable: limit === UNLIMITED ? 0 : 1,
          domains: [account.domain],
          human_bwlimit: limit === UNLIMITED ? "unlimited" : `${limit} MB`,
          human_bwused: usedMb === 0 ? "none" : `${usedMb} MB`,
          unlimited: limit === UNLIMITED ? 1 : 0,
        },
      ],
    },
  };
}

export function showbw(store: WhmStore, params: Params, ctx: CallContext): WhmAnswer {
  const now = new Date(ctx.now * 1000);
  const month = intParam(params, "month", now.getUTCMonth() + 1, 1, 12);
  const year = intParam(params, "year", now.getUTCFullYear(), 1970, 9999);
  const current = month === now.getUTCMonth() + 1 && year === now.getUTCFullYear();
  const search = checkAccountSearch(params);
  const reseller = params.get("showres");
  const acct = store
    .allAccounts()
    .filter((a) => (reseller ? a.owner === reseller : true) && matchesSearch(a, search))
    .map((a) => {
      const used = current ? a.usage.bandwidthBytes : 0;
      return {
        user: a.user,
        maindomain: a.domain,
        owner: a.owner,
        reseller: 0,
        deleted: 0,
        limit: mbToBytes(a.limits.bwlimitMb),
        totalbytes: used,
        bwusage: [{ domain: a.domain, usage: used, deleted: 0 }],
      };
    });
  const totalused = acct.reduce((sum, a) => sum + a.totalbytes, 0);
  return { reason: "OK", data: { acct, month, year, reseller: reseller || ctx.user, totalused } };
}

function intParam(params: Params, name: string, fallback: number, min: number, max: number): number {
  const text = params.get(name);
  if (text === undefined || text === "") return fallback;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw new WhmRefusal(`Invalid value “${text}” for “${name}”: use an integer from ${min} to ${max}.`);
  return n;
}
