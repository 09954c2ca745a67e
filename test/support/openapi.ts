/**
 * Turns the response schema of one operation in an OpenAPI 3.x document into an ajv validator,
 * so a test can hold a real server's (or an emulator's) JSON answer against the vendor's own
 * published contract.
 *
 * What it owns: reading a YAML/JSON OpenAPI file, finding `/<function>` → method → status →
 * media type, and rewriting the OpenAPI dialect into plain JSON Schema 2020-12:
 * - `nullable: true` (OpenAPI 3.0) becomes `null` added to `type` (and to `enum`);
 * - `exclusiveMinimum/Maximum: true` (3.0 booleans) become the 2020-12 numeric form;
 * - `$ref: '#/components/schemas/X'` becomes `#/$defs/X`, with the document's component schemas
 *   carried along under `$defs`;
 * - OpenAPI-only or annotation keywords (`example`, `examples`, `discriminator`, `xml`,
 *   `externalDocs`, `x-…`) are dropped: none of them constrains a value;
 * - a `format` ajv-formats does not define (cPanel writes `megabytes`, `unix_timestamp`,
 *   `username`, …) is registered as accepting anything, because the document gives it no
 *   definition to check against; every format ajv-formats knows (`email`, `ipv4`, …) is checked.
 * What it must not do: relax a constraint the document states. Anything it cannot translate
 * faithfully (an external `$ref`, an unknown keyword) is an error, never silently ignored.
 */
import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse as parseYaml } from "yaml";

/** A JSON value as YAML or JSON parsing yields it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The parts of an OpenAPI document this helper reads; everything else is carried untouched. */
export interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Readonly<Record<string, JsonObject>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, Json>> };
  /** Where the document came from, for error messages. */
  readonly source: string;
}

export interface ResponseSelector {
  /** Lower-case HTTP method; WHM API 1 documents every function as `get`. */
  readonly method?: string;
  readonly status?: string;
  readonly mediaType?: string;
}

/** A compiled check of one operation's response body. */
export interface ResponseValidator {
  /** `path method status mediaType` in `source`, for messages. */
  readonly where: string;
  /** The translated JSON Schema 2020-12 that ajv compiled (useful when a check fails). */
  readonly schema: JsonObject;
  /** The errors of the value, or `[]` when it conforms. */
  errorsOf(value: unknown): ErrorObject[];
}

/** Keywords JSON Schema 2020-12 (ajv's 2020 vocabulary) validates or annotates. */
const JSON_SCHEMA_KEYWORDS = new Set([
  "$id", "$schema", "$ref", "$defs", "$comment", "$anchor", "$dynamicRef", "$dynamicAnchor",
  "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
  "maxLength", "minLength", "pattern", "format", "items", "prefixItems", "maxItems", "minItems",
  "uniqueItems", "contains", "maxContains", "minContains", "maxProperties", "minProperties",
  "required", "properties", "patternProperties", "additionalProperties", "propertyNames",
  "dependentRequired", "dependentSchemas", "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
  "unevaluatedItems", "unevaluatedProperties", "contentEncoding", "contentMediaType", "contentSchema",
  "title", "description", "default", "deprecated", "readOnly", "writeOnly",
]);

/** OpenAPI keywords that only describe or document a value; dropping them loses no constraint. */
const ANNOTATIONS_ONLY = new Set(["example", "examples", "discriminator", "xml", "externalDocs"]);

/** Keywords whose value is one schema / a list of schemas / a map of name → schema. */
const ONE_SCHEMA = ["items", "additionalProperties", "not", "if", "then", "else", "contains",
  "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema"];
const SCHEMA_LIST = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SCHEMA_MAP = ["properties", "patternProperties", "dependentSchemas", "$defs"];

const COMPONENT_REF = "#/components/schemas/";

/** Reads an OpenAPI document (YAML or JSON) from disk. */
export function loadOpenApi(file: string): OpenApiDocument {
  return parseOpenApi(readFileSync(file, "utf8"), file);
}

/** Parses an OpenAPI document (YAML or JSON text); `source` names it in error messages. */
export function parseOpenApi(text: string, source: string): OpenApiDocument {
  const parsed: unknown = parseYaml(text);
  if (!isObject(parsed) || typeof parsed.openapi !== "string" || !isObject(parsed.paths)) {
    throw new Error(`${source}: not an OpenAPI 3 document (needs "openapi" and "paths"); check the fixture`);
  }
  const components = isObject(parsed.components) ? parsed.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : undefined;
  return {
    openapi: parsed.openapi,
    paths: parsed.paths as Record<string, JsonObject>,
    ...(schemas === undefined ? {} : { components: { schemas } }),
    source,
  };
}

/** Whether `doc` documents `path` (e.g. `/listaccts`). */
export function hasPath(doc: OpenApiDocument, path: string): boolean {
  return Object.hasOwn(doc.paths, path);
}

/**
 * Compiles the response schema of `path` in `doc`. Defaults: `get`, `200`, `application/json`.
 * Throws, naming what is missing, when the document has no such response.
 */
export function responseValidator(doc: OpenApiDocument, path: string, select: ResponseSelector = {}): ResponseValidator {
  const method = select.method ?? "get";
  const status = select.status ?? "200";
  const mediaType = select.mediaType ?? "application/json";
  const where = `${path} ${method} ${status} ${mediaType} in ${doc.source}`;
  const schema = dig(doc.paths, [path, method, "responses", status, "content", mediaType, "schema"]);
  if (schema === undefined) throw new Error(`${where}: the document has no such response schema`);

  const translated = toJsonSchema(schema, where);
  const defs: JsonObject = {};
  for (const [name, component] of Object.entries(doc.components?.schemas ?? {})) {
    defs[name] = toJsonSchema(component, `${doc.source} components.schemas.${name}`);
  }
  const root: JsonObject = isObject(translated) ? { ...translated } : { allOf: [translated] };
  if (Object.keys(defs).length > 0) root.$defs = defs;

  const ajv = new Ajv2020({
    allErrors: true, verbose: true,
    // Unknown keywords are errors (a keyword this helper failed to translate must not pass silently);
    // strictTypes only lints schema style (`properties` without `type: object`, common in OpenAPI).
    strict: true, strictTypes: false, strictTuples: false, strictRequired: false, allowUnionTypes: true,
  });
  addFormats.default(ajv);
  for (const format of formatsIn(root)) {
    if (ajv.formats[format] === undefined) ajv.addFormat(format, true);
  }
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(root);
  } catch (error) {
    throw new Error(`${where}: ajv could not compile the translated schema: ${(error as Error).message}`, { cause: error });
  }
  return {
    where,
    schema: root,
    errorsOf(value: unknown): ErrorObject[] {
      return validate(value) ? [] : [...(validate.errors ?? [])];
    },
  };
}

/** One line per ajv error: where in the value, what the schema wanted, and the value found. */
export function describeErrors(errors: readonly ErrorObject[]): string {
  return errors.map((e) => {
    const at = e.instancePath === "" ? "(root)" : e.instancePath;
    const found = e.data === undefined ? "" : ` — found ${JSON.stringify(e.data)}`;
    return `  ${at}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)} [schema ${e.schemaPath}]${found}`;
  }).join("\n");
}

/**
 * Rewrites one OpenAPI schema object into JSON Schema 2020-12 (see the module comment for the
 * rules). `where` names the schema in error messages.
 */
export function toJsonSchema(schema: Json, where: string): Json {
  if (typeof schema === "boolean") return schema;
  if (!isObject(schema)) throw new Error(`${where}: a schema must be an object or a boolean, found ${JSON.stringify(schema)}`);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    const at = `${where}/${key}`;
    if (key.startsWith("x-") || ANNOTATIONS_ONLY.has(key) || key === "nullable") continue;
    if (key === "$ref") out.$ref = translateRef(value, at);
    else if (ONE_SCHEMA.includes(key)) out[key] = toJsonSchema(value, at);
    else if (SCHEMA_LIST.includes(key)) out[key] = asArray(value, at).map((s, i) => toJsonSchema(s, `${at}/${i}`));
    else if (SCHEMA_MAP.includes(key)) out[key] = mapValues(asObject(value, at), (s, name) => toJsonSchema(s, `${at}/${name}`));
    else if (JSON_SCHEMA_KEYWORDS.has(key)) out[key] = value;
    else throw new Error(`${at}: "${key}" is neither JSON Schema nor a known OpenAPI keyword; teach test/support/openapi.ts what it means`);
  }
  exclusiveBoundsFrom30(out);
  if (schema.nullable === true) allowNull(out);
  return out;
}

/** OpenAPI 3.0 `nullable: true`: null is one more accepted value. */
function allowNull(out: JsonObject): void {
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === "string") out.type = [out.type, "null"];
  else if (Array.isArray(out.type) && !out.type.includes("null")) out.type = [...out.type, "null"];
  else if (out.type === undefined && (out.$ref !== undefined || out.allOf !== undefined || out.oneOf !== undefined || out.anyOf !== undefined)) {
    // A composed schema has no single `type` to widen: accept null beside it instead.
    const inner = { ...out };
    for (const key of Object.keys(out)) delete out[key];
    out.anyOf = [inner, { type: "null" }];
  }
}

/** OpenAPI 3.0 wrote `minimum: 0, exclusiveMinimum: true`; 2020-12 writes `exclusiveMinimum: 0`. */
function exclusiveBoundsFrom30(out: JsonObject): void {
  for (const [flag, bound] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]] as const) {
    if (typeof out[flag] !== "boolean") continue;
    if (out[flag] === true && typeof out[bound] === "number") {
      out[flag] = out[bound];
      delete out[bound];
    } else {
      delete out[flag];
    }
  }
}

function translateRef(ref: Json, where: string): string {
  if (typeof ref !== "string" || !ref.startsWith(COMPONENT_REF)) {
    throw new Error(`${where}: only "${COMPONENT_REF}…" references are supported, found ${JSON.stringify(ref)}`);
  }
  return `#/$defs/${ref.slice(COMPONENT_REF.length)}`;
}

function formatsIn(schema: Json): Set<string> {
  const found = new Set<string>();
  const walk = (node: Json): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObject(node)) {
      if (typeof node.format === "string") found.add(node.format);
      Object.values(node).forEach(walk);
    }
  };
  walk(schema);
  return found;
}

function dig(node: Json | Readonly<Record<string, Json>>, keys: readonly string[]): Json | undefined {
  let here: Json | undefined = node as Json;
  for (const key of keys) {
    if (!isObject(here) || !Object.hasOwn(here, key)) return undefined;
    here = here[key];
  }
  return here;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asArray(value: Json | undefined, where: string): Json[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list of schemas, found ${JSON.stringify(value)}`);
  return value;
}

function asObject(value: Json | undefined, where: string): JsonObject {
  if (!isObject(value)) throw new Error(`${where}: expected a map of schemas, found ${JSON.stringify(value)}`);
  return value;
}

function mapValues(obj: JsonObject, fn: (value: Json, key: string) => Json): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(obj)) out[key] = fn(value, key);
  return out;
}
