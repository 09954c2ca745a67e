/**
 * What the importer may write under `services:`: which parameters exist, which are secrets,
 * which an entry field sets (the schema's marks, read by the site kind's model), and whether
 * one value fits a parameter. Names no service itself: the schema is the catalogue. Does not
 * decide what differs from a plan (overrides.ts does).
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { MARKS } from "../../../kinds/marks.js";
import servicesSchema from "../schemas/services.schema.json" with { type: "json" };
import siteSchema from "../schemas/site.schema.json" with { type: "json" };
import { SITE_MODEL } from "./site-view.js";

/** How the schema treats one `service.param`. */
export type ParamKind =
  | { kind: "writable" }
  /** A secret, or a value the panel computes: never written. */
  | { kind: "secret" }
  /** `field` is the entry field (or `state`) that sets it. */
  | { kind: "set-elsewhere"; field: string }
  | { kind: "unknown" };

export function paramKind(service: string, param: string): ParamKind {
  const marks = SITE_MODEL.fieldMarks(`${service}.${param}`);
  if (marks === null) return { kind: "unknown" };
  if (marks.secret || marks.readOnly) return { kind: "secret" };
  if (marks.entryField !== null) return { kind: "set-elsewhere", field: marks.entryField };
  return { kind: "writable" };
}

let validators: { services: ValidateFunction; site: ValidateFunction } | undefined;

/**
 * The services and site schemas compiled once. The marks are registered as plain annotations:
 * the importer never offers a secret or a set-elsewhere parameter, so their refusal does not
 * need to run here (the inventory check runs it on the written files).
 */
function compiled(): { services: ValidateFunction; site: ValidateFunction } {
  if (validators === undefined) {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats.default(ajv, ["ipv4", "date"]);
    for (const keyword of Object.values(MARKS)) ajv.addKeyword({ keyword });
    ajv.addSchema(servicesSchema, "services.schema.json");
    ajv.addSchema(siteSchema, "site.schema.json");
    const get = (id: string): ValidateFunction => {
      const found = ajv.getSchema(id);
      if (found === undefined) throw new Error(`internal: schema ${id} did not compile`);
      return found;
    };
    validators = { services: get("services.schema.json"), site: get("site.schema.json") };
  }
  return validators;
}

/** Whether `{service: {param: value}}` passes the services schema. */
export function fitsSchema(service: string, param: string, value: unknown): boolean {
  return compiled().services({ [service]: { [param]: value } });
}

/** What the site schema says is wrong with a site or group file's value (`/sites/1/domain must match pattern …`); empty when it is valid. */
export function siteFileProblems(value: unknown): string[] {
  const validate = compiled().site;
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath === "" ? "the file" : e.instancePath} ${e.message ?? "is invalid"}`);
}

/** A standalone site file that is valid on its own: one field at a time is checked against it. */
const MINIMAL_SITE = { domain: "a.example", server: "s", admin_user: "a", email: "a@a.example", plan: "p" } as const;

/** Whether a suspension reason the server reports can be written as `suspend_reason` (one line, at most 200 characters). */
export function fitsSuspendReason(reason: string): boolean {
  return siteFileProblems({ ...MINIMAL_SITE, state: "suspended", suspend_reason: reason }).length === 0;
}
