/**
 * The JSON Schemas in schemas/ as one ajv (2020-12) instance, compiled once per process, and
 * the schema documents themselves for code that reads them as data (defaults, the service
 * catalogue, the reference docs). Owns which schema checks which kind of file and the custom
 * keywords. Does not word errors (schema-errors.ts does).
 */
import { Ajv2020, type ErrorObject, type KeywordDefinition, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import servicesSchema from "../../schemas/apiscp-services.schema.json" with { type: "json" };
import repoPlanSchema from "../../schemas/repo-plan.schema.json" with { type: "json" };
import siteSchema from "../../schemas/site.schema.json" with { type: "json" };
import siteformSchema from "../../schemas/siteform.schema.json" with { type: "json" };
import { secretKeyword } from "./secrets.js";

/** The three kinds of inventory file, each with its own schema. */
export type FileKind = "config" | "plan" | "site";

/** File names under schemas/, which are also the names the schemas `$ref` each other by. */
export const SCHEMA_FILES = {
  config: "siteform.schema.json",
  plan: "repo-plan.schema.json",
  site: "site.schema.json",
  services: "apiscp-services.schema.json",
} as const;

export const SCHEMAS = {
  config: siteformSchema,
  plan: repoPlanSchema,
  site: siteSchema,
  services: servicesSchema,
} as const;

/**
 * `x-siteform-field: NAME` marks a provider parameter that a site field sets (the domain,
 * the invoice): giving it under `services:` as well would make two sources of truth, so it
 * is refused like a secret is, and resolve.ts fills it in from the field.
 */
export const SET_ELSEWHERE_KEYWORD = "x-siteform-field";

const setElsewhereKeyword: KeywordDefinition = {
  keyword: SET_ELSEWHERE_KEYWORD,
  schemaType: "string",
  errors: true,
  validate: (): boolean => false,
};

/**
 * `x-siteform-unit-of: PARAM` on a `units` parameter: the amount in PARAM is counted in this
 * unit, so the planner compares the two as one size. Metadata only: it never fails.
 */
export const UNIT_OF_KEYWORD = "x-siteform-unit-of";

const unitOfKeyword: KeywordDefinition = { keyword: UNIT_OF_KEYWORD, schemaType: "string" };

let compiled: Record<FileKind, ValidateFunction> | undefined;

function compile(): Record<FileKind, ValidateFunction> {
  // allErrors: every mistake in one run. verbose: errors carry the failing subschema, whose
  // title, description and examples become the message and the hint.
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats.default(ajv, ["date", "uri", "ipv4"]);
  ajv.addKeyword(secretKeyword);
  ajv.addKeyword(setElsewhereKeyword);
  ajv.addKeyword(unitOfKeyword);
  for (const [kind, file] of Object.entries(SCHEMA_FILES)) {
    ajv.addSchema(SCHEMAS[kind as keyof typeof SCHEMAS], file);
  }
  const get = (file: string): ValidateFunction => {
    const validate = ajv.getSchema(file);
    if (validate === undefined) throw new Error(`schema ${file} did not compile`);
    return validate;
  };
  return { config: get(SCHEMA_FILES.config), plan: get(SCHEMA_FILES.plan), site: get(SCHEMA_FILES.site) };
}

/** The schema violations of one file's value; empty when it is valid. */
export function schemaErrors(kind: FileKind, value: unknown): readonly ErrorObject[] {
  compiled ??= compile();
  const validate = compiled[kind];
  return validate(value) ? [] : (validate.errors ?? []);
}
