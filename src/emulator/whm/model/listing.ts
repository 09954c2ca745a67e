/**
 * listaccts and accountsummary: one row per account with the fields WHM reports, including its
 * quirks: `suspendreason` is the literal "not suspended" for an active account, `suspendtime`
 * null until suspended, `diskused` a string with an M suffix, limits strings or `"unlimited"`,
 * booleans as 1/0. With the `schema` wire style the rows keep to cPanel's OpenAPI schemas
 * instead, where those contradict real servers: integer limits, a null suspendreason while
 * active (the listaccts schema's oneOf cannot match "not suspended"), accountsummary's
 * suspendtime as a string, no `email` when there is none (an empty one fails format: email).
 * `want` keeps only the listed fields. accountsummary finds one account by user or domain.
 */
import type { CallContext, Params, WhmAnswer } from "./call.js";
import { WhmRefusal } from "./refusal.js";
import { checkAccountSearch, matchesSearch } from "./search.js";
import type { WhmAccountRecord } from "./state.js";
import type { WhmStore } from "./store.js";
import { wireLimit } from "./wire.js";

export function listaccts(store: WhmStore, params: Params, ctx: CallContext): WhmAnswer {
  const search = checkAccountSearch(params);
  const want = params.get("want");
  const fields = want ? new Set(want.split(",").map((f) => f.trim())) : undefined;
  const acct = [...store.allAccounts()]
    .filter((a) => matchesSearch(a, search))
    .sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0))
    .map((a) => {
      const row = accountRow(store, a, ctx, "listaccts");
      return fields ? Object.fromEntries(Object.entries(row).filter(([k]) => fields.has(k))) : row;
    });
  return { reason: "OK", data: { acct } };
}

export function accountsummary(store: WhmStore, params: Params, ctx: CallContext): WhmAnswer {
  const user = params.get("user");
  const domain = params.get("domain");
  let account: WhmAccountRecord | undefined;
  if (user) account = store.findUser(user.toLowerCase());
  else if (domain) account = store.findDomain(domain);
  else throw new WhmRefusal("You must specify either the “user” or the “domain” parameter.");
  if (!account) throw new WhmRefusal(`Account does not exist: no account has the ${user ? "username" : "domain"} “${user ?? domain}”.`);
  return { reason: "OK", data: { acct: [accountRow(store, account, ctx, "accountsummary")] } };
}

function accountRow(
  store: WhmStore,
  a: WhmAccountRecord,
  ctx: CallContext,
  fn: "listaccts" | "accountsummary",
): Record<string, unknown> {
  const limit = (l: WhmAccountRecord["limits"][keyof WhmAccountRecord["limits"]]): string | number => wireLimit(l, ctx.wire);
  const pkg = store.findPackage(a.plan);
  const schema = ctx.wire === "schema";
  const suspendtime = a.suspendtime === null ? null : schema && fn === "accountsummary" ? String(a.suspendtime) : a.suspendtime;
  const notSuspended = schema ? null : "not suspended";
  const row: Record<string, unknown> = {
    backup: 0,
    child_nodes: [],
    disklimit: wireLimit(a.limits.quotaMb, ctx.wire, "M"),
    diskused: `${a.usage.diskMb}M`,
    domain: a.domain,
    email: a.email,
    inodeslimit: "unlimited",
    inodesused: 0,
    ip: a.ip,
    ipv6: [],
    is_locked: a.locked ? 1 : 0,
    is_temporary_domain: a.temporaryDomain ? 1 : 0,
    legacy_backup: 0,
    mailbox_format: "maildir",
    max_defer_fail_percentage: limit(pkg?.MAX_DEFER_FAIL_PERCENTAGE ?? "unlimited"),
    max_email_per_hour: limit(pkg?.MAX_EMAIL_PER_HOUR ?? "unlimited"),
    max_emailacct_quota: limit(pkg?.MAX_EMAILACCT_QUOTA ?? "unlimited"),
    maxaddons: limit(a.limits.maxaddon),
    maxftp: limit(a.limits.maxftp),
    maxlst: limit(a.limits.maxlst),
    maxparked: limit(a.limits.maxpark),
    maxpop: limit(a.limits.maxpop),
    maxsql: limit(a.limits.maxsql),
    maxsub: limit(a.limits.maxsub),
    min_defer_fail_to_trigger_protection: limit(5),
    outgoing_mail_hold: 0,
    outgoing_mail_suspended: 0,
    owner: a.owner,
    partition: "home",
    plan: a.plan,
    shell: a.hasshell ? "/bin/bash" : "/usr/local/cpanel/bin/noshell",
    startdate: startdate(a.startdate),
    suspended: a.suspended ? 1 : 0,
    suspendreason: a.suspended ? (a.suspendreason ?? "") : notSuspended,
    suspendtime,
    temporary: 0,
    theme: "jupiter",
    uid: a.uid,
    unix_startdate: a.startdate,
    user: a.user,
  };
  if (fn === "listaccts") row["has_backup"] = 0;
  if (schema && a.email === "") delete row["email"];
  return row;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `YY Mon DD HH:MM` in UTC, as WHM prints an account's start date ("13 May 22 16:03" is 2013-05-22). */
function startdate(unix: number): string {
  const d = new Date(unix * 1000);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${two(d.getUTCFullYear() % 100)} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}
