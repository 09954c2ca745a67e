/**
 * What the renderers need to know about provider fields: which are secret and which one a
 * site field sets (for naming renames and plan changes). The service schema's marks are read
 * once, in inventory/catalogue.ts; this is the renderers' view of them, so renderers name no
 * panel's field themselves.
 */
import { paramMarks, secretFields } from "../inventory/catalogue.js";

/** True for a `service.param` the schema marks secret. */
export function isSecretField(field: string): boolean {
  return paramMarks(field)?.secret === true;
}

/** The secret parameters of a whole service (`service`), for values given as a map. */
export function secretParamsOf(service: string): readonly string[] {
  const prefix = `${service}.`;
  return secretFields()
    .filter((f) => f.startsWith(prefix))
    .map((f) => f.slice(prefix.length));
}

/** The site field (`domain`, `admin_user`, `plan`, …) that sets this provider field, or null. */
export function siteFieldOf(field: string): string | null {
  return paramMarks(field)?.siteField ?? null;
}
