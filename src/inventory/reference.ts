/**
 * The inventory reference in docs/inventory.md, generated from the schemas: one table per
 * file kind and one for the provider's services, each row a field with its type, default and
 * description. A test compares the generated text with the document, so the docs cannot drift
 * from what the validator enforces. Pure; knows the schemas' layout, not their content.
 */
import { isRecord } from "./field-path.js";
import { SCHEMAS, SCHEMA_FILES, SET_ELSEWHERE_KEYWORD } from "./schema.js";
import { SECRET_KEYWORD } from "./secrets.js";

type Schema = Readonly<Record<string, unknown>>;

export const REFERENCE_START = "<!-- generated from schemas/ by src/inventory/reference.ts: do not edit by hand -->";
export const REFERENCE_END = "<!-- end of generated reference -->";

/** The generated part of docs/inventory.md, between (and excluding) the two marker lines. */
export function inventoryReference(): string {
  const site = defs(SCHEMAS.site);
  const config = SCHEMAS.config as Schema;
  const sections = [
    section("`siteform.yaml`", SCHEMA_FILES.config, [
      ...rows(defs(SCHEMAS.config).server ?? {}, SCHEMAS.config, "servers.NAME."),
      ...rows(child(config, "policy"), SCHEMAS.config, "policy."),
    ]),
    section("`plans/NAME.yaml` (repository plan)", SCHEMA_FILES.plan, rows(SCHEMAS.plan, SCHEMAS.plan, "")),
    section("`sites/*.yaml`: a standalone site", SCHEMA_FILES.site, rows(site.site ?? {}, SCHEMAS.site, "")),
    section("`sites/*.yaml`: an invoice group", SCHEMA_FILES.site, rows(site.group ?? {}, SCHEMAS.site, "")),
    section("`sites[]`: a site in an invoice group", SCHEMA_FILES.site, rows(site.member ?? {}, SCHEMAS.site, "")),
    section("`services` (ApisCP)", SCHEMA_FILES.services, serviceRows()),
  ];
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
  return [`### ${title}`, "", `Schema: \`schemas/${file}\`.`, "", "| field | type | default | description |", "|---|---|---|---|", ...body, ""].join("\n");
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

function serviceRows(): string[] {
  const root = SCHEMAS.services as Schema;
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
  if (schema.$ref === SCHEMA_FILES.services) return "services (see below)";
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `\`${String(v)}\``).join(", ");
  if (typeof schema.title === "string") return schema.title;
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t): t is string => typeof t === "string");
  const names = types.filter((t) => t !== "null").map((t) => shape(t, schema, root));
  return `${names.join(" or ") || "any"}${limits(schema)}${types.includes("null") ? " or null" : ""}`;
}

function shape(type: string, schema: Schema, root: Schema): string {
  if (type === "array") {
    const items = isRecord(schema.items) ? typeOf(resolved(schema.items, root), root) : "any";
    return `list of: ${items}`;
  }
  if (type === "object") return "mapping";
  return { string: "text", integer: "integer", number: "number", boolean: "boolean" }[type] ?? type;
}

function limits(schema: Schema): string {
  const min = schema.minimum;
  const max = schema.maximum;
  if (typeof min === "number" && typeof max === "number") return ` ${min}–${max}`;
  if (typeof min === "number") return ` ≥ ${min}`;
  if (typeof max === "number") return ` ≤ ${max}`;
  return "";
}
