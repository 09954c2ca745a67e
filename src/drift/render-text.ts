/**
 * The drift report for a terminal or a log: a summary line, then per server one line per
 * difference (field changes indented below), then problems. Plain text, no colour.
 */
import { DRIFT_CLASSES, UNREADABLE, type DriftCounts, type DriftEntry, type DriftReport } from "./drift-report.js";
import { safeText } from "../render/format-value.js";
import { CLASS_TITLES, changeValues, describeEntry, siteLabel, sourceLabel } from "./format-value.js";

function countsLine(counts: DriftCounts): string {
  return DRIFT_CLASSES.filter((c) => counts[c] > 0)
    .map((c) => `${counts[c]} ${CLASS_TITLES[c]}`)
    .join(", ");
}

function entryLines(e: DriftEntry): string[] {
  const where = sourceLabel(e);
  const head = `  ${CLASS_TITLES[e.class].padEnd(11)} ${siteLabel(e)}${where === null ? "" : ` [${where}]`}: ${describeEntry(e)}`;
  if (e.class !== "modified") return [head];
  return [head, ...e.changes.map((c) => {
    const { server, git } = changeValues(c);
    return `      ${safeText(c.field)}: server ${server}, git ${git}`;
  })];
}

export function renderDriftText(report: DriftReport): string {
  const lines: string[] = [];
  const read = report.servers.filter((s) => s.read);
  const sites = read.reduce((sum, s) => sum + s.observedSites, 0);
  if (report.total === 0) {
    lines.push(`No drift: ${read.length} server${read.length === 1 ? "" : "s"} (${sites} sites) match the inventory.`);
  } else {
    lines.push(`Drift: ${report.total} difference${report.total === 1 ? "" : "s"} (${countsLine(report.counts)}) on ${read.length} server${read.length === 1 ? "" : "s"} read (${sites} sites).`);
  }
  for (const server of report.servers) {
    const own = report.entries.filter((e) => e.server === server.name);
    if (!server.read) {
      lines.push("", `${safeText(server.name)}: could not be read: ${safeText(server.error ?? "unknown error")}`);
      continue;
    }
    if (own.length === 0) continue;
    lines.push("", `${safeText(server.name)}: ${countsLine(server.counts)}`);
    for (const e of own) lines.push(...entryLines(e));
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
