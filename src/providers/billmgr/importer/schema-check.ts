/**
 * Whether an entry the importer is about to write fits the BILLmanager entry schemas (a service
 * file, a licence file), and whether a name fits the name pattern. Each entry schema refers to
 * its kind's fields schema as `services.schema.json`, so each is compiled on its own. The marks
 * are registered as plain annotations (the inventory check enforces them on the written files).
 * Decides nothing about what to write.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { MARKS } from "../../../kinds/marks.js";
import licenseFieldsSchema from "../schemas/license-fields.schema.json" with { type: "json" };
import licenseSchema from "../schemas/license.schema.json" with { type: "json" };
import serviceSchema from "../schemas/service.schema.json" with { type: "json" };
import servicesSchema from "../schemas/services.schema.json" with { type: "json" };

export type EntryKind = "service" | "license";

const validators = new Map<EntryKind, ValidateFunction>();

function compile(entry: object, fields: object): ValidateFunction {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats.default(ajv, ["date", "ipv4"]);
  for (const keyword of Object.values(MARKS)) ajv.addKeyword({ keyword });
  ajv.addSchema(fields, "services.schema.json");
  return ajv.compile(entry);
}

function validator(kind: EntryKind): ValidateFunction {
  let found = validators.get(kind);
  if (found === undefined) {
    found = kind === "service" ? compile(serviceSchema, servicesSchema) : compile(licenseSchema, licenseFieldsSchema);
    validators.set(kind, found);
  }
  return found;
}

/** What the entry schema says is wrong with a file's value; empty when valid. */
export function entryProblems(kind: EntryKind, value: unknown): string[] {
  const validate = validator(kind);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath === "" ? "the file" : e.instancePath} ${e.message ?? "is invalid"}`);
}

/** The entry schemas' name pattern (services and licences share it). */
const NAME = new RegExp(serviceSchema.$defs.name.pattern, "u");

export function fitsName(name: string): boolean {
  return NAME.test(name);
}
