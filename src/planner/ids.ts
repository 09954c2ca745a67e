/**
 * Op ids are `server:action:domain`: readable, and stable from one plan to the next. A site
 * has at most one op per action and domains are unique on a server at any one time, but one
 * plan can hold a domain twice: a site renamed away from it (its ops named by the domain it
 * has when they start) and a new site created under it. When both get an op of the same
 * action (both suspended), the ids would collide and one op would silently vanish from the
 * ordering, so the existing site's op is told apart by its site id
 * (`fra1:suspend:shop.example@site4`); the new site keeps the plain id, as the domain is its
 * from then on.
 */
import type { SitePlan } from "./site-plan.js";

export function distinctIds(sites: readonly SitePlan[]): void {
  const count = new Map<string, number>();
  for (const site of sites) for (const op of site.ops) count.set(op.id, (count.get(op.id) ?? 0) + 1);
  for (const site of sites) {
    site.ops = site.ops.map((op) =>
      (count.get(op.id) ?? 0) > 1 && op.target.siteId !== null ? { ...op, id: `${op.id}@${op.target.siteId}` } : op,
    );
  }
}
