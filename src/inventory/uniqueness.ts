/**
 * What must be unique: on one server, every domain and alias (they share one namespace), every
 * admin user and every pinned site id; across the whole inventory, every invoice (a billing
 * account is one group or one site). The first occurrence in file order wins and each later
 * one is reported, pointing back at the first. Pure.
 */
import type { Diagnostic, DiagnosticCode, SourceRef } from "../model/index.js";
import { error } from "./diagnostics.js";
import { ref, siteServer, text, texts, type InventoryRecords, type SiteRecord } from "./records.js";

interface Claim {
  /** Computed only for a conflict: positions are the costly part of checking 10,000 sites. */
  at: () => SourceRef;
  /** Who claims it: a site's key, or a group's. */
  owner: string;
  /** What the name is to its owner: `domain`, `alias`, `admin user`, … */
  as: string;
  whose: "a site's" | "a group's";
}

/** One namespace: the first claim of each name, and the problems found so far. */
class Registry {
  private readonly claims = new Map<string, Claim>();
  readonly problems: Diagnostic[] = [];

  constructor(
    private readonly code: DiagnosticCode,
    private readonly scope: string,
    private readonly hint: string,
  ) {}

  claim(name: string, claim: Claim): void {
    const first = this.claims.get(name);
    if (first === undefined) {
      this.claims.set(name, claim);
      return;
    }
    if (first.owner === claim.owner) {
      if (first.as !== claim.as) {
        this.problems.push(error(this.code, claim.at(), `\`${name}\` is this site's ${first.as} and also its ${claim.as}`, "remove it from `aliases`"));
      }
      return;
    }
    const at = first.at();
    const where = `${at.file}:${at.line}:${at.column}`;
    this.problems.push(
      error(this.code, claim.at(), `\`${name}\` is already used ${this.scope} as ${first.whose} ${first.as} (${where})`, this.hint),
    );
  }
}

export function checkUniqueness(records: InventoryRecords): Diagnostic[] {
  const perServer = new Map<string, { hosts: Registry; users: Registry; ids: Registry }>();
  const registries = (server: string): { hosts: Registry; users: Registry; ids: Registry } => {
    let found = perServer.get(server);
    if (found === undefined) {
      const on = `on server \`${server}\``;
      found = {
        hosts: new Registry("duplicate-domain", on, "a domain or alias belongs to one site per server: remove it from one of them"),
        users: new Registry("duplicate-admin-user", on, "admin users are unique per server: choose another `admin_user`"),
        ids: new Registry("duplicate-site-id", on, "a site id can be pinned by one site only: remove one of the `id:` pins"),
      };
      perServer.set(server, found);
    }
    return found;
  };
  for (const site of records.sites) {
    const server = siteServer(site);
    if (server !== undefined) claimOnServer(site, registries(server.name));
  }
  const all = [...perServer.values()].flatMap((r) => [...r.hosts.problems, ...r.users.problems, ...r.ids.problems]);
  return [...all, ...checkInvoices(records)];
}

function claimOnServer(site: SiteRecord, on: { hosts: Registry; users: Registry; ids: Registry }): void {
  const domain = text(site, "domain");
  if (domain !== undefined) on.hosts.claim(domain, { at: () => ref(site, "domain"), owner: site.key, as: "domain", whose: "a site's" });
  for (const alias of texts(site, "aliases")) {
    on.hosts.claim(alias.value, { at: () => site.source.ref([...site.path, "aliases", alias.index]), owner: site.key, as: "alias", whose: "a site's" });
  }
  const user = text(site, "admin_user");
  if (user !== undefined) on.users.claim(user, { at: () => ref(site, "admin_user"), owner: site.key, as: "admin user", whose: "a site's" });
  const id = text(site, "id");
  if (id !== undefined) on.ids.claim(id, { at: () => ref(site, "id"), owner: site.key, as: "pinned id", whose: "a site's" });
}

/** An invoice is one billing account: one invoice group or one standalone site, on any server. */
function checkInvoices({ sites }: InventoryRecords): Diagnostic[] {
  const invoices = new Registry(
    "duplicate-invoice",
    "in the inventory",
    "an invoice belongs to one site or one invoice group: to bill several sites together, list them under one group's `sites:`",
  );
  for (const site of sites) {
    const owner = site.role === "standalone" ? site : site.role === "parent" ? site.group : null;
    if (owner === null) continue;
    const invoice = text(owner, "invoice");
    if (invoice === undefined) continue;
    const whose = site.role === "standalone" ? "a site's" : "a group's";
    invoices.claim(invoice, { at: () => ref(owner, "invoice"), owner: `${whose} ${owner.key}`, as: "invoice", whose });
  }
  return invoices.problems;
}
