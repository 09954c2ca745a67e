/**
 * What the importer may write under `services:`: which parameters exist, which are secrets,
 * which a site field sets (the schema's marks, read in inventory/catalogue.ts), and whether
 * one value fits a parameter. Names no service itself: the schema is the catalogue. Does not
 * decide what differs from a plan (overrides.ts does).
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import servicesSchema from "../../schemas/apiscp-services.schema.json" with { type: "json" };
import siteSchema from "../../schemas/site.schema.json" with { type: "json" };
import { paramMarks } from "../inventory/catalogue.js";
import { SET_ELSEWHERE_KEYWORD, UNIT_OF_KEYWORD } from "../inventory/schema.js";
import { SECRET_KEYWORD } from "../inventory/secrets.js";

/** How the schema treats one `service.param`. */
export type ParamKind =
  | { kind: "writable" }
  | { kind: "secret" }
  /** `field` is the site field (or `state`) that sets it. */
  | { kind: "set-elsewhere"; field: string }
  | { kind: "unknown" };

export function paramKind(service: string, param: string): ParamKind {
  const marks = paramMarks(`${service}.${param}`);
  if (marks === null) return { kind: "unknown" };
  if (marks.secret) return { kind: "secret" };
  if (marks.siteField !== null) return { kind: "set-elsewhere", field: marks.siteField };
  return { kind: "writable" };
}

let validators: { services: ValidateFunction; site: ValidateFunction } | undefined;

/**
 * The services and site schemas compiled once. The custom keywords are registered as plain
 * annotations: the importer never offers a secret or a set-elsewhere parameter, so their
 * refusal does not need to run here (the inventory check runs it on the written files).
 */
function compiled(): { services: ValidateFunction; site: ValidateFunction } {
  if (validators === undefined) {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats.default(ajv, ["ipv4", "date"]);
    ajv.addKeyword({ keyword: SECRET_KEYWORD, schemaType: "boolean" });
    ajv.addKeyword({ keyword: SET_ELSEWHERE_KEYWORD, schemaType: "string" });
    ajv.addKeyword({ keyword: UNIT_OF_KEYWORD, schemaType: "string" });
    ajv.addSchema(servicesSchema, "apiscp-services.schema.json");
    ajv.addSchema(siteSchema, "site.schema.json");
    const get = (id: string): ValidateFunction => {
      const found = ajv.getSchema(id);
      if (found === undefined) throw new Error(`internal: schema ${id} did not compile`);
      return found;
    };
    validators = { services: get("apiscp-services.schema.json"), site: get("site.schema.json") };
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
