/**
 * What the renderers need to know about provider fields, read as data from the service
 * schema (schemas/apiscp-services.schema.json): which `service.param` fields are secret
 * (`x-secret`) and which one a site field sets (`x-siteform-field`, for naming renames and
 * plan changes). Names no field itself, so renderers stay free of any panel's vocabulary.
 */
import servicesSchema from "../../schemas/apiscp-services.schema.json" with { type: "json" };

interface FieldMarks {
  secret: ReadonlySet<string>;
  siteField: ReadonlyMap<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readMarks(): FieldMarks {
  const secret = new Set<string>();
  const siteField = new Map<string, string>();
  const services: unknown = servicesSchema.properties;
  if (!isRecord(services)) return { secret, siteField };
  for (const [service, serviceSchema] of Object.entries(services)) {
    const params = isRecord(serviceSchema) ? serviceSchema.properties : undefined;
    if (!isRecord(params)) continue;
    for (const [param, schema] of Object.entries(params)) {
      if (!isRecord(schema)) continue;
      if (schema["x-secret"] === true) secret.add(`${service}.${param}`);
      const field = schema["x-siteform-field"];
      if (typeof field === "string") siteField.set(`${service}.${param}`, field);
    }
  }
  return { secret, siteField };
}

let marks: FieldMarks | undefined;

function fieldMarks(): FieldMarks {
  marks ??= readMarks();
  return marks;
}

/** True for a `service.param` the schema marks secret. */
export function isSecretField(field: string): boolean {
  return fieldMarks().secret.has(field);
}

/** The secret parameters of a whole service (`service`), for values given as a map. */
export function secretParamsOf(service: string): readonly string[] {
  const prefix = `${service}.`;
  return [...fieldMarks().secret].filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
}

/** The site field (`domain`, `admin_user`, `plan`, …) that sets this provider field, or null. */
export function siteFieldOf(field: string): string | null {
  return fieldMarks().siteField.get(field) ?? null;
}
