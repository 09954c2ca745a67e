/**
 * The inventory's JSON Schemas as one ajv (2020-12) instance per catalogue of kinds: the
 * neutral siteform.yaml schema, and each kind's entry, repository plan and field schemas from
 * its provider's declaration. Compiled once per catalogue value (kept beside it, never as a
 * module-level global of one provider). Owns which schema checks which file and the custom
 * keywords; does not word errors (schema-errors.ts does).
 */
import { Ajv2020, type ErrorObject, type KeywordDefinition, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import siteformSchema from "../../schemas/siteform.schema.json" with { type: "json" };
import type { Catalogue } from "../kinds/catalogue.js";
import { MARKS } from "../kinds/marks.js";
import { inlineRefs } from "./schema-inline.js";
import { secretKeyword } from "./secrets.js";
import { uniqueItemsKeyword } from "./unique-items.js";

/** What a file is to the inventory: siteform.yaml, a repository plan, or a resource file. */
export type FileKind = "config" | "plan" | "resource";

export const CONFIG_SCHEMA = siteformSchema;

/**
 * `x-siteform-field: NAME` marks a field that an entry field sets (the domain, the invoice):
 * giving it under `services:` as well would make two sources of truth, so it is refused like a
 * secret is, and resolve.ts fills it in from the entry field.
 */
export const SET_ELSEWHERE_KEYWORD = MARKS.entryField;

type SchemaType = "string" | "boolean";
const refusing = (keyword: string, schemaType: SchemaType): KeywordDefinition => ({ keyword, schemaType, errors: true, validate: (): boolean => false });
const metadata = (keyword: string, schemaType: SchemaType): KeywordDefinition => ({ keyword, schemaType });

/** Validators by kind id, each compiled the first time it is asked for. */
export interface Validators {
  has(kind: string): boolean;
  get(kind: string): ValidateFunction | undefined;
}

export interface InventorySchemas {
  config: ValidateFunction;
  /** Per kind id. */
  resource: Validators;
  /** Per kind id, for kinds with repository plans. */
  plan: Validators;
}

/**
 * Compiling is most of what a small command costs (every kind of every panel: about 0.2 s), and
 * an inventory of one panel needs one panel's schemas: each is compiled when first used.
 */
function lazily(ajv: Ajv2020, ids: ReadonlyMap<string, string>): Validators {
  return { has: (kind) => ids.has(kind), get: (kind) => (ids.has(kind) ? get(ajv, ids.get(kind) as string) : undefined) };
}

const compiled = new WeakMap<Catalogue, InventorySchemas>();

function compile(catalogue: Catalogue): InventorySchemas {
  // allErrors: every mistake in one run. verbose: errors carry the failing subschema, whose
  // title, description and examples become the message and the hint. No optimising pass over
  // the generated code: it took half of compiling (0.06 s of every run) and the validators it
  // gave were no faster, even checking 100,000 sites.
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true, code: { optimize: false } });
  addFormats.default(ajv, ["date", "uri", "ipv4"]);
  // ajv's own uniqueItems compares every item with every other when the items' type is not
  // stated inline (a `$ref`, as aliases are): 50,000 aliases took 112 s. Same meaning, linear.
  ajv.removeKeyword("uniqueItems");
  ajv.addKeyword(uniqueItemsKeyword);
  ajv.addKeyword(secretKeyword);
  ajv.addKeyword(refusing(MARKS.entryField, "string"));
  ajv.addKeyword(refusing(MARKS.readOnly, "boolean"));
  ajv.addKeyword(metadata(MARKS.unitOf, "string"));
  ajv.addKeyword(metadata(MARKS.fromServer, "string"));
  for (const mark of [MARKS.set, MARKS.caseInsensitive, MARKS.replacedWhole, MARKS.atLeast, MARKS.daysAhead, MARKS.paidIncrease]) ajv.addKeyword(metadata(mark, "boolean"));
  // Its references are its own `#/$defs`: inlined too, so a siteform.yaml of many bad servers stays linear.
  ajv.addSchema(inlineRefs(siteformSchema, {}), "siteform.schema.json");
  const resource = new Map<string, string>();
  const plan = new Map<string, string>();
  for (const kind of catalogue.all()) {
    const base = `${kind.id}/`;
    const d = kind.declaration;
    // Each kind's schemas refer to its field schema as `services.schema.json`, resolved beside
    // them; inlined (schema-inline.ts) so that ajv's errors accumulate in linear time.
    ajv.addSchema({ ...d.fields, $id: `${base}services.schema.json` });
    ajv.addSchema({ ...inlineRefs(d.entry, d.fields), $id: `${base}entry.schema.json` });
    if (d.plan !== null) ajv.addSchema({ ...inlineRefs(d.plan, d.fields), $id: `${base}plan.schema.json` });
    resource.set(kind.id, `${base}entry.schema.json`);
    if (d.plan !== null) plan.set(kind.id, `${base}plan.schema.json`);
  }
  return { config: get(ajv, "siteform.schema.json"), resource: lazily(ajv, resource), plan: lazily(ajv, plan) };
}

function get(ajv: Ajv2020, id: string): ValidateFunction {
  const validate = ajv.getSchema(id);
  if (validate === undefined) throw new Error(`schema ${id} did not compile`);
  return validate;
}

export function schemasFor(catalogue: Catalogue): InventorySchemas {
  let schemas = compiled.get(catalogue);
  if (schemas === undefined) {
    schemas = compile(catalogue);
    compiled.set(catalogue, schemas);
  }
  return schemas;
}

/** The schema violations of a value; empty when it is valid. */
export function violations(validate: ValidateFunction, value: unknown): readonly ErrorObject[] {
  return validate(value) ? [] : (validate.errors ?? []);
}
