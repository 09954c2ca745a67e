/**
 * An ApisCP site as the importer reads it: the identity fields the core keeps as plain fields
 * (admin user, aliases, invoice, parent invoice, server plan) lifted off an ObservedResource or
 * a DesiredResource of the site kind, once, so the rest of the importer reads names, not
 * paths. Pure.
 */
import { KindModel } from "../../../kinds/catalogue.js";
import { keyNames, textAt, valueAt } from "../../../kinds/values.js";
import type { DesiredResource, FieldValues, ObservedResource, ObservedValue } from "../../../model/resource.js";
import { SITE, SITE_KIND } from "../kinds.js";

/** The site kind's model: its marks and keys, read from the declaration. */
export const SITE_MODEL = new KindModel(SITE);

const ADMIN_USER = SITE_MODEL.key("admin_user");
const ALIASES = SITE_MODEL.key("aliases");
const INVOICE = SITE_MODEL.key("invoice");
const PARENT_INVOICE = SITE_MODEL.declaration.relations[0]?.field ?? "billing.parent_invoice";
const SERVER_PLAN = SITE_MODEL.declaration.template?.field ?? "siteinfo.plan";

/** What the importer needs of a site on the server. */
export interface SiteView {
  /** The panel's id (`site12`). */
  id: string;
  domain: string;
  adminUser: string | null;
  aliases: string[];
  invoice: string | null;
  parentInvoice: string | null;
  /** The server plan it is on. */
  plan: string | null;
  active: boolean;
  /** Why a suspended site is suspended, when the provider reports it; null otherwise. */
  suspendReason: string | null;
  /** service → param → value, as the server reported them. */
  fields: FieldValues<ObservedValue>;
}

/** The sites of a collect, in its order; resources of other kinds or servers are left out. */
export function siteViews(resources: readonly ObservedResource[], server: string): SiteView[] {
  return resources.filter((r) => r.kind === SITE_KIND && r.server === server).map(siteView);
}

export function siteView(resource: ObservedResource): SiteView {
  const f = resource.fields;
  return {
    id: resource.id,
    domain: resource.name,
    adminUser: textAt(f, ADMIN_USER.field),
    aliases: keyNames(ALIASES, valueAt(f, ALIASES.field)),
    invoice: textAt(f, INVOICE.field),
    parentInvoice: textAt(f, PARENT_INVOICE),
    plan: textAt(f, SERVER_PLAN),
    active: resource.state === "active",
    suspendReason: resource.state === "suspended" ? (resource.suspension?.reason ?? null) : null,
    fields: f,
  };
}

/** The invoice billing a site the inventory names: its own (a group's parent) or its parent's (a child). */
export function desiredInvoices(resource: DesiredResource): { invoice: string | null; parentInvoice: string | null } {
  return { invoice: textAt(resource.fields, INVOICE.field), parentInvoice: textAt(resource.fields, PARENT_INVOICE) };
}
