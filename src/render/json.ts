/**
 * The JSON rendering of a plan: the plan as it is, redacted, exactly the document `plan -o`
 * writes, so tools read one format whether they got it from stdout or a file. Redaction (by the
 * catalogue's kinds) happens in serializePlan.
 */
import type { Catalogue } from "../kinds/catalogue.js";
import type { Plan } from "../model/index.js";
import { serializePlan } from "../planner/plan-file.js";

export function renderPlanJson(plan: Plan, catalogue: Catalogue): string {
  return serializePlan(plan, catalogue);
}
