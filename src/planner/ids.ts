/**
 * Op ids are `server:action:name`: readable, and stable from one plan to the next. A resource
 * has at most one op per action and names are unique on a server at any one time, but one
 * plan can hold a name twice: a resource renamed away from it (its ops named by the name it
 * has when they start) and a new one created under it. When both get an op of the same action
 * (both suspended), the ids would collide and one op would silently vanish from the ordering,
 * so the existing resource's op is told apart by its id (`fra1:suspend:shop.example@site4`);
 * the new one keeps the plain id, as the name is its from then on.
 */
import type { ResourcePlan } from "./resource-plan.js";

export function distinctIds(resources: readonly ResourcePlan[]): void {
  const count = new Map<string, number>();
  for (const resource of resources) for (const op of resource.ops) count.set(op.id, (count.get(op.id) ?? 0) + 1);
  for (const resource of resources) {
    resource.ops = resource.ops.map((op) => ((count.get(op.id) ?? 0) > 1 && op.target.id !== null ? { ...op, id: `${op.id}@${op.target.id}` } : op));
  }
}
