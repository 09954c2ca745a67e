/**
 * What the WHM provider manages, declared for the core: the cPanel account. Its fields are
 * schemas/services.schema.json (identity, the account's own limits, shell, read-only usage);
 * it is known by its Unix uid, which a user rename keeps, and by its user and primary domain,
 * matched in that order after an id pin. A package change rewrites the limits, so the core
 * re-sends every managed limit with it. WHM has no age check on deletion: the provider re-reads
 * the suspension right before removing an account (capabilities.deletion `provider`).
 */
import type { KindDeclaration } from "../../model/kind.js";
import accountSchema from "./schemas/account.schema.json" with { type: "json" };
import planSchema from "./schemas/plan.schema.json" with { type: "json" };
import servicesSchema from "./schemas/services.schema.json" with { type: "json" };

export const WHM_PROVIDER = "whm";
export const ACCOUNT_KIND = "whm/account";

/** The fields that name and place an account, as `group.field`. */
export const FIELD = {
  user: "account.user",
  domain: "account.domain",
  email: "account.email",
  package: "account.package",
} as const;

export const ACCOUNT: KindDeclaration = {
  id: ACCOUNT_KIND,
  provider: WHM_PROVIDER,
  noun: "account",
  fields: servicesSchema,
  entry: accountSchema,
  plan: planSchema,
  identity: {
    // The uid stays with the account's files when `modifyacct newuser` renames the user; the user name does not.
    id: { label: "uid", pattern: "^[0-9]+$", survivesRenames: true },
    name: "domain",
    keys: [
      { name: "user", field: FIELD.user, label: "user", namespace: "user", scope: "server", renames: true, unique: true },
      { name: "domain", field: FIELD.domain, label: "domain", caseInsensitive: true, namespace: "domain", scope: "server", renames: true, unique: true },
    ],
    match: [
      { label: "user", pairs: [["user", "user"]] },
      { label: "domain", pairs: [["domain", "domain"]] },
    ],
  },
  states: { "suspended: 0": "active", "suspended: 1": "suspended" },
  relations: [],
  group: null,
  template: {
    entry: "whm_package",
    field: FIELD.package,
    label: "package",
    resetsFields: true,
    createHint: "create the package in WHM (Packages » Add a Package) or point `whm_package` at one the server has",
  },
  capabilities: { deletion: "provider", suspendReason: true, actions: [], paid: [] },
};

export const KINDS: readonly KindDeclaration[] = [ACCOUNT];
