/**
 * One site's part of a plan: which desired and observed site it joins, the ops decided for
 * it, and the names (domains, aliases, admin user) it holds before and after. The ordering
 * and the guards work on these.
 */
import type { DesiredSite } from "../model/desired-site.js";
import type { ObservedSite } from "../model/observed-site.js";
import type { Op, OpAction } from "../model/op.js";

export interface SitePlan {
  /** DesiredSite.key, or `id:siteN` for a site only the server knows. */
  handle: string;
  desired: DesiredSite | null;
  observed: ObservedSite | null;
  ops: Op[];
  /** The handle of the invoice group's parent, when this site is a child. */
  parent: string | null;
}

export function opOf(site: SitePlan, action: OpAction): Op | undefined {
  return site.ops.find((op) => op.action === action);
}

/** Names share one namespace per kind: domains with aliases, admin users apart, invoices apart. */
export function domainName(domain: string): string {
  return `domain ${domain.toLowerCase()}`;
}
export function userName(user: string): string {
  return `admin user ${user}`;
}
const INVOICE = "invoice ";
export function invoiceName(invoice: string): string {
  return `${INVOICE}${invoice}`;
}
export function isInvoiceName(name: string): boolean {
  return name.startsWith(INVOICE);
}

export function currentNames(site: ObservedSite | null): Set<string> {
  if (site === null) return new Set();
  const names = [domainName(site.domain), ...site.aliases.map(domainName)];
  if (site.adminUser !== null) names.push(userName(site.adminUser));
  if (site.invoice !== null) names.push(invoiceName(site.invoice));
  return new Set(names);
}

/** What the site holds once the plan has run: nothing when it is deleted. */
export function finalNames(site: SitePlan): Set<string> {
  if (opOf(site, "delete") !== undefined) return new Set();
  const d = site.desired;
  if (d === null) return currentNames(site.observed);
  const aliases = d.aliases ?? site.observed?.aliases ?? [];
  // Billing the inventory leaves alone keeps the server's invoice.
  const invoice = d.services.billing?.invoice !== undefined ? d.invoice : (site.observed?.invoice ?? null);
  return new Set([domainName(d.domain), ...aliases.map(domainName), userName(d.adminUser), ...(invoice === null ? [] : [invoiceName(invoice)])]);
}
