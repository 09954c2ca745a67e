/**
 * What the BILLmanager provider manages, declared for the core: services (shared hosting, a
 * virtual or dedicated server) and third-party licences. Both are things a company buys, so an
 * order and a renewal cost money (the core caps them per run). Each is known by siteform's own
 * name for it, which BILLmanager keeps as the `remoteid` given with the order: a lost answer to
 * an order is settled by finding the service by it, never by ordering again. BILLmanager's ids
 * survive any rename. An ordered or processing service (item_status 1 or 5) is transitional: the
 * core waits for it and never acts on it twice. Deletion is re-checked by the provider right
 * before the call (BILLmanager has no age or owner check of its own): suspended, by siteform's
 * API user, long enough ago, as the service's history says. A service is renewed only when it
 * expires sooner than `renew_ahead_days` from the plan's day.
 */
import type { KindDeclaration } from "../../model/kind.js";
import licenseFieldsSchema from "./schemas/license-fields.schema.json" with { type: "json" };
import licenseSchema from "./schemas/license.schema.json" with { type: "json" };
import serviceSchema from "./schemas/service.schema.json" with { type: "json" };
import servicesSchema from "./schemas/services.schema.json" with { type: "json" };

export const BILLMGR_PROVIDER = "billmgr";
export const SERVICE_KIND = "billmgr/service";
export const LICENSE_KIND = "billmgr/license";

/** BILLmanager's item_status values, as the core reads them. */
const STATES = {
  "item_status 1 (ordered)": "transitional",
  "item_status 2 (active)": "active",
  "item_status 3 (suspended)": "suspended",
  "item_status 4 (deleted)": "gone",
  "item_status 5 (processing)": "transitional",
} as const;

const ID = { label: "service id", pattern: "^[1-9][0-9]*$", survivesRenames: true } as const;
const RENEW = [{ name: "renew", field: "renewal.paid_until", label: "renews to at least" }] as const;

export const SERVICE: KindDeclaration = {
  id: SERVICE_KIND,
  provider: BILLMGR_PROVIDER,
  noun: "service",
  fields: servicesSchema,
  entry: serviceSchema,
  plan: null,
  identity: {
    id: ID,
    name: "name",
    keys: [
      { name: "name", field: "service.name", label: "service name", namespace: "service name", scope: "server", renames: true, unique: true },
      { name: "domain", field: "service.domain", label: "domain", caseInsensitive: true, namespace: "service domain", scope: "server", renames: true, unique: false },
    ],
    match: [
      { label: "name", pairs: [["name", "name"]] },
      { label: "domain", pairs: [["domain", "domain"]] },
    ],
  },
  states: STATES,
  relations: [],
  group: null,
  template: null,
  capabilities: { deletion: "provider", suspendReason: false, actions: RENEW, paid: ["create", "renew"] },
};

export const LICENSE: KindDeclaration = {
  id: LICENSE_KIND,
  provider: BILLMGR_PROVIDER,
  noun: "licence",
  fields: licenseFieldsSchema,
  entry: licenseSchema,
  plan: null,
  identity: {
    id: { ...ID, label: "licence id" },
    name: "name",
    keys: [{ name: "name", field: "license.name", label: "licence name", namespace: "licence name", scope: "server", renames: true, unique: true }],
    match: [{ label: "name", pairs: [["name", "name"]] }],
  },
  states: STATES,
  relations: [],
  group: null,
  template: null,
  capabilities: { deletion: "provider", suspendReason: false, actions: RENEW, paid: ["create", "renew"] },
};

export const KINDS: readonly KindDeclaration[] = [SERVICE, LICENSE];
