/**
 * Refuses a plan document apply cannot trust before anything is re-collected: an unknown
 * format version, or ops whose ids or dependencies do not form the ordered graph the planner
 * promises. Pure; reads no files (the CLI parses JSON, this checks what came out).
 */
import { PLAN_FORMAT_VERSION } from "../model/plan.js";

export type FormatCheck = { ok: true } | { ok: false; message: string };

interface PlanShape {
  formatVersion?: unknown;
  ops?: readonly { id: string; dependsOn: readonly string[] }[];
}

export function checkFormat(plan: PlanShape): FormatCheck {
  if (plan.formatVersion !== PLAN_FORMAT_VERSION) {
    return {
      ok: false,
      message:
        `the plan has format version ${JSON.stringify(plan.formatVersion ?? null)}, but this siteform applies only version ${PLAN_FORMAT_VERSION}: ` +
        "plan again with this version of siteform",
    };
  }
  return checkOrder(plan.ops ?? []);
}

/** Every dependency must be an earlier op: that also rules out cycles and dangling ids. */
function checkOrder(ops: readonly { id: string; dependsOn: readonly string[] }[]): FormatCheck {
  const seen = new Set<string>();
  for (const op of ops) {
    if (seen.has(op.id)) return { ok: false, message: `the plan names op '${op.id}' twice: the file was edited or is corrupt; plan again` };
    for (const dep of op.dependsOn) {
      if (!seen.has(dep)) {
        return { ok: false, message: `op '${op.id}' depends on '${dep}', which does not come before it in the plan: the file was edited or is corrupt; plan again` };
      }
    }
    seen.add(op.id);
  }
  return { ok: true };
}
