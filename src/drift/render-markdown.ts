/**
 * The drift report as GitHub markdown, for the body of the `drift` issue: a summary table
 * (one row per server, one column per class), then one section per class with a table of
 * sites, then problems. Every cell goes through the one markdown escaper
 * (render/markdown-escape.ts), so a value cannot break the table or inject markup.
 */
import { codeCell as code, tableCell as cell } from "../render/markdown-escape.js";
import { DRIFT_CLASSES, UNREADABLE, type DriftClass, type DriftEntry, type DriftReport } from "./drift-report.js";
import { CLASS_TITLES, changeValues, describeEntry, sourceLabel } from "./format-value.js";

const SECTION_TITLES: Readonly<Record<DriftClass, string>> = {
  missing: "Missing: in git, not on the server",
  state: "State: suspended or active differs",
  "server-plan": "Server plan changed",
  modified: "Modified: field values differ",
  unmanaged: "Unmanaged: on the server, not in git",
};

function summaryTable(report: DriftReport): string[] {
  const head = `| server | ${DRIFT_CLASSES.map((c) => CLASS_TITLES[c]).join(" | ")} |`;
  const rule = `|---|${DRIFT_CLASSES.map(() => "---:").join("|")}|`;
  const rows = report.servers.map((s) =>
    s.read
      ? `| ${cell(s.name)} | ${DRIFT_CLASSES.map((c) => String(s.counts[c])).join(" | ")} |`
      : `| ${cell(s.name)} | ${DRIFT_CLASSES.map(() => "?").join(" | ")} |`,
  );
  return [head, rule, ...rows];
}

function siteCell(e: DriftEntry): string {
  const where = sourceLabel(e);
  const id = e.siteId === null ? "" : ` (${cell(e.siteId)})`;
  return `${code(e.domain)}${id}${where === null ? "" : `<br>${cell(where)}`}`;
}

function sectionRows(entries: readonly DriftEntry[], kind: DriftClass): string[] {
  if (kind === "modified") {
    const rows = entries.flatMap((e) =>
      e.changes.map((c) => {
        const { server, git } = changeValues(c);
        return `| ${cell(e.server)} | ${siteCell(e)} | ${code(c.field)} | ${code(server)} | ${code(git)} |`;
      }),
    );
    return ["| server | site | field | on the server | in git |", "|---|---|---|---|---|", ...rows];
  }
  const rows = entries.map((e) => `| ${cell(e.server)} | ${siteCell(e)} | ${cell(describeEntry(e))} | ${cell(e.reason)} |`);
  return ["| server | site | difference | why |", "|---|---|---|---|", ...rows];
}

export function renderDriftMarkdown(report: DriftReport): string {
  const lines: string[] = ["## siteform drift report", ""];
  const commit = report.inventory.commit === null ? "no commit" : `\`${report.inventory.commit.slice(0, 12)}\`${report.inventory.dirty ? " (with uncommitted changes)" : ""}`;
  lines.push(`Servers read at ${cell(report.createdAt)}, inventory at ${commit}.`, "");
  lines.push(
    report.total === 0
      ? "**No drift**: every server that could be read matches the inventory."
      : `**${report.total} difference${report.total === 1 ? "" : "s"}**${report.deletions > 0 ? `, ${report.deletions} of which a plan would fix by deleting a site` : ""}.`,
    "",
    ...summaryTable(report),
  );
  for (const kind of DRIFT_CLASSES) {
    const entries = report.entries.filter((e) => e.class === kind);
    if (entries.length === 0) continue;
    lines.push("", `### ${SECTION_TITLES[kind]} (${entries.length})`, "", ...sectionRows(entries, kind));
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
