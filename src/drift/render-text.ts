/**
 * The drift report for a terminal or a log: a summary line, then per server one line per
 * difference (field changes indented below), then problems. Plain text, no colour.
 */
import { DRIFT_CLASSES, UNREADABLE, type DriftClass, type DriftCounts, type DriftEntry, type DriftReport } from "./drift-report.js";
import { safeText } from "../render/format-value.js";
import { changeValues, classTitles, describeEntry, entryLabel, nounPlural, sourceLabel } from "./format-value.js";

function countsLine(counts: DriftCounts, titles: Readonly<Record<DriftClass, string>>): string {
  return DRIFT_CLASSES.filter((c) => counts[c] > 0)
    .map((c) => `${counts[c]} ${titles[c]}`)
    .join(", ");
}

function entryLines(e: DriftEntry, report: DriftReport, titles: Readonly<Record<DriftClass, string>>): string[] {
  const where = sourceLabel(e);
  const head = `  ${titles[e.class].padEnd(11)} ${entryLabel(e)}${where === null ? "" : ` [${where}]`}: ${describeEntry(e, report)}`;
  if (e.class !== "modified") return [head];
  return [head, ...e.changes.map((c) => {
    const { server, git } = changeValues(c);
    return `      ${safeText(c.field)}: server ${server}, git ${git}`;
  })];
}

export function renderDriftText(report: DriftReport): string {
  const lines: string[] = [];
  const titles = classTitles(report);
  const read = report.servers.filter((s) => s.read);
  const observed = read.reduce((sum, s) => sum + s.observed, 0);
  const nouns = nounPlural(report);
  if (report.total === 0) {
    lines.push(`No drift: ${read.length} server${read.length === 1 ? "" : "s"} (${observed} ${nouns}) match the inventory.`);
  } else {
    lines.push(`Drift: ${report.total} difference${report.total === 1 ? "" : "s"} (${countsLine(report.counts, titles)}) on ${read.length} server${read.length === 1 ? "" : "s"} read (${observed} ${nouns}).`);
  }
  for (const server of report.servers) {
    const own = report.entries.filter((e) => e.server === server.name);
    if (!server.read) {
      lines.push("", `${safeText(server.name)}: could not be read: ${safeText(server.error ?? "unknown error")}`);
      continue;
    }
    if (own.length === 0) continue;
    lines.push("", `${safeText(server.name)}: ${countsLine(server.counts, titles)}`);
    for (const e of own) lines.push(...entryLines(e, report, titles));
  }
  // Unreadable servers are shown in their place above.
  const problems = report.problems.filter((p) => p.code !== UNREADABLE);
  if (problems.length > 0) {
    lines.push("");
    for (const p of problems) {
      lines.push(`${p.severity}: ${safeText(p.message)}`);
      if (p.hint !== undefined) lines.push(`  hint: ${safeText(p.hint)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
