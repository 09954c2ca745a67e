/**
 * createacct: a new account on a package, its uid taken from the server's counter (or pinned by
 * root with uid=), its limits copied from the package. Limit parameters given along with `plan`
 * override the package's values for this account (WHM advises against mixing them but accepts
 * it); 0 means unlimited for quota, bwlimit, maxftp, maxpop, maxsql and maxlst, and zero for
 * maxsub, maxpark and maxaddon, as the function's documentation says. Without a domain the
 * account gets a temporary one. A password (`password` or `pass`) is kept as a salted hash only,
 * never echoed.
 */
import { limitText, type Limit } from "./limit.js";
import type { CallContext, Params, WhmAnswer } from "./call.js";
import { checkDomainFree, checkEmail, checkUsernameFree, limitParam } from "./checks.js";
import { hashPassword } from "./password.js";
import { WhmRefusal } from "./refusal.js";
import { packageLimits, SHARED_IP, type WhmAccountRecord, type WhmLimits } from "./state.js";
import type { WhmStore } from "./store.js";

export const NAMESERVERS = ["ns1.emulator.test", "ns2.emulator.test"] as const;
/** Where createacct puts an account that was given no domain (a reserved TLD: it resolves nowhere). */
const TEMPORARY_SUFFIX = "temporary.test";

export function createacct(store: WhmStore, params: Params, ctx: CallContext): WhmAnswer {
  const user = params.required("username").trim().toLowerCase();
  checkUsernameFree(store, user);
  const plan = params.get("plan") || "default";
  const pkg = store.package(plan);
  const givenDomain = params.get("domain");
  const temporaryDomain = givenDomain === undefined || givenDomain === "";
  const domain = temporaryDomain ? checkDomainFree(store, `${user}.${TEMPORARY_SUFFIX}`) : checkDomainFree(store, givenDomain);
  const email = checkEmail(params.get("contactemail") ?? "");
  const uid = pinnedUid(store, params, ctx);
  const limits = withOverrides(packageLimits(pkg), params);
  const hasshell = params.flag("hasshell", pkg.HASSHELL === "y");
  const password = params.get("password") || params.get("pass") || undefined;

  const account: WhmAccountRecord = {
    uid: store.takeUid(uid),
    user,
    domain,
    temporaryDomain,
    email,
    plan,
    owner: ctx.user,
    ip: SHARED_IP,
    suspended: false,
    suspendreason: null,
    suspendtime: null,
    locked: false,
    startdate: ctx.now,
    hasshell,
    limits,
    usage: { diskMb: 0, bandwidthBytes: 0 },
    password: { hash: password === undefined ? null : hashPassword(password), changes: 0, changedAt: null },
  };
  store.add(account);
  return {
    reason: "Account Creation Ok",
    data: {
      ip: SHARED_IP,
      nameserver: NAMESERVERS[0],
      nameserver2: NAMESERVERS[1],
      nameserver3: "",
      nameserver4: "",
      nameservera: null,
      nameservera2: null,
      nameservera3: null,
      nameservera4: null,
      nameserverentry: null,
      nameserverentry2: null,
      nameserverentry3: null,
      nameserverentry4: null,
      package: plan,
    },
    output: { raw: creationLog(account, pkg.FEATURELIST) },
  };
}

function pinnedUid(store: WhmStore, params: Params, ctx: CallContext): number | undefined {
  const text = params.get("uid");
  if (text === undefined || text === "") return undefined;
  if (ctx.user !== "root") throw new WhmRefusal("Only the root user may choose an account's uid.");
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new WhmRefusal(`Invalid value “${text}” for “uid”: use a positive integer.`);
  const uid = Number(text);
  if (store.uidInUse(uid)) throw new WhmRefusal(`The uid “${uid}” is already in use.`);
  return uid;
}

function withOverrides(limits: WhmLimits, params: Params): WhmLimits {
  const pick = (current: Limit, given: Limit | undefined): Limit => given ?? current;
  return {
    quotaMb: pick(limits.quotaMb, limitParam(params, "quota", "unlimited", Number.MAX_SAFE_INTEGER)),
    bwlimitMb: pick(limits.bwlimitMb, limitParam(params, "bwlimit", "unlimited", Number.MAX_SAFE_INTEGER)),
    maxpop: pick(limits.maxpop, limitParam(params, "maxpop", "unlimited")),
    maxsql: pick(limits.maxsql, limitParam(params, "maxsql", "unlimited")),
    maxftp: pick(limits.maxftp, limitParam(params, "maxftp", "unlimited")),
    maxlst: pick(limits.maxlst, limitParam(params, "maxlst", "unlimited")),
    maxsub: pick(limits.maxsub, limitParam(params, "maxsub", "zero")),
    maxpark: pick(limits.maxpark, limitParam(params, "maxpark", "zero")),
    maxaddon: pick(limits.maxaddon, limitParam(params, "maxaddon", "zero")),
  };
}

function creationLog(a: WhmAccountRecord, featurelist: string): string {
  const quota = a.limits.quotaMb === "unlimited" ? "unlimited" : `${a.limits.quotaMb} MB`;
  return [
    "Checking input data......Done",
    "Validating Username......Done",
    "Validating IP......Done",
    "Validating Contact Email......Done",
    "Validating system setup......Done",
    "Checking for database conflicts......Done",
    "WWWAcct (siteform emulator)",
    "",
    "+===================================+",
    "| New Account Info                  |",
    "+===================================+",
    `| Domain: ${a.domain}`,
    `| Ip: ${a.ip} (n)`,
    "| HasCgi: y",
    `| UserName: ${a.user}`,
    "| PassWord: (not shown)",
    "| CpanelMod: jupiter",
    "| HomeRoot: /home",
    `| Quota: ${quota}`,
    `| NameServer1: ${NAMESERVERS[0]}`,
    `| NameServer2: ${NAMESERVERS[1]}`,
    "| NameServer3:",
    "| NameServer4:",
    `| Contact Email: ${a.email}`,
    `| Package: ${a.plan}`,
    `| Feature List: ${featurelist}`,
    "| Language: en",
    "+===================================+",
    "...Done",
    `Adding User...${a.hasshell ? "Shell Access (y)" : "Removing Shell Access (n)"}`,
    `Setting bandwidth limit to ${limitText(a.limits.bwlimitMb)} MB......Done`,
    `Configuring DNS...Zone ${a.domain} has been successfully added`,
    "...Done",
    "wwwacct creation finished",
    "Account Creation Complete!!!...Account Creation Ok...Done",
    "",
  ].join("\n");
}
