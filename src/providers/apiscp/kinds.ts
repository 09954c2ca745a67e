/**
 * What the ApisCP provider manages, declared for the core: the site. Its fields are the
 * service catalogue (schemas/services.schema.json); it is known by its domain, its admin user
 * and its aliases, and matched in that order after an id pin; invoice groups are a relation
 * from a child's `billing.parent_invoice` to a parent's `billing.invoice`; deletion is checked
 * by the server itself (`admin_delete_site` with `since`/`match`); applying a plan rewrites the
 * defaults the site has not overridden.
 */
import type { KindDeclaration } from "../../model/kind.js";
import planSchema from "./schemas/plan.schema.json" with { type: "json" };
import servicesSchema from "./schemas/services.schema.json" with { type: "json" };
import siteSchema from "./schemas/site.schema.json" with { type: "json" };

export const SITE_KIND = "apiscp/site";

export const SITE: KindDeclaration = {
  id: SITE_KIND,
  provider: "apiscp",
  noun: "site",
  fields: servicesSchema,
  entry: siteSchema,
  plan: planSchema,
  identity: {
    id: { label: "site id", pattern: "^site[0-9]+$", survivesRenames: true },
    name: "domain",
    keys: [
      { name: "domain", field: "siteinfo.domain", label: "domain", caseInsensitive: true, namespace: "domain", scope: "server", renames: true, unique: true },
      { name: "admin_user", field: "siteinfo.admin_user", label: "admin user", namespace: "admin user", scope: "server", renames: true, unique: true },
      { name: "aliases", field: "aliases.aliases", label: "alias", list: true, caseInsensitive: true, namespace: "domain", scope: "server", renames: false, unique: true },
      // ApisCP does not document invoices as unique: ordered like a name, refused by the server if at all.
      { name: "invoice", field: "billing.invoice", label: "invoice", namespace: "invoice", scope: "inventory", renames: false, unique: false },
    ],
    match: [
      { label: "admin user", pairs: [["admin_user", "admin_user"]] },
      { label: "domain", pairs: [["domain", "domain"]] },
      { label: "alias", pairs: [["domain", "aliases"], ["aliases", "domain"]] },
    ],
  },
  states: { "enabled: 1": "active", "enabled: 0": "suspended" },
  relations: [{ name: "invoice group", field: "billing.parent_invoice", parent: { kind: SITE_KIND, key: "invoice" }, scope: "server" }],
  group: { entry: "invoice", members: "sites", label: "invoice group", parentField: "billing.invoice", relation: "invoice group" },
  template: {
    entry: "apiscp_plan",
    field: "siteinfo.plan",
    label: "server plan",
    resetsFields: true,
    createHint: "create the plan on the server (`artisan opcenter:plan`) or point `apiscp_plan` at one it has",
  },
  capabilities: { deletion: "server", suspendReason: true, actions: [], paid: [] },
};

export const KINDS: readonly KindDeclaration[] = [SITE];
