/**
 * One imported site as the inventory writes it: identity fields from what the server
 * reports, the chosen plan, billing by role, `state: suspended` (with the reason, when the
 * server reports one) for a suspended site, and the overrides. The e-mail comes from the parameter the schema marks as set by `email`, so no
 * provider field is named here. Returns why a site cannot be written instead of guessing.
 */
import { valueAt } from "../../../kinds/values.js";
import type { ObservedValue } from "../../../model/index.js";
import { fitsSuspendReason } from "./catalogue.js";
import type { PlanChooser } from "./plan-choice.js";
import { SITE_MODEL, type SiteView } from "./site-view.js";

export interface SiteEntry {
  /** Keys in the order the example inventory writes them. */
  value: Record<string, unknown>;
  notes: string[];
}

export type Role = { kind: "standalone"; server: string } | { kind: "member" };

function observedEmail(site: SiteView): string | string[] | null {
  const where = SITE_MODEL.fieldSetBy("email");
  const value: ObservedValue | undefined = where === null ? undefined : valueAt(site.fields, where);
  if (typeof value === "string" && value !== "") return value;
  if (Array.isArray(value) && value.length > 0 && value.every((item: ObservedValue) => typeof item === "string")) {
    return [...(value as readonly string[])];
  }
  return null;
}

export function siteEntry(site: SiteView, role: Role, plans: PlanChooser): SiteEntry | { error: string } {
  if (site.adminUser === null) return { error: "the server reported no admin user for it" };
  const email = observedEmail(site);
  if (email === null) return { error: "the server reported no e-mail address for it" };
  if (site.plan === null) return { error: "the server reported no plan for it" };
  const choice = plans.choose({ ...site, plan: site.plan });
  if ("error" in choice) return choice;
  const value: Record<string, unknown> = { domain: site.domain };
  if (role.kind === "standalone") value.server = role.server;
  value.admin_user = site.adminUser;
  value.email = email;
  value.plan = choice.plan;
  if (role.kind === "standalone" && site.invoice !== null) value.invoice = site.invoice;
  if (site.aliases.length > 0) value.aliases = [...site.aliases];
  const notes: string[] = [];
  if (!site.active) {
    value.state = "suspended";
    notes.push(...suspension(site, value));
  }
  if (choice.overrides.count > 0) value.services = choice.overrides.services;
  notes.push(...choice.overrides.notes);
  if (!plans.hasDefaults(site.plan)) {
    notes.unshift(`the defaults of server plan ${site.plan} were not available: every value the server reported is written (here, or in the plan when the sites on it share it)`);
  }
  return { value, notes };
}

/** Sets `suspend_reason` on a suspended site's entry when it can; the notes say why not otherwise. */
function suspension(site: SiteView, value: Record<string, unknown>): string[] {
  if (site.suspendReason === null) {
    return ["suspended on the server, which does not say why: add suspend_reason if you know it (siteform uses it when it suspends the site again)"];
  }
  if (!fitsSuspendReason(site.suspendReason)) {
    return ["its suspension reason is not written: it does not fit the schema (one line, at most 200 characters)"];
  }
  value.suspend_reason = site.suspendReason;
  return [];
}
