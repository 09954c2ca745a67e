/**
 * Which observed sites the inventory already names, by the same identities the planner
 * matches on (pinned id, admin user, domain, alias; domains without regard to case), and
 * which invoices it already uses. An observed site named here is never imported again. Pure
 * lookups; no decisions about what to write.
 */
import { comparable, keyValues } from "../../../kinds/values.js";
import type { DesiredResource, Inventory } from "../../../model/index.js";
import { SITE_KIND } from "../kinds.js";
import { SITE_MODEL, desiredInvoices, type SiteView } from "./site-view.js";

const ADMIN_USER = SITE_MODEL.key("admin_user");
const DOMAIN = SITE_MODEL.key("domain");
const ALIASES = SITE_MODEL.key("aliases");

export class NamedSites {
  private readonly byId = new Map<string, DesiredResource>();
  private readonly byAdminUser = new Map<string, DesiredResource>();
  /** Domains and aliases share one namespace on a server. */
  private readonly byName = new Map<string, DesiredResource>();
  /** Invoice → the file that uses it, across every server (invoices are unique inventory-wide). */
  private readonly invoices = new Map<string, string>();

  constructor(inventory: Inventory, server: string) {
    for (const site of inventory.resources) {
      if (site.kind !== SITE_KIND) continue;
      // A group's parent holds its invoice and its children name it: either way the group file uses it.
      const view = desiredInvoices(site);
      if (view.invoice !== null) this.invoices.set(view.invoice, site.source.file);
      if (view.parentInvoice !== null) this.invoices.set(view.parentInvoice, site.source.file);
      if (site.server !== server) continue;
      if (site.pinnedId !== null) this.byId.set(site.pinnedId, site);
      for (const user of keyValues(ADMIN_USER, site.fields)) this.byAdminUser.set(user, site);
      const names = [comparable(DOMAIN, site.name), ...keyValues(DOMAIN, site.fields), ...keyValues(ALIASES, site.fields)];
      for (const name of names) this.byName.set(name, site);
    }
  }

  /** The inventory's site that names `observed`, or null when it is not in git yet. */
  find(observed: SiteView): DesiredResource | null {
    const pinned = this.byId.get(observed.id);
    if (pinned !== undefined) return pinned;
    if (observed.adminUser !== null) {
      const byUser = this.byAdminUser.get(comparable(ADMIN_USER, observed.adminUser));
      if (byUser !== undefined) return byUser;
    }
    for (const name of [comparable(DOMAIN, observed.domain), ...observed.aliases.map((a) => comparable(ALIASES, a))]) {
      const byName = this.byName.get(name);
      if (byName !== undefined) return byName;
    }
    return null;
  }

  /** The inventory file already using `invoice`, or null. */
  invoiceFile(invoice: string): string | null {
    return this.invoices.get(invoice) ?? null;
  }
}
