/**
 * The apply report for a terminal or a CI log: a headline, then one line per op grouped by
 * status, problems first (failed with the server's message, unknown, skipped with why, done).
 */
import type { ApplyReport } from "./report.js";
import { OP_STATUSES } from "./report.js";
import { safeText } from "../render/format-value.js";
import { STATUS_TITLES, changesText, headline, outcomeText } from "./report-labels.js";

export function renderApplyText(report: ApplyReport): string {
  const lines = [headline(report)];
  for (const refusal of report.refused) lines.push(`  ${safeText(refusal)}`);
  for (const status of OP_STATUSES) {
    const ops = report.ops.filter((op) => op.status === status);
    if (ops.length === 0) continue;
    lines.push("", `${STATUS_TITLES[status]} (${ops.length}):`);
    for (const op of ops) {
      const outcome = outcomeText(op);
      lines.push(`  ${safeText(op.server)} ${op.action} ${safeText(op.name)}${safeText(changesText(op))}${outcome === "" ? "" : `: ${safeText(outcome)}`}`);
    }
  }
  const t = report.totals;
  lines.push("", `Totals: ${t.done} done, ${t.failed} failed, ${t.conflict} conflict, ${t.unknown} unknown, ${t.skipped} skipped, ${t.total} in all.`);
  if (t.conflict > 0) lines.push("Ops in conflict were not sent: someone changed their sites since the plan. Plan again to see the change and decide.");
  if (t.unknown > 0) lines.push("Ops with an unknown outcome may or may not have taken effect: check those sites, then plan again.");
  return `${lines.join("\n")}\n`;
}
