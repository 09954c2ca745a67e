/**
 * The apply report as GitHub-flavoured markdown for a job summary: headline, totals table,
 * then a table per status (problems first, done ops folded away).
 */
import { codeCell, tableCell as cell } from "../render/markdown-escape.js";
import type { ApplyReport, OpResult } from "./report.js";
import { OP_STATUSES } from "./report.js";
import { STATUS_TITLES, changesText, headline, outcomeText } from "./report-labels.js";

function table(ops: readonly OpResult[]): string[] {
  return [
    "| Server | Action | Site | Result |",
    "| --- | --- | --- | --- |",
    ...ops.map((op) => `| ${cell(op.server)} | ${op.action} | ${codeCell(op.name)}${cell(changesText(op))} | ${cell(outcomeText(op)) || "—"} |`),
  ];
}

export function renderApplyMarkdown(report: ApplyReport): string {
  const mark = report.ok ? "✅" : "❌";
  const t = report.totals;
  const lines = [
    `### ${mark} siteform apply`,
    "",
    cell(headline(report)),
    ...report.refused.map((r) => `- ${cell(r)}`),
    "",
    "| Done | Failed | Conflict | Unknown | Skipped | Total |",
    "| ---: | ---: | ---: | ---: | ---: | ---: |",
    `| ${t.done} | ${t.failed} | ${t.conflict} | ${t.unknown} | ${t.skipped} | ${t.total} |`,
  ];
  for (const status of OP_STATUSES) {
    const ops = report.ops.filter((op) => op.status === status);
    if (ops.length === 0) continue;
    const title = `${STATUS_TITLES[status]} (${ops.length})`;
    if (status === "done") lines.push("", "<details>", `<summary>${title}</summary>`, "", ...table(ops), "", "</details>");
    else lines.push("", `#### ${title}`, "", ...table(ops));
  }
  return `${lines.join("\n")}\n`;
}
