/**
 * Server-wide uniqueness: a hostname (primary domain or alias), an admin user and a
 * billing invoice each belong to at most one site. Hostnames share one namespace and are
 * compared case-insensitively. The invoice rule is the emulator's strict choice: ApisCP's
 * documents never show two sites sharing one.
 *
 * The index lives as long as the API and is updated when a call commits, so checking one
 * new site costs a few lookups rather than a pass over every site on the server.
 */
import type { SiteRecord } from "../api.js";
import { ApiFault } from "../api.js";
import { siteAdminUser, siteAliases, siteDomain, siteInvoice, siteName } from "./record.js";
import { quote } from "./values.js";

interface Claim {
  id: number;
  kind: "domain" | "alias";
}

export class NameIndex {
  private readonly hosts = new Map<string, Claim>();
  private readonly admins = new Map<string, number>();
  private readonly invoices = new Map<string, number>();

  static of(sites: readonly SiteRecord[]): NameIndex {
    const index = new NameIndex();
    for (const site of sites) index.add(site);
    return index;
  }

  add(site: SiteRecord): void {
    this.hosts.set(siteDomain(site).toLowerCase(), { id: site.id, kind: "domain" });
    for (const alias of siteAliases(site)) this.hosts.set(alias.toLowerCase(), { id: site.id, kind: "alias" });
    this.admins.set(siteAdminUser(site).toLowerCase(), site.id);
    const invoice = siteInvoice(site);
    if (invoice !== null) this.invoices.set(invoice, site.id);
  }

  /** Drops the site's claims (as the record states them); claims another site holds stay. */
  remove(site: SiteRecord): void {
    for (const host of [siteDomain(site), ...siteAliases(site)].map((h) => h.toLowerCase())) {
      if (this.hosts.get(host)?.id === site.id) this.hosts.delete(host);
    }
    const admin = siteAdminUser(site).toLowerCase();
    if (this.admins.get(admin) === site.id) this.admins.delete(admin);
    const invoice = siteInvoice(site);
    if (invoice !== null && this.invoices.get(invoice) === site.id) this.invoices.delete(invoice);
  }

  /**
   * Faults when one of `changed` (in id order) collides with another of them or with a
   * site in this index. Claims of the `stale` ids are ignored: those sites are being
   * changed or removed, so what the index remembers of them no longer holds.
   */
  assertUnique(changed: readonly SiteRecord[], stale: ReadonlySet<number>): void {
    const local = new NameIndex();
    for (const site of [...changed].sort((a, b) => a.id - b.id)) {
      checkSite(site, new Owners(local, this, stale));
      local.add(site);
    }
  }

  host(name: string): Claim | undefined {
    return this.hosts.get(name);
  }

  admin(name: string): number | undefined {
    return this.admins.get(name);
  }

  invoice(name: string): number | undefined {
    return this.invoices.get(name);
  }
}

/** Who holds a name: a site changed in this call, else a site whose claim is still current. */
class Owners {
  constructor(
    private readonly local: NameIndex,
    private readonly global: NameIndex,
    private readonly stale: ReadonlySet<number>,
  ) {}

  host(name: string): Claim | undefined {
    const claim = this.global.host(name);
    return this.local.host(name) ?? (claim !== undefined && this.current(claim.id) ? claim : undefined);
  }

  admin(name: string): number | undefined {
    const id = this.global.admin(name);
    return this.local.admin(name) ?? (id !== undefined && this.current(id) ? id : undefined);
  }

  invoice(name: string): number | undefined {
    const id = this.global.invoice(name);
    return this.local.invoice(name) ?? (id !== undefined && this.current(id) ? id : undefined);
  }

  /** What the index remembers of a site this call changes or removes no longer holds. */
  private current(id: number): boolean {
    return !this.stale.has(id);
  }
}

function checkSite(site: SiteRecord, owners: Owners): void {
  const domain = siteDomain(site).toLowerCase();
  const taken = owners.host(domain);
  if (taken !== undefined) {
    throw new ApiFault(
      taken.kind === "domain"
        ? `domain ${quote(domain)} already exists (${siteName(taken.id)})`
        : `domain ${quote(domain)} is already in use as an alias of ${siteName(taken.id)}`,
    );
  }
  for (const alias of siteAliases(site).map((a) => a.toLowerCase())) {
    if (alias === domain) throw new ApiFault(`alias ${quote(alias)} is the site's own domain`);
    const claim = owners.host(alias);
    if (claim === undefined) continue;
    throw new ApiFault(
      claim.kind === "domain"
        ? `alias ${quote(alias)} already exists as the domain of ${siteName(claim.id)}`
        : `alias ${quote(alias)} is already in use by ${siteName(claim.id)}`,
    );
  }
  const admin = siteAdminUser(site).toLowerCase();
  const owner = owners.admin(admin);
  if (owner !== undefined) throw new ApiFault(`admin user ${quote(admin)} already exists (${siteName(owner)})`);
  const invoice = siteInvoice(site);
  const holder = invoice === null ? undefined : owners.invoice(invoice);
  if (invoice !== null && holder !== undefined) {
    throw new ApiFault(`billing invoice ${quote(invoice)} is already in use by ${siteName(holder)}`);
  }
}
