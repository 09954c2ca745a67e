/**
 * One handler per API method: reads the call's arguments and flags, runs the model, and
 * shapes the answer. Mutating handlers work on a Draft and commit it only when the call
 * succeeds and is not a dry run, so every call is all-or-nothing.
 */
import type { SoapMap, SoapValue } from "../../../providers/apiscp/wire/value.js";
import type { MethodName } from "../../../providers/apiscp/methods.js";
import type { EmulatorState } from "../api.js";
import { ApiFault } from "../api.js";
import type { CallArgs } from "./args.js";
import { collectSites, readFields } from "./collect.js";
import { Draft } from "./draft.js";
import { Flags } from "./flags.js";
import { activateSites, deactivateSites, deleteSites } from "./lifecycle.js";
import { readOptions } from "./opts.js";
import { changePassword } from "./passwords.js";
import { parsePattern } from "./pattern.js";
import { describePlan, planNames } from "./plans.js";
import { readQuery } from "./query.js";
import { siteAdminUser, siteAliases, siteDomain, siteName } from "./record.js";
import { resolveMany, resolveSites } from "./resolve.js";
import type { Sessions } from "./sessions.js";
import { parseSince } from "./since.js";
import { addSite, editSites } from "./sites.js";
import { isHostname } from "./syntax.js";
import type { NameIndex } from "./uniqueness.js";
import { siteUsage } from "./usage.js";
import { describeValue, quote } from "./values.js";

export interface Env {
  state: EmulatorState;
  /** Hostnames, admin users and invoices of `state`'s sites, kept in step by Draft.commit. */
  names: NameIndex;
  sessions: Sessions;
  adminUser: string;
}

type Handler = (env: Env, args: CallArgs, now: number) => SoapValue;

/** Runs `change` on a working copy; keeps it unless this is a dry run. Answers true, never null. */
function mutate(env: Env, dryRun: boolean, change: (draft: Draft) => void): true {
  const draft = new Draft(env.state, env.names);
  change(draft);
  if (!dryRun) draft.commit();
  return true;
}

function pool(env: Env, specs: string[] | null) {
  return specs === null ? env.state.sites : resolveMany(env.state.sites, specs);
}

const collect: Handler = (env, args) => {
  const fields = readFields(args.raw(0));
  const conditions = readQuery(args.raw(1));
  return collectSites(pool(env, args.stringList(2)), fields, conditions);
};

const addSiteCall: Handler = (env, args, now) => {
  const domain = args.string(0);
  const adminUser = args.string(1);
  const options = readOptions(args.raw(2));
  const flags = Flags.read(args.method, args.map(3), ["plan", "force", "bootstrap", "notify"]);
  ["force", "bootstrap", "notify"].forEach((name) => flags.bool(name)); // accepted, type-checked, no effect
  const plan = flags.string("plan");
  return mutate(env, false, (draft) => addSite(draft, { domain, adminUser, options, plan }, now));
};

const editSiteCall: Handler = (env, args) => {
  const site = args.string(0);
  const options = readOptions(args.raw(1));
  const flags = Flags.read(args.method, args.map(2), ["reset", "dry-run", "backup", "force", "reconfig", "plan"]);
  ["backup", "force", "reconfig"].forEach((name) => flags.bool(name));
  const edit = { options, plan: flags.string("plan"), reset: flags.bool("reset") };
  return mutate(env, flags.bool("dry-run"), (draft) => editSites(draft, site, edit));
};

const deactivate: Handler = (env, args, now) => {
  const site = args.string(0);
  const flags = Flags.read(args.method, args.map(1), ["reason", "template"]);
  const reason = flags.string("reason");
  flags.string("template"); // the notification template: nothing is sent
  return mutate(env, false, (draft) => deactivateSites(draft, site, reason, now));
};

const activate: Handler = (env, args) => {
  const site = args.string(0);
  return mutate(env, false, (draft) => activateSites(draft, site));
};

const deleteSite: Handler = (env, args, now) => {
  const site = args.optionalString(0);
  const flags = Flags.read(args.method, args.map(1), ["since", "match", "force", "dry-run"]);
  const since = flags.raw("since");
  const match = flags.string("match");
  const filter = {
    since: since === null ? null : parseSince(since, now),
    match: match === null ? null : parsePattern(match),
    force: flags.bool("force"),
  };
  return mutate(env, flags.bool("dry-run"), (draft) => void deleteSites(draft, site, filter));
};

const getDomains: Handler = (env) => {
  const out: SoapMap = {};
  for (const site of env.state.sites) out[String(site.id)] = siteDomain(site);
  return out;
};

/** Primary domains first, then aliases: ApisCP falls back to its domain map, which holds both. */
const siteIdFromDomain: Handler = (env, args) => {
  const domain = args.string(0).toLowerCase();
  if (!isHostname(domain)) throw new ApiFault(`invalid domain ${quote(domain)}`);
  const sites = env.state.sites;
  const site = sites.find((s) => siteDomain(s) === domain) ?? sites.find((s) => siteAliases(s).includes(domain));
  return site === undefined ? null : site.id;
};

const hijack: Handler = (env, args, now) => {
  const spec = args.string(0);
  const user = args.optionalString(1);
  const gate = args.optionalString(2) ?? "SOAP";
  if (gate !== "SOAP" && gate !== "UI") throw new ApiFault(`invalid gate ${describeValue(gate)}: expected SOAP or UI`);
  const sites = resolveSites(env.state.sites, spec);
  const site = sites[0];
  if (site === undefined || sites.length !== 1) {
    throw new ApiFault(`site ${quote(spec)} names ${sites.length} sites; hijack needs exactly one`);
  }
  if (!site.active) throw new ApiFault(`${siteName(site.id)} is suspended`);
  const admin = siteAdminUser(site);
  if (user !== null && user !== admin) throw new ApiFault(`unknown user ${quote(user)} on ${siteName(site.id)}`);
  return env.sessions.start(site.id, admin, gate, now);
};

const changePasswordCall: Handler = (env, args) => {
  const change = { password: args.raw(0), user: args.optionalString(1), domain: args.optionalString(2) };
  return mutate(env, false, (draft) => changePassword(draft, change));
};

export const HANDLERS: Readonly<Record<MethodName, Handler>> = {
  admin_collect: collect,
  admin_add_site: addSiteCall,
  admin_edit_site: editSiteCall,
  admin_deactivate_site: deactivate,
  admin_activate_site: activate,
  admin_delete_site: deleteSite,
  admin_list_plans: (env) => planNames(env.state.plans),
  admin_get_plan: (env, args) => describePlan(env.state.plans, args.string(0)),
  admin_get_domains: getDomains,
  admin_get_site_id_from_domain: siteIdFromDomain,
  admin_get_usage: (env, args) => {
    const field = args.string(0);
    return siteUsage(pool(env, args.stringList(1)), field);
  },
  admin_hijack: hijack,
  auth_change_password: changePasswordCall,
  common_whoami: (env) => env.adminUser,
};
