/**
 * Which observed sites the inventory already names, by the same identities the planner
 * matches on (pinned id, admin user, domain, alias), and which invoices it already uses.
 * An observed site named here is never imported again. Pure lookups; no decisions about
 * what to write.
 */
import type { DesiredSite, Inventory, ObservedSite } from "../model/index.js";

export class NamedSites {
  private readonly byId = new Map<string, DesiredSite>();
  private readonly byAdminUser = new Map<string, DesiredSite>();
  /** Domains and aliases share one namespace on a server. */
  private readonly byName = new Map<string, DesiredSite>();
  /** Invoice → the file that uses it, across every server (invoices are unique inventory-wide). */
  private readonly invoices = new Map<string, string>();

  constructor(inventory: Inventory, server: string) {
    for (const site of inventory.sites) {
      if (site.invoice !== null) this.invoices.set(site.invoice, site.source.file);
      if (site.parentInvoice !== null) this.invoices.set(site.parentInvoice, site.source.file);
      if (site.server !== server) continue;
      if (site.pinnedId !== null) this.byId.set(site.pinnedId, site);
      this.byAdminUser.set(site.adminUser, site);
      for (const name of [site.domain, ...(site.aliases ?? [])]) this.byName.set(name, site);
    }
    for (const group of inventory.groups) this.invoices.set(group.invoice, group.source.file);
  }

  /** The inventory's site that names `observed`, or null when it is not in git yet. */
  find(observed: ObservedSite): DesiredSite | null {
    const pinned = this.byId.get(observed.id);
    if (pinned !== undefined) return pinned;
    if (observed.adminUser !== null) {
      const byUser = this.byAdminUser.get(observed.adminUser);
      if (byUser !== undefined) return byUser;
    }
    for (const name of [observed.domain, ...observed.aliases]) {
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
