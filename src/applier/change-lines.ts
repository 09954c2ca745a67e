/**
 * What each op of a plan changes, one line per field as people read it (`diskquota.quota: 20 →
 * 40`), for the apply report and the journal: "update kessler-law.example" alone does not say
 * what was done. Values go through the plan's own redaction first, so a secret reads as
 * `(secret)` here as everywhere else.
 */
import type { Catalogue } from "../kinds/catalogue.js";
import type { Plan } from "../model/plan.js";
import { changeValues, safeText } from "../render/format-value.js";
import { redactPlan } from "../render/redact.js";

/** Values longer than this are cut with `…`: a report line is not the place for a whole alias list. */
const VALUE_LIMIT = 80;

export function changeLinesByOp(plan: Plan, catalogue: Catalogue): Map<string, readonly string[]> {
  const redacted = redactPlan(plan, catalogue);
  return new Map(
    redacted.ops.map((op) => [
      op.id,
      op.changes.map((change) => {
        const { before, after } = changeValues(change, VALUE_LIMIT);
        return op.action === "create" && change.before === null ? `${safeText(change.field)} = ${after}` : `${safeText(change.field)}: ${before} → ${after}`;
      }),
    ]),
  );
}
