/**
 * The provider's service catalogue read as data from its schema (schemas/apiscp-services.schema.json):
 * which `service.param` fields exist, and which of them a site field sets (the domain, the
 * invoice, …). This is how the inventory stays free of ApisCP names: the names live in the
 * schema, and code here only follows the `x-siteform-field` marks.
 */
import { SCHEMAS, SET_ELSEWHERE_KEYWORD, UNIT_OF_KEYWORD } from "./schema.js";
import { isRecord } from "./field-path.js";

/** The site-level facts that resolve.ts writes into provider fields. */
export type IdentityField = "domain" | "admin_user" | "email" | "plan" | "invoice" | "parent_invoice" | "aliases";

const IDENTITY_FIELDS: ReadonlySet<string> = new Set<IdentityField>([
  "domain",
  "admin_user",
  "email",
  "plan",
  "invoice",
  "parent_invoice",
  "aliases",
]);

export interface IdentityParam {
  field: IdentityField;
  service: string;
  param: string;
}

function serviceEntries(): Array<[string, Record<string, unknown>]> {
  return Object.entries(SCHEMAS.services.properties).map(([service, schema]) => [
    service,
    isRecord(schema.properties) ? schema.properties : {},
  ]);
}

let identity: readonly IdentityParam[] | undefined;

/** Provider fields set from site fields, in catalogue order. Marked fields that are not identity (such as the one `state` drives) are left out. */
export function identityParams(): readonly IdentityParam[] {
  identity ??= serviceEntries().flatMap(([service, params]) =>
    Object.entries(params).flatMap(([param, schema]) => {
      const field = isRecord(schema) ? schema[SET_ELSEWHERE_KEYWORD] : undefined;
      return typeof field === "string" && IDENTITY_FIELDS.has(field)
        ? [{ field: field as IdentityField, service, param }]
        : [];
    }),
  );
  return identity;
}

let fields: readonly string[] | undefined;

/** Every `service` and `service.param` the catalogue knows. */
export function catalogueFields(): readonly string[] {
  fields ??= serviceEntries().flatMap(([service, params]) => [
    service,
    ...Object.keys(params).map((param) => `${service}.${param}`),
  ]);
  return fields;
}

/** A size given as an amount and a unit (`diskquota.quota` in `diskquota.units`). */
export interface UnitPair {
  amount: string;
  units: string;
}

let unitPairs: ReadonlyMap<string, UnitPair> | undefined;

/** service → its amount/unit pair, from the `x-siteform-unit-of` marks. */
export function unitPairOf(service: string): UnitPair | null {
  unitPairs ??= new Map(
    serviceEntries().flatMap(([svc, params]) =>
      Object.entries(params).flatMap(([param, schema]) => {
        const amount = isRecord(schema) ? schema[UNIT_OF_KEYWORD] : undefined;
        return typeof amount === "string" ? [[svc, { amount: `${svc}.${amount}`, units: `${svc}.${param}` }] as const] : [];
      }),
    ),
  );
  return unitPairs.get(service) ?? null;
}
