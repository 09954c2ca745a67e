/**
 * Catalogues for renderer and drift tests: the shipped providers' kinds (ApisCP sites), and
 * beside them a kind of a test provider of their own, with an action of its own (`renew`),
 * actions that cost money, no templates and a secret field.
 */
import { Catalogue } from "../../../src/kinds/catalogue.js";
import { catalogueOf } from "../../../src/providers/registry.js";
import { namedKind } from "../../support/named-kind.js";

export const LICENCE_KIND = "test/licence";

export const LICENCE = namedKind(
  LICENCE_KIND,
  { expires: { type: "string" }, seats: { type: "integer" }, token: { type: "string", "x-secret": true } },
  {
    capabilities: {
      deletion: "provider",
      suspendReason: false,
      actions: [{ name: "renew", field: "licence.expires", label: "renews until" }],
      paid: ["create", "renew"],
    },
  },
);

/** What `siteform` itself plans with: the shipped providers. */
export function siteCatalogue(): Catalogue {
  return catalogueOf();
}

/** The shipped kinds plus the test licence. */
export function mixedCatalogue(): Catalogue {
  return new Catalogue([...catalogueOf().all().map((k) => k.declaration), LICENCE]);
}
