/**
 * Reads one `service.param` (or identity) field off an ObservedSite and compares values as the
 * planner does (planner/normalize.ts). Shared by the stale check and the read-back; it knows
 * no panel's fields.
 */
import type { ObservedSite, ObservedValue } from "../model/observed-site.js";

/** Identity fields a precondition may name without a service prefix. */
const IDENTITY_FIELDS: Readonly<Record<string, (site: ObservedSite) => ObservedValue>> = {
  active: (s) => s.active,
  domain: (s) => s.domain,
  adminUser: (s) => s.adminUser,
  aliases: (s) => s.aliases,
  invoice: (s) => s.invoice,
  parentInvoice: (s) => s.parentInvoice,
  plan: (s) => s.plan,
};

/** The site's value for `field`; undefined when the site does not report it. */
export function fieldValue(site: ObservedSite, field: string): ObservedValue | undefined {
  const dot = field.indexOf(".");
  if (dot < 0) return IDENTITY_FIELDS[field]?.(site);
  const service = site.services[field.slice(0, dot)];
  return service?.[field.slice(dot + 1)];
}

/** Whether two values of `field` mean the same: the planner's own comparison, so apply and plan never disagree. */
export { sameValue } from "../planner/normalize.js";
