/**
 * `siteform usage` for people (text, markdown for the drift issue) and programs (JSON, bytes).
 * Sizes are shown in the 1024-based units panels use (KB, MB, GB, TB); shares of a limit are
 * rounded down, so a resource shown at 89 % is never one `--over 90` lists. Pure.
 */
import { safeText, resourceLabel, sourceLabel } from "../render/format-value.js";
import { codeCell, tableCell } from "../render/markdown-escape.js";
import type { FigureShare, UsageReport, UsageRow } from "./usage-report.js";

const UNITS = ["B", "KB", "MB", "GB", "TB", "PB"];

/** `4.6 GB`, `512 MB`, `0 B`. */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const amount = unit === 0 ? String(Math.round(value)) : value.toFixed(1).replace(/\.0$/, "");
  return `${amount} ${UNITS[unit]}`;
}

/** `4.6 GB of 5 GB (92 %)`, `4.6 GB (no limit)`, `n/a`. */
export function formatFigure(figure: FigureShare | null): string {
  if (figure === null) return "n/a";
  if (figure.limit === null || figure.percent === null) return `${formatSize(figure.used)} (no limit)`;
  return `${formatSize(figure.used)} of ${formatSize(figure.limit)} (${Math.floor(figure.percent)} %)`;
}

function heading(report: UsageReport): string {
  const count = report.managed.length + report.unmanaged.length;
  if (report.over === null) return "Disk and bandwidth against their limits, closest to a limit first";
  if (count === 0) return `No resource is at or above ${report.over} % of a disk or bandwidth limit`;
  return `${count} resource${count === 1 ? " is" : "s are"} at or above ${report.over} % of a disk or bandwidth limit, closest first`;
}

function serverNotes(report: UsageReport): string[] {
  return report.servers.flatMap((s) => {
    if (s.status === "failed") return [`${safeText(s.name)}: could not be read: ${safeText(s.error ?? "")}`];
    if (s.status === "no-usage") return [`${safeText(s.name)} (${s.provider}): this panel reports no usage`];
    return [];
  });
}

export function renderUsageText(report: UsageReport): string {
  const lines = [`${heading(report)}${report.managed.length + report.unmanaged.length === 0 ? "." : ":"}`];
  const cells = (r: UsageRow): string[] => [resourceLabel(r), safeText(r.server), formatFigure(r.disk), formatFigure(r.bandwidth), sourceLabel(r.source) ?? ""];
  const rows = [...report.managed, ...report.unmanaged].map(cells);
  const header = ["RESOURCE", "SERVER", "DISK", "BANDWIDTH", "IN GIT"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]): string => `  ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ")}`.trimEnd();
  if (report.managed.length > 0 || report.unmanaged.length > 0) lines.push("", line(header));
  for (const r of report.managed) lines.push(line(cells(r)));
  if (report.unmanaged.length > 0) {
    lines.push("", "Not in git (unmanaged):");
    for (const r of report.unmanaged) lines.push(line(cells(r)));
  }
  const notes = serverNotes(report);
  if (notes.length > 0) lines.push("", ...notes);
  return `${lines.join("\n")}\n`;
}

export function renderUsageMarkdown(report: UsageReport): string {
  const title = report.over === null ? "### Disk and bandwidth usage" : `### Near the limit: ${report.over} % or more of disk or bandwidth`;
  const out = [title, ""];
  const table = (rows: readonly UsageRow[]): string[] => [
    "| resource | server | disk | bandwidth | in git |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${tableCell(r.id === "" ? r.name : `${r.name} (${r.id})`)} | ${tableCell(r.server)} | ${formatFigure(r.disk)} | ${formatFigure(r.bandwidth)} | ${r.source === null ? "" : codeCell(`${r.source.file}:${r.source.line}`)} |`),
  ];
  if (report.managed.length + report.unmanaged.length === 0) {
    out.push(`${heading(report)}.`);
  } else {
    out.push(`${heading(report)}:`, "");
    if (report.managed.length > 0) out.push(...table(report.managed), "");
    if (report.unmanaged.length > 0) out.push("Not in git (unmanaged):", "", ...table(report.unmanaged), "");
  }
  const notes = serverNotes(report);
  if (notes.length > 0) out.push("", ...notes.map((n) => `- ${tableCell(n)}`));
  return `${out.join("\n").trimEnd()}\n`;
}

export function renderUsageJson(report: UsageReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
