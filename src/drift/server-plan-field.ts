/**
 * Which `service.param` holds a site's server-side plan, read from the provider's service
 * schema (the parameter marked `x-siteform-field: plan`), so drift can tell a change of plan
 * from other field changes without naming a provider field.
 */
import servicesSchema from "../../schemas/apiscp-services.schema.json" with { type: "json" };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

let field: string | null | undefined;

export function serverPlanField(): string | null {
  if (field !== undefined) return field;
  field = null;
  for (const [service, schema] of Object.entries(servicesSchema.properties)) {
    const params: Record<string, unknown> = isRecord(schema.properties) ? schema.properties : {};
    for (const [param, spec] of Object.entries(params)) {
      if (isRecord(spec) && spec["x-siteform-field"] === "plan") field = `${service}.${param}`;
    }
  }
  return field;
}
