/**
 * Splits a server's sites that are not in git yet into what becomes one file each: an invoice
 * group (a parent with `billing.invoice` X and the children whose `billing.parent_invoice`
 * is X) or a standalone site. Also decides which sites cannot be imported as they are and
 * why. Does not build YAML.
 */
import type { ImportSkip } from "../../module.js";
import type { NamedSites } from "./named-sites.js";
import type { SiteView } from "./site-view.js";

export type ImportUnit =
  | { kind: "standalone"; site: SiteView; note: string | null }
  | { kind: "group"; invoice: string; parent: SiteView; children: SiteView[] };

/** A site not imported: `id` is null when a `select` entry matched no site, `name` is its domain (or the selector). */
export type Skipped = ImportSkip;

export interface Units {
  units: ImportUnit[];
  skipped: Skipped[];
}

function skip(site: SiteView, reason: string): Skipped {
  return { id: site.id, name: site.domain, reason };
}

/** Invoices held by exactly one site; a repeated invoice cannot be told apart, so it groups nothing. */
function ownersByInvoice(sites: readonly SiteView[]): Map<string, SiteView | null> {
  const owners = new Map<string, SiteView | null>();
  for (const site of sites) {
    if (site.invoice === null) continue;
    owners.set(site.invoice, owners.has(site.invoice) ? null : site);
  }
  return owners;
}

/** Units for every site on the server the inventory does not name, in the server's id order. */
export function importUnits(sites: readonly SiteView[], named: NamedSites): Units {
  const owners = ownersByInvoice(sites);
  const units: ImportUnit[] = [];
  const skipped: Skipped[] = [];
  for (const site of sites) {
    if (named.find(site) !== null) continue;
    if (site.invoice !== null && site.parentInvoice !== null) {
      skipped.push(skip(site, `it has both an invoice (${site.invoice}) and a parent invoice (${site.parentInvoice}); siteform writes a site as a group's parent or as a child, not both: fix its billing in the panel, then import again`));
      continue;
    }
    if (site.parentInvoice !== null) {
      const unit = childUnit(site, site.parentInvoice, owners, named, skipped);
      if (unit !== null) units.push(unit);
      continue;
    }
    if (site.invoice !== null) {
      const unit = invoiceUnit(site, site.invoice, sites, owners, named, skipped);
      if (unit !== null) units.push(unit);
      continue;
    }
    units.push({ kind: "standalone", site, note: null });
  }
  return { units, skipped };
}

/** A child is imported with its parent's group; only an orphan (no parent on the server) stands alone. */
function childUnit(
  site: SiteView,
  invoice: string,
  owners: ReadonlyMap<string, SiteView | null>,
  named: NamedSites,
  skipped: Skipped[],
): ImportUnit | null {
  const parent = owners.get(invoice);
  if (parent === undefined) {
    return {
      kind: "standalone",
      site,
      note: `its parent invoice ${invoice} belongs to no site on this server, so billing is left as it is on the server (not managed)`,
    };
  }
  if (parent === null) return null; // reported with the repeated invoice's sites
  if (parent.parentInvoice !== null) {
    skipped.push(skip(site, `its parent ${parent.domain} (invoice ${invoice}) cannot be imported: it is itself a child of ${parent.parentInvoice}`));
    return null;
  }
  const parentFile = named.find(parent)?.source.file;
  if (parentFile !== undefined) {
    skipped.push(skip(site, `it is a child of invoice ${invoice}, whose parent ${parent.domain} is already in ${parentFile}: add it to that file as a group member by hand (siteform never edits an existing file)`));
  }
  return null;
}

function invoiceUnit(
  site: SiteView,
  invoice: string,
  sites: readonly SiteView[],
  owners: ReadonlyMap<string, SiteView | null>,
  named: NamedSites,
  skipped: Skipped[],
): ImportUnit | null {
  const children = sites.filter((other) => other.parentInvoice === invoice && other.invoice === null);
  if (owners.get(invoice) === null) {
    skipped.push(skip(site, `its invoice ${invoice} is held by more than one site on this server; give each its own invoice in the panel, then import again`));
    for (const child of children) if (named.find(child) === null) skipped.push(skip(child, `its parent invoice ${invoice} is held by more than one site on this server`));
    return null;
  }
  const usedIn = named.invoiceFile(invoice);
  if (usedIn !== null) {
    skipped.push(skip(site, `its invoice ${invoice} is already used in ${usedIn}; invoices are unique across the inventory`));
    for (const child of children) if (named.find(child) === null) skipped.push(skip(child, `its parent invoice ${invoice} is already used in ${usedIn}`));
    return null;
  }
  const namedChild = children.find((child) => named.find(child) !== null);
  if (namedChild !== undefined) {
    skipped.push(skip(site, `it is the parent of invoice ${invoice}, whose child ${namedChild.domain} is already in ${named.find(namedChild)?.source.file ?? "the inventory"}: write the group by hand`));
    return null;
  }
  if (children.length === 0) return { kind: "standalone", site, note: null };
  return { kind: "group", invoice, parent: site, children };
}

/** Each unit's observed sites, parent first. */
export function unitSites(unit: ImportUnit): SiteView[] {
  return unit.kind === "standalone" ? [unit.site] : [unit.parent, ...unit.children];
}

/**
 * Narrows to the units that hold a selected site (id, domain or alias): selecting any member
 * of an invoice group imports the whole group, since a group is one file. A selector that
 * names no site, or names one already in git, is reported.
 */
export function selectUnits(all: Units, select: readonly string[], sites: readonly SiteView[], named: NamedSites): Units {
  const units = all.units.filter((unit) => unitSites(unit).some((site) => select.some((s) => selects(site, s))));
  const chosen = new Set(units.flatMap(unitSites).map((site) => site.id));
  const skipped = all.skipped.filter((entry) => select.some((s) => entry.id === s || entry.name === s));
  for (const selector of select) {
    const site = sites.find((candidate) => selects(candidate, selector));
    if (site === undefined) {
      skipped.push({ id: null, name: selector, reason: "no site on this server has this id, domain or alias" });
      continue;
    }
    const file = named.find(site)?.source.file;
    if (file !== undefined) skipped.push(skip(site, `it is already in the inventory (${file})`));
    else if (!chosen.has(site.id) && !skipped.some((entry) => entry.id === site.id)) {
      skipped.push(skip(site, "it cannot be imported (see the other entries for its invoice)"));
    }
  }
  return { units, skipped };
}

function selects(site: SiteView, selector: string): boolean {
  return site.id === selector || site.domain === selector || site.aliases.includes(selector);
}
