/**
 * The provider's service catalogue read as data from its schema (schemas/apiscp-services.schema.json):
 * which `service.param` fields exist, and which of them a site field sets (the domain, the
 * invoice, …). This is how the inventory stays free of ApisCP names: the names live in the
 * schema, and code here only follows the `x-siteform-field` marks.
 */
import { SCHEMAS, SET_ELSEWHERE_KEYWORD, UNIT_OF_KEYWORD } from "./schema.js";
import { SECRET_KEYWORD } from "./secrets.js";
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

/** The site fields a site is known by: changing one renames the site in place. */
export const RENAMING_FIELDS: ReadonlySet<IdentityField> = new Set<IdentityField>(["domain", "admin_user"]);

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

/** The schema's marks on one parameter. */
export interface ParamMarks {
  /** `x-secret`: never in git, never shown. */
  secret: boolean;
  /** `x-siteform-field`: the site field (`domain`, `plan`, `state`, …) that sets it, or null. */
  siteField: string | null;
}

let marks: ReadonlyMap<string, ParamMarks> | undefined;

function allMarks(): ReadonlyMap<string, ParamMarks> {
  marks ??= new Map(
    serviceEntries().flatMap(([service, params]) =>
      Object.entries(params).map(([param, schema]) => {
        const record = isRecord(schema) ? schema : {};
        const siteField = record[SET_ELSEWHERE_KEYWORD];
        return [`${service}.${param}`, { secret: record[SECRET_KEYWORD] === true, siteField: typeof siteField === "string" ? siteField : null }] as const;
      }),
    ),
  );
  return marks;
}

/** The marks of a `service.param`, or null when the catalogue has no such parameter. */
export function paramMarks(field: string): ParamMarks | null {
  return allMarks().get(field) ?? null;
}

/** Every `service.param` the schema marks secret. */
export function secretFields(): readonly string[] {
  return [...allMarks()].filter(([, m]) => m.secret).map(([field]) => field);
}

/** The `service.param` a site field sets (`plan` → `siteinfo.plan`), or null. */
export function fieldSetBy(siteField: string): { service: string; param: string } | null {
  for (const [field, m] of allMarks()) {
    if (m.siteField !== siteField) continue;
    const dot = field.indexOf(".");
    return { service: field.slice(0, dot), param: field.slice(dot + 1) };
  }
  return null;
}
