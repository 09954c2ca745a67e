/**
 * The drift report as GitHub markdown, for the body of the `drift` issue: a summary table
 * (one row per server, one column per class), then one section per class with a table of
 * resources, then problems. Every cell goes through the one markdown escaper
 * (render/markdown-escape.ts), so a value cannot break the table or inject markup.
 */
import { codeCell as code, tableCell as cell } from "../render/markdown-escape.js";
import { DRIFT_CLASSES, UNREADABLE, type DriftClass, type DriftEntry, type DriftReport } from "./drift-report.js";
import { changeValues, classTitles, describeEntry, noun, sourceLabel, templateLabel } from "./format-value.js";

function sectionTitles(report: DriftReport): Readonly<Record<DriftClass, string>> {
  const template = templateLabel(report);
  return {
    missing: "Missing: in git, not on the server",
    state: "State: suspended or active differs",
    "server-plan": `${template.charAt(0).toUpperCase()}${template.slice(1)} changed`,
    modified: "Modified: field values differ",
    unmanaged: "Unmanaged: on the server, not in git",
  };
}

function summaryTable(report: DriftReport): string[] {
  const titles = classTitles(report);
  const head = `| server | ${DRIFT_CLASSES.map((c) => cell(titles[c])).join(" | ")} |`;
  const rule = `|---|${DRIFT_CLASSES.map(() => "---:").join("|")}|`;
  const rows = report.servers.map((s) =>
    s.read
      ? `| ${cell(s.name)} | ${DRIFT_CLASSES.map((c) => String(s.counts[c])).join(" | ")} |`
      : `| ${cell(s.name)} | ${DRIFT_CLASSES.map(() => "?").join(" | ")} |`,
  );
  return [head, rule, ...rows];
}

function resourceCell(e: DriftEntry): string {
  const where = sourceLabel(e);
  const id = e.resourceId === null ? "" : ` (${cell(e.resourceId)})`;
  return `${code(e.name)}${id}${where === null ? "" : `<br>${cell(where)}`}`;
}

function sectionRows(report: DriftReport, entries: readonly DriftEntry[], cls: DriftClass): string[] {
  const what = cell(noun(report));
  if (cls === "modified") {
    const rows = entries.flatMap((e) =>
      e.changes.map((c) => {
        const { server, git } = changeValues(c);
        return `| ${cell(e.server)} | ${resourceCell(e)} | ${code(c.field)} | ${code(server)} | ${code(git)} |`;
      }),
    );
    return [`| server | ${what} | field | on the server | in git |`, "|---|---|---|---|---|", ...rows];
  }
  const rows = entries.map((e) => `| ${cell(e.server)} | ${resourceCell(e)} | ${cell(describeEntry(e, report))} | ${cell(e.reason)} |`);
  return [`| server | ${what} | difference | why |`, "|---|---|---|---|", ...rows];
}

export function renderDriftMarkdown(report: DriftReport): string {
  const lines: string[] = ["## siteform drift report", ""];
  const commit = report.inventory.commit === null ? "no commit" : `\`${report.inventory.commit.slice(0, 12)}\`${report.inventory.dirty ? " (with uncommitted changes)" : ""}`;
  lines.push(`Servers read at ${cell(report.createdAt)}, inventory at ${commit}.`, "");
  lines.push(
    report.total === 0
      ? "**No drift**: every server that could be read matches the inventory."
      : `**${report.total} difference${report.total === 1 ? "" : "s"}**${report.deletions > 0 ? `, ${report.deletions} of which a plan would fix by deleting a ${cell(noun(report))}` : ""}.`,
    "",
    ...summaryTable(report),
  );
  const titles = sectionTitles(report);
  for (const cls of DRIFT_CLASSES) {
    const entries = report.entries.filter((e) => e.class === cls);
    if (entries.length === 0) continue;
    lines.push("", `### ${cell(titles[cls])} (${entries.length})`, "", ...sectionRows(report, entries, cls));
  }
  const unreadable = report.problems.filter((p) => p.code === UNREADABLE);
  const others = report.problems.filter((p) => p.code !== UNREADABLE);
  if (unreadable.length + others.length > 0) {
    lines.push("", "### Problems", "");
    for (const p of [...unreadable, ...others]) {
      lines.push(`- **${p.severity}**: ${cell(p.message)}${p.hint === undefined ? "" : ` (${cell(p.hint)})`}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
