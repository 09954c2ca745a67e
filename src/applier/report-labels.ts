/**
 * Words the apply report renderers share, so text and markdown say the same thing.
 */
import type { ApplyReport, OpResult, OpStatus } from "./report.js";
import { OP_STATUSES } from "./report.js";

export const STATUS_TITLES: Record<OpStatus, string> = {
  failed: "Failed",
  conflict: "Conflict: changed on the server since the plan, not sent",
  unknown: "Unknown outcome",
  skipped: "Skipped",
  done: "Done",
};

export function seconds(report: ApplyReport): string {
  const ms = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

export function countsText(report: ApplyReport): string {
  const parts = OP_STATUSES.filter((s) => report.totals[s] > 0).map((s) => `${report.totals[s]} ${s === "unknown" ? "unknown" : s}`);
  return parts.length === 0 ? "nothing to do" : parts.join(", ");
}

export function headline(report: ApplyReport): string {
  const n = report.totals.total;
  const ops = `${n} op${n === 1 ? "" : "s"}`;
  if (report.ok) return `Apply complete: ${n === 0 ? "nothing to do" : `all ${ops} done`} in ${seconds(report)}.`;
  if (report.refused.length > 0) return `Apply refused: nothing was started (${report.refused.length === 1 ? "1 rule" : `${report.refused.length} rules`} broken).`;
  const how = report.forced ? "Apply stopped (second interrupt)" : report.interrupted ? "Apply interrupted" : "Apply finished with problems";
  return `${how}: ${countsText(report)} of ${ops} in ${seconds(report)}.`;
}

/** Changes named on a report line; the rest are counted (the JSON report and the journal have them all). */
const CHANGES_SHOWN = 3;

/**
 * What an op changed, for its report line: `(diskquota.quota: 20 → 40)`. A create's fields are
 * the whole new resource, which the plan showed: only their number is given.
 */
export function changesText(op: OpResult): string {
  if (op.changes.length === 0) return "";
  if (op.action === "create") return ` (${op.changes.length} field${op.changes.length === 1 ? "" : "s"} set)`;
  const shown = op.changes.slice(0, CHANGES_SHOWN).join("; ");
  const more = op.changes.length - CHANGES_SHOWN;
  return ` (${shown}${more > 0 ? `; and ${more} more` : ""})`;
}

/** What happened to one op, after its status: the message, or the new id and note for a done op. */
export function outcomeText(op: OpResult): string {
  if (op.status !== "done") return [op.message ?? "(no message)", op.note].filter((s) => s !== null).join("; ");
  const parts: string[] = [];
  if (op.action === "create" && op.resourceId !== null) parts.push(`created as ${op.resourceId}`);
  if (op.attempts > 1) parts.push(`after ${op.attempts} attempts`);
  if (op.note !== null) parts.push(op.note);
  return parts.join("; ");
}
