/**
 * What the importer may write under `services:`, read as data from the provider's service
 * schema (schemas/apiscp-services.schema.json): which parameters exist, which are secrets
 * (`x-secret`), which a site field sets (`x-siteform-field`), and whether one value fits a
 * parameter. Names no service itself: the schema is the catalogue. Does not decide what
 * differs from a plan (overrides.ts does).
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import servicesSchema from "../../schemas/apiscp-services.schema.json" with { type: "json" };
import siteSchema from "../../schemas/site.schema.json" with { type: "json" };
import { UNIT_OF_KEYWORD } from "../inventory/schema.js";

const SECRET = "x-secret";
const SET_ELSEWHERE = "x-siteform-field";

/** How the schema treats one `service.param`. */
export type ParamKind =
  | { kind: "writable" }
  | { kind: "secret" }
  /** `field` is the site field (or `state`) that sets it. */
  | { kind: "set-elsewhere"; field: string }
  | { kind: "unknown" };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function paramSchema(service: string, param: string): Record<string, unknown> | null {
  const services: Record<string, unknown> = servicesSchema.properties;
  const serviceSchema = services[service];
  if (!isRecord(serviceSchema) || !isRecord(serviceSchema.properties)) return null;
  const schema = serviceSchema.properties[param];
  return isRecord(schema) ? schema : null;
}

export function paramKind(service: string, param: string): ParamKind {
  const schema = paramSchema(service, param);
  if (schema === null) return { kind: "unknown" };
  if (schema[SECRET] === true) return { kind: "secret" };
  const field = schema[SET_ELSEWHERE];
  if (typeof field === "string") return { kind: "set-elsewhere", field };
  return { kind: "writable" };
}

/** The `service.param` a site field sets (`plan` → the server-plan parameter), or null. */
export function fieldSetBy(siteField: string): { service: string; param: string } | null {
  for (const [service, schema] of Object.entries(servicesSchema.properties)) {
    const params: Record<string, unknown> = isRecord(schema.properties) ? schema.properties : {};
    for (const [param, spec] of Object.entries(params)) {
      if (isRecord(spec) && spec[SET_ELSEWHERE] === siteField) return { service, param };
    }
  }
  return null;
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
    ajv.addKeyword({ keyword: SECRET, schemaType: "boolean" });
    ajv.addKeyword({ keyword: SET_ELSEWHERE, schemaType: "string" });
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
