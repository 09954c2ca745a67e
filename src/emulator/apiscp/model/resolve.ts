/**
 * The `site` argument of edit/deactivate/activate/delete/hijack and the entries of
 * collect's and get_usage's `sites`: a `siteN` id, a primary domain, an alias domain, or a
 * billing invoice. An invoice names an account group: every site whose `billing.invoice`
 * or `billing.parent_invoice` equals it. Tried in that order; the first form that matches
 * wins, so a `siteN` that does not exist is unknown rather than looked up as an invoice.
 */
import type { SiteRecord } from "../api.js";
import { ApiFault } from "../api.js";
import { parseSiteName, siteAliases, siteDomain, siteInvoice, siteParentInvoice } from "./record.js";
import { quote } from "./values.js";

/** The sites a site argument names: one, or an invoice group with its parent first. */
export function resolveSites(sites: readonly SiteRecord[], spec: string): SiteRecord[] {
  const id = parseSiteName(spec);
  if (id !== null) {
    const site = sites.find((s) => s.id === id);
    if (site === undefined) throw unknownSite(spec);
    return [site];
  }
  const host = spec.toLowerCase();
  const primary = sites.find((s) => siteDomain(s) === host);
  if (primary !== undefined) return [primary];
  const alias = sites.find((s) => siteAliases(s).includes(host));
  if (alias !== undefined) return [alias];
  const group = sites.filter((s) => siteInvoice(s) === spec || siteParentInvoice(s) === spec);
  if (group.length === 0) throw unknownSite(spec);
  // Parent (the invoice holder) first, then children by id: activation order for a group.
  return group.sort((a, b) => rank(a, spec) - rank(b, spec) || a.id - b.id);
}

/** The union of several site arguments, each site once, in id order. */
export function resolveMany(sites: readonly SiteRecord[], specs: readonly string[]): SiteRecord[] {
  const found = new Map<number, SiteRecord>();
  for (const spec of specs) for (const site of resolveSites(sites, spec)) found.set(site.id, site);
  return [...found.values()].sort((a, b) => a.id - b.id);
}

function rank(site: SiteRecord, invoice: string): number {
  return siteInvoice(site) === invoice ? 0 : 1;
}

function unknownSite(spec: string): ApiFault {
  return new ApiFault(`unknown site ${quote(spec)}`);
}
