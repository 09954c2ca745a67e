/**
 * Reads one field (or the state) off an ObservedResource and compares values as the planner
 * does (planner/normalize.ts). Shared by the checks before a run, the re-read before each op
 * and the read-back; it knows no panel's fields.
 */
import { valueAt } from "../kinds/values.js";
import type { ObservedResource, ObservedValue } from "../model/resource.js";

/** The resource's value for `field` (`group.field`, or `state`); undefined when it does not report it. */
export function fieldValue(resource: ObservedResource, field: string): ObservedValue | undefined {
  if (field === "state") return resource.state;
  if (!field.includes(".")) return undefined;
  return valueAt(resource.fields, field);
}

/** Whether two values of `field` mean the same: the planner's own comparison, so apply and plan never disagree. */
export { sameValue, satisfies } from "../planner/normalize.js";
