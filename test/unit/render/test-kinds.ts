/**
 * Catalogues for renderer and drift tests: the shipped providers' kinds (ApisCP sites), and
 * beside them a kind of a test provider of their own, with an action of its own (`renew`),
 * actions that cost money, no templates and a secret field.
 */
import { Catalogue } from "../../../src/kinds/catalogue.js";
import type { KindDeclaration } from "../../../src/model/index.js";
import { catalogueOf } from "../../../src/providers/registry.js";

export const LICENCE_KIND = "test/licence";

export const LICENCE: KindDeclaration = {
  id: LICENCE_KIND,
  provider: "test",
  noun: "licence",
  fields: {
    type: "object",
    properties: {
      licence: {
        type: "object",
        properties: {
          name: { type: "string", "x-siteform-field": "name" },
          expires: { type: "string" },
          seats: { type: "integer" },
          token: { type: "string", "x-secret": true },
        },
      },
    },
  },
  entry: {},
  plan: null,
  identity: {
    id: { label: "licence id", pattern: "^[0-9]+$", survivesRenames: true },
    name: "name",
    keys: [{ name: "name", field: "licence.name", label: "licence name", namespace: "licence", scope: "server", renames: true, unique: true }],
    match: [{ label: "name", pairs: [["name", "name"]] }],
  },
  states: { active: "active", suspended: "suspended" },
  relations: [],
  group: null,
  template: null,
  capabilities: {
    deletion: "provider",
    suspendReason: false,
    actions: [{ name: "renew", field: "licence.expires", label: "renews until" }],
    paid: ["create", "renew"],
  },
};

/** What `siteform` itself plans with: the shipped providers. */
export function siteCatalogue(): Catalogue {
  return catalogueOf();
}

/** The shipped kinds plus the test licence. */
export function mixedCatalogue(): Catalogue {
  return new Catalogue([...catalogueOf().all().map((k) => k.declaration), LICENCE]);
}
