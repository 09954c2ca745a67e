/**
 * The inventory reference in docs/inventory.md, generated from the schemas: siteform.yaml's,
 * then for each kind of the catalogue its repository plan, its entry shapes (the entry
 * schema's titled definitions) and its fields, each row a field with its type, default and
 * description. A test compares the generated text with the document, so the docs cannot drift
 * from what the validator enforces. Pure; knows the schemas' layout, not their content.
 */
import type { Catalogue } from "../kinds/catalogue.js";
import { isRecord } from "./field-path.js";
import { CONFIG_SCHEMA, SET_ELSEWHERE_KEYWORD } from "./schema.js";
import { SECRET_KEYWORD } from "./secrets.js";

type Schema = Readonly<Record<string, unknown>>;

export const REFERENCE_START = "<!-- generated from schemas/ by src/inventory/reference.ts: do not edit by hand -->";
export const REFERENCE_END = "<!-- end of generated reference -->";

/** The generated part of docs/inventory.md, between (and excluding) the two marker lines. */
export function inventoryReference(catalogue: Catalogue): string {
  const config = CONFIG_SCHEMA as Schema;
  const sections = [
    section("`siteform.yaml`", "schemas/siteform.schema.json", [
      ...rows(defs(config).server ?? {}, config, "servers.NAME."),
      ...rows(child(config, "policy"), config, "policy."),
    ]),
  ];
  for (const kind of catalogue.all()) {
    const d = kind.declaration;
    // By convention a provider keeps its schemas in its folder's schemas/.
    const dir = `src/providers/${d.provider}/schemas`;
    if (d.plan !== null) sections.push(section(`\`plans/NAME.yaml\`: a repository plan for ${d.id}`, `${dir}/plan.schema.json`, rows(d.plan, d.plan, "")));
    const entry = d.entry as Schema;
    const shapes = Object.values(defs(entry)).filter((def) => typeof def.title === "string" && isRecord(def.properties));
    for (const shape of shapes.length > 0 ? shapes : [entry]) {
      sections.push(section(`a ${d.id} entry: ${String(shape.title ?? d.noun)}`, `${dir}/${d.noun}.schema.json`, rows(shape, entry, "")));
    }
    sections.push(section(`\`services\` of ${d.id}`, `${dir}/services.schema.json`, serviceRows(d.fields as Schema)));
  }
  return `${sections.join("\n")}`;
}

function defs(schema: Schema): Record<string, Schema> {
  const found = schema.$defs;
  return isRecord(found) ? (found as Record<string, Schema>) : {};
}

function child(schema: Schema, name: string): Schema {
  const properties = schema.properties;
  const found = isRecord(properties) ? properties[name] : undefined;
  return isRecord(found) ? found : {};
}

function section(title: string, file: string, body: string[]): string {
  return [`### ${title}`, "", `Schema: \`${file}\`.`, "", "| field | type | default | description |", "|---|---|---|---|", ...body, ""].join("\n");
}

function rows(schema: Schema, root: Schema, prefix: string): string[] {
  const properties = schema.properties;
  if (!isRecord(properties)) return [];
  const required = Array.isArray(schema.required) ? schema.required : [];
  return Object.entries(properties).map(([name, raw]) => {
    const field = resolved(isRecord(raw) ? raw : {}, root);
    const fallback = "default" in field ? `\`${JSON.stringify(field.default)}\`` : required.includes(name) ? "required" : "";
    return row(`\`${prefix}${name}\``, typeOf(field, root), fallback, String(field.description ?? ""));
  });
}

/** A field with its local `$ref` followed: the target's keywords, overridden by the field's own. */
function resolved(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/$defs/")) return schema;
  const rest: Record<string, unknown> = { ...schema };
  delete rest.$ref;
  return { ...resolved(defs(root)[ref.slice("#/$defs/".length)] ?? {}, root), ...rest };
}

function serviceRows(root: Schema): string[] {
  const services = isRecord(root.properties) ? (root.properties as Record<string, Schema>) : {};
  return Object.entries(services).flatMap(([service, schema]) => [
    row(`\`${service}\``, "service", "", String(schema.description ?? "")),
    ...rows(schema, root, `${service}.`),
  ]);
}

function row(...cells: string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, "\\|").replace(/\n/g, " ")).join(" | ")} |`;
}

/** A short, human type: allowed values, else the schema's title, else its shape and limits. */
function typeOf(schema: Schema, root: Schema): string {
  if (schema[SECRET_KEYWORD] === true) return "secret: refused";
  if (typeof schema[SET_ELSEWHERE_KEYWORD] === "string") return `set by \`${String(schema[SET_ELSEWHERE_KEYWORD])}\``;
  if (schema.$ref === "services.schema.json") return "services (see below)";
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `\`${String(v)}\``).join(", ");
  if (typeof schema.title === "string") return `${schema.title}${itemLimit(schema)}`;
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t): t is string => typeof t === "string");
  const names = types.filter((t) => t !== "null").map((t) => shape(t, schema, root));
  return `${names.join(" or ") || "any"}${limits(schema)}${itemLimit(schema)}${types.includes("null") ? " or null" : ""}`;
}

function shape(type: string, schema: Schema, root: Schema): string {
  if (type === "array") {
    const items = isRecord(schema.items) ? typeOf(resolved(schema.items, root), root) : "any";
    return `list of: ${items}`;
  }
  if (type === "object") return "mapping";
  return { string: "text", integer: "integer", number: "number", boolean: "boolean" }[type] ?? type;
}

/** A list's most items, which siteform enforces (docs/inventory.md, "Limits"). */
function itemLimit(schema: Schema): string {
  return typeof schema.maxItems === "number" ? ` (at most ${schema.maxItems.toLocaleString("en")})` : "";
}

function limits(schema: Schema): string {
  const min = schema.minimum;
  const max = schema.maximum;
  if (typeof min === "number" && typeof max === "number") return ` ${min}–${max}`;
  if (typeof min === "number") return ` ≥ ${min}`;
  if (typeof max === "number") return ` ≤ ${max}`;
  return "";
}
