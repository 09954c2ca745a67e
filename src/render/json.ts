/**
 * The JSON rendering of a plan: exactly the plan document `plan -o` writes, so tools read
 * one format whether they got it from stdout or a file. Redaction happens in serializePlan.
 */
import type { Plan } from "../model/index.js";
import { serializePlan } from "../planner/plan-file.js";

export function renderPlanJson(plan: Plan): string {
  return serializePlan(plan);
}
