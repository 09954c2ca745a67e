/**
 * Which of a server's services (or licences) the inventory already names, decided exactly as
 * the planner matches them (an id pin, then the kind's match steps: name, then domain for a
 * service), and which names and domains its entries of that kind on that server already hold. A service
 * matched here is never imported again; a name held by an entry cannot be given to another.
 * Pure lookups; no decisions about what to write.
 */
import { KindModel } from "../../../kinds/catalogue.js";
import type { Inventory } from "../../../model/inventory.js";
import type { DesiredResource, ObservedResource } from "../../../model/resource.js";
import { textAt } from "../../../kinds/values.js";
import { matchKind } from "../../../planner/match.js";
import { LICENSE, SERVICE, SERVICE_KIND } from "../kinds.js";
import { SERVICE_FIELD } from "../observe.js";

const SERVICE_DOMAIN = SERVICE_FIELD.domain;

export class NamedServices {
  /** service id → the entry the planner matches it to. */
  private readonly matched = new Map<string, DesiredResource>();
  /** name → the entry holding it. */
  private readonly names = new Map<string, DesiredResource>();
  /** domain, lowercase → the entry holding it (the inventory check keeps a service's domain unique per server). */
  private readonly domains = new Map<string, DesiredResource>();

  constructor(inventory: Inventory, server: string, kind: string, observed: readonly ObservedResource[]) {
    const model = inventory.catalogue.find(kind) ?? new KindModel(kind === SERVICE_KIND ? SERVICE : LICENSE);
    const desired = inventory.resources.filter((r) => r.server === server && r.kind === kind);
    for (const pair of matchKind(model, desired, observed).pairs) this.matched.set(pair.observed.id, pair.desired);
    for (const entry of desired) {
      if (!this.names.has(entry.name)) this.names.set(entry.name, entry);
      const domain = textAt(entry.fields, SERVICE_DOMAIN)?.toLowerCase();
      if (domain !== undefined && !this.domains.has(domain)) this.domains.set(domain, entry);
    }
  }

  /** The inventory's entry for the service with this id, or null when it is not in git yet. */
  find(id: string): DesiredResource | null {
    return this.matched.get(id) ?? null;
  }

  /** The entry holding this domain (any case), if any. */
  domainHolder(domain: string): DesiredResource | null {
    return this.domains.get(domain.toLowerCase()) ?? null;
  }

  /** The entry holding this name, if any. */
  holder(name: string): DesiredResource | null {
    return this.names.get(name) ?? null;
  }
}
