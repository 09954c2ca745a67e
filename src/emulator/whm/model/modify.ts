/**
 * modifyacct: rename the user (the uid stays), move the main domain (`DNS`, or its alias
 * `domain`; DNS wins), change the contact address and the account's own limits. Parameter names
 * are case-sensitive as in WHM: `MAXPOP` is read, `maxpop` silently ignored. BWLIMIT is in
 * bytes here (0 or "unlimited" = no limit) and QUOTA in MB; for the MAX* counts 0 means zero and
 * "unlimited" means no limit. Every check runs before anything changes, so a refused call
 * changes nothing.
 */
import type { Params, WhmAnswer } from "./call.js";
import { checkDomainFree, checkEmail, checkUsernameFree, limitParam } from "./checks.js";
import { bytesToMb, limitText, mbToBytes, type Limit } from "./limit.js";
import type { WhmAccountRecord, WhmLimits } from "./state.js";
import type { WhmStore } from "./store.js";

/** modifyacct's upper-case count parameters and the limit each sets. */
const COUNTS: Record<string, keyof WhmLimits> = {
  MAXPOP: "maxpop",
  MAXSQL: "maxsql",
  MAXFTP: "maxftp",
  MAXSUB: "maxsub",
  MAXPARK: "maxpark",
  MAXADDON: "maxaddon",
  MAXLST: "maxlst",
};

export function modifyacct(store: WhmStore, params: Params): WhmAnswer {
  const account = store.account(params.required("user"));
  const messages: string[] = [];

  const newuserText = params.get("newuser");
  const newuser = newuserText ? newuserText.trim().toLowerCase() : undefined;
  if (newuser !== undefined && newuser !== account.user) checkUsernameFree(store, newuser, account);
  const domainText = params.get("DNS") || params.get("domain");
  const domain = domainText ? checkDomainFree(store, domainText, account) : undefined;
  const emailText = params.get("contactemail");
  const email = emailText === undefined ? undefined : checkEmail(emailText);
  const limits: Partial<WhmLimits> = {};
  for (const [param, key] of Object.entries(COUNTS)) {
    const value = limitParam(params, param, "zero");
    if (value !== undefined) limits[key] = value;
  }
  const bwBytes = limitParam(params, "BWLIMIT", "unlimited", Number.MAX_SAFE_INTEGER);
  if (bwBytes !== undefined) limits.bwlimitMb = bytesToMb(bwBytes);
  const quota = limitParam(params, "QUOTA", "unlimited", Number.MAX_SAFE_INTEGER);
  if (quota !== undefined) limits.quotaMb = quota;
  const shellBefore = account.hasshell;
  const hasshell = params.flag("HASSHELL", shellBefore);

  if (newuser !== undefined && newuser !== account.user) {
    messages.push(`Username changed from ${account.user} to ${newuser}`);
    account.user = newuser;
  }
  if (domain !== undefined && domain !== account.domain) {
    messages.push(`Domain changed from ${account.domain} to ${domain}`);
    account.domain = domain;
    account.temporaryDomain = false;
  }
  if (email !== undefined) account.email = email;
  Object.assign(account.limits, limits);
  account.hasshell = hasshell;

  return {
    reason: "Account Modified",
    data: {
      cpuser: cpuser(account),
      domain: account.domain,
      setshell: hasshell === shellBefore ? "unmodified" : hasshell ? "/bin/bash" : "/usr/local/cpanel/bin/noshell",
      user: account.user,
    },
    output: { messages, warnings: [] },
  };
}

/** The account's cpuser file as modifyacct echoes it: every value a string, BWLIMIT in bytes. */
function cpuser(a: WhmAccountRecord): Record<string, unknown> {
  const count = (l: Limit): string => limitText(l);
  return {
    BACKUP: "0",
    BWLIMIT: a.limits.bwlimitMb === "unlimited" ? "unlimited" : String(mbToBytes(a.limits.bwlimitMb)),
    CONTACTEMAIL: a.email,
    CONTACTEMAIL2: "",
    DEADDOMAINS: [],
    DEMO: "0",
    DOMAIN: a.domain,
    DOMAINS: [],
    FEATURELIST: "default",
    HASCGI: "1",
    HASSHELL: a.hasshell ? "1" : "0",
    IP: a.ip,
    LOCALE: "en",
    MAILBOX_FORMAT: "maildir",
    MAXADDON: count(a.limits.maxaddon),
    MAXFTP: count(a.limits.maxftp),
    MAXLST: count(a.limits.maxlst),
    MAXPARK: count(a.limits.maxpark),
    MAXPOP: count(a.limits.maxpop),
    MAXSQL: count(a.limits.maxsql),
    MAXSUB: count(a.limits.maxsub),
    OWNER: a.owner,
    PLAN: a.plan,
    RS: "jupiter",
    STARTDATE: String(a.startdate),
    USER: a.user,
  };
}
