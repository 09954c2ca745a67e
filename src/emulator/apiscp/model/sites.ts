/**
 * Creating and editing sites (`admin_add_site`, `admin_edit_site`) on a Draft: choosing
 * the plan, building or changing the configuration, and the server-wide uniqueness check.
 * A fault leaves the draft to be dropped; committing is the caller's business.
 */
import type { SiteRecord } from "../api.js";
import { ApiFault } from "../api.js";
import { normaliseParam } from "./catalog.js";
import { applyOptions, applyPlan, checkConsistency, newServices } from "./configure.js";
import type { Draft } from "./draft.js";
import type { Options } from "./opts.js";
import { defaultPlanName, planExists } from "./plans.js";
import { defaultDbPrefix, sitePlan, siteName, writeParam } from "./record.js";
import { resolveSites } from "./resolve.js";
import { seal } from "./secrets.js";
import { quote } from "./values.js";

export interface NewSite {
  domain: string;
  adminUser: string;
  options: Options;
  /** `flags.plan`; `force`, `bootstrap` and `notify` change nothing in the emulator. */
  plan: string | null;
}

export interface SiteEdit {
  options: Options;
  plan: string | null;
  reset: boolean;
}

/** Adds the site and returns its id (which the API itself does not return). */
export function addSite(draft: Draft, input: NewSite, now: number): number {
  const domain = normaliseParam("siteinfo", "domain", input.domain) as string;
  const adminUser = normaliseParam("siteinfo", "admin_user", input.adminUser) as string;
  agreeWithArgument(input.options, "siteinfo.domain", domain, "domain");
  agreeWithArgument(input.options, "siteinfo.admin_user", adminUser, "admin_user");
  const plan = choosePlan(draft, input.options, input.plan) ?? defaultPlanName(draft.plans);
  const id = draft.nextSiteId++;
  const site: SiteRecord = {
    id,
    services: newServices(draft.plans, plan),
    active: true,
    suspendedAt: null,
    suspendReason: null,
    createdAt: now,
    overrides: [],
    usage: { storageKb: 0, bandwidthBytes: 0 },
  };
  writeParam(site, "siteinfo", "domain", domain);
  writeParam(site, "siteinfo", "admin_user", adminUser);
  writeParam(site, "siteinfo", "plan", plan);
  writeParam(site, "mysql", "dbaseprefix", defaultDbPrefix(adminUser));
  writeParam(site, "pgsql", "dbaseprefix", defaultDbPrefix(adminUser));
  applyOptions(site, input.options);
  if (!input.options.has("auth.tpasswd") && !input.options.has("auth.cpasswd")) {
    // "Generated" password: deterministic (no randomness here) and sealed like any other.
    writeParam(site, "auth", "cpasswd", seal(`generated:${siteName(id)}:${domain}:${now}`));
  }
  checkConsistency(site);
  draft.add(site);
  draft.assertUnique();
  return id;
}

/** Edits every site `spec` names (one, or an invoice group) with the same options. */
export function editSites(draft: Draft, spec: string, edit: SiteEdit): void {
  const targets = resolveSites(draft.sites, spec);
  const plan = choosePlan(draft, edit.options, edit.plan);
  for (const target of targets) {
    const site = draft.edit(target);
    if (plan !== null || edit.reset) {
      applyPlan(site, draft.plans, plan ?? sitePlan(site) ?? defaultPlanName(draft.plans), edit.reset);
    }
    applyOptions(site, edit.options);
    checkConsistency(site);
  }
  draft.assertUnique();
}

/** `siteinfo.plan` from the options or `flags.plan`; both given must agree; it must exist. */
function choosePlan(draft: Draft, options: Options, flagPlan: string | null): string | null {
  const fromOptions = options.get("siteinfo.plan")?.value;
  const optionPlan = typeof fromOptions === "string" ? fromOptions : null;
  if (optionPlan !== null && flagPlan !== null && optionPlan !== flagPlan) {
    throw new ApiFault(`flag plan ${quote(flagPlan)} conflicts with siteinfo.plan ${quote(optionPlan)}`);
  }
  const plan = optionPlan ?? flagPlan;
  if (plan !== null && !planExists(draft.plans, plan)) {
    throw new ApiFault(`unknown plan ${quote(plan)} (siteinfo.plan)`);
  }
  return plan;
}

/** add_site's domain and admin_user arguments win in ApisCP; differing opts are refused here. */
function agreeWithArgument(options: Options, key: string, value: string, argument: string): void {
  const given = options.get(key);
  if (given !== undefined && given.value !== value) {
    const stated = `${quote(key)} ${quote(String(given.value))}`;
    throw new ApiFault(`${stated} conflicts with the ${argument} argument ${quote(value)}`);
  }
}
