/**
 * A test-only kind of a test-only provider: `box/vm`, a rented virtual machine that serves an
 * ApisCP site. It differs from the ApisCP site everywhere the core could have been written for
 * one panel: a numeric id that survives renames, one name and no aliases, a transitional state
 * (a new box is provisioning for a while), a deletion the provider checks itself (it re-reads
 * the suspension right before the call), a kind action of its own that costs money (`renew`,
 * carried out when `vm.paid_until` changes), and a relation to another provider's kind (its
 * host site, anywhere in the inventory). Nothing in src/ knows it: the tests hand it to the core
 * in a Catalogue beside the shipped kinds.
 */
import type { KindDeclaration } from "../../../src/model/kind.js";

export const BOX_KIND_ID = "box/vm";
export const BOX_PROVIDER = "box";

/** The sizes a box comes in. */
export const BOX_SIZES = ["small", "medium", "large"] as const;
export type BoxSize = (typeof BOX_SIZES)[number];

const DOMAIN_PATTERN = "^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$";
const NAME_PATTERN = "^[a-z][a-z0-9-]{0,62}$";

/** The field schema: one group, `vm`. */
export const BOX_FIELDS_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "Box fields",
  description: "What a box is configured with. Its name, host and paid-until date are set by the entry's own fields.",
  type: "object",
  additionalProperties: false,
  properties: {
    vm: {
      description: "The virtual machine.",
      type: "object",
      additionalProperties: false,
      properties: {
        name: { description: "Set by the entry's `name`.", "x-siteform-field": "name", not: {} },
        host: { description: "Set by the entry's `host`: the domain of the ApisCP site the box serves.", "x-siteform-field": "host", not: {} },
        paid_until: { description: "Set by the entry's `paid_until`; a later date is a renewal, which costs money.", "x-siteform-field": "paid_until", not: {} },
        size: { description: "How big the box is.", type: "string", enum: [...BOX_SIZES] },
      },
    },
  },
} as const;

/** The entry schema: one box per file, self-contained. */
export const BOX_ENTRY_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "Box file",
  description: "One box.",
  type: "object",
  additionalProperties: false,
  required: ["name", "server", "host"],
  properties: {
    kind: { description: "The kind of resource.", const: BOX_KIND_ID },
    server: { description: "The box panel it lives on.", type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,62}$" },
    name: { description: "The box's name, unique on its panel; changing it renames the box in place.", type: "string", pattern: NAME_PATTERN },
    host: { description: "The domain of the ApisCP site it serves.", type: "string", pattern: DOMAIN_PATTERN },
    paid_until: { description: "The day the box is paid until.", type: "string", format: "date" },
    services: { description: "Field settings (`vm.size`).", $ref: "services.schema.json" },
    state: { description: "`active`, `suspended` or `cancelled`.", enum: ["active", "suspended", "cancelled"] },
    cancelled_on: { description: "The day it was cancelled.", type: "string", format: "date" },
    suspend_reason: { description: "Why it is suspended.", type: "string", minLength: 1, maxLength: 200 },
    protect: { description: "Never delete it.", type: "boolean" },
    id: { description: "Pins the entry to the panel's box id (a number, kept across renames).", type: "string", pattern: "^[1-9][0-9]*$" },
  },
} as const;

export const BOX_KIND: KindDeclaration = {
  id: BOX_KIND_ID,
  provider: BOX_PROVIDER,
  noun: "box",
  fields: BOX_FIELDS_SCHEMA,
  entry: BOX_ENTRY_SCHEMA,
  plan: null,
  identity: {
    id: { label: "box id", pattern: "^[0-9]+$", survivesRenames: true },
    name: "name",
    keys: [{ name: "name", field: "vm.name", label: "name", namespace: "name", scope: "server", renames: true, unique: true }],
    match: [{ label: "name", pairs: [["name", "name"]] }],
  },
  states: { running: "active", stopped: "suspended", provisioning: "transitional", deleted: "gone" },
  relations: [{ name: "host site", field: "vm.host", parent: { kind: "apiscp/site", key: "domain" }, scope: "inventory" }],
  group: null,
  template: null,
  capabilities: {
    deletion: "provider",
    suspendReason: true,
    actions: [{ name: "renew", field: "vm.paid_until", label: "renews until" }],
    paid: ["create", "renew"],
  },
};
