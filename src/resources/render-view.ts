/**
 * `siteform show RESOURCE` for people (text, markdown) and programs (JSON). Every value came from
 * a panel or a file, so each is made safe for a terminal or a markdown page. Pure.
 */
import { safeText } from "../render/format-value.js";
import { code, escapeMarkdown } from "../render/markdown-escape.js";
import { formatFigure } from "./render-usage.js";
import type { ResourceView } from "./resource-view.js";

/** Label → value lines in display order; `login` is the command that opens a link signed in. */
function rows(view: ResourceView): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  out.push(["server", `${view.server} (${view.provider})`]);
  out.push(["state", stateText(view)]);
  if (view.git !== null) {
    const plan = view.git.plan === null ? "" : `, plan ${view.git.plan}`;
    const wants = view.state !== null && view.git.state !== view.state ? `, git wants it ${view.git.state}` : "";
    out.push(["in git", `${view.git.file}:${view.git.line}${plan}${wants}${view.git.protect ? ", protected" : ""}`]);
  } else {
    out.push(["in git", "no: unmanaged (`siteform import` writes its file)"]);
  }
  if (view.panelUrl !== null) out.push(["panel", view.panelUrl]);
  for (const fact of view.facts) out.push([fact.label, fact.value]);
  if (view.usage !== null) {
    out.push(["disk", formatFigure(view.usage.disk)]);
    out.push(["bandwidth", formatFigure(view.usage.bandwidth)]);
  }
  for (const note of view.notes) out.push(["note", note]);
  return out;
}

function stateText(view: ResourceView): string {
  if (view.state === null) return `not on ${view.server} (only in git)`;
  if (view.state !== "suspended") return view.state;
  const since = view.suspension?.since === null || view.suspension?.since === undefined ? "" : ` since ${view.suspension.since}`;
  const panelReason = view.suspension?.reason ?? null;
  if (panelReason !== null) return `suspended${since}: ${panelReason}`;
  const gitReason = view.git?.suspendReason ?? null;
  return `suspended${since} (the panel does not report why${gitReason === null ? "" : `; git's reason: ${gitReason}`})`;
}

function title(view: ResourceView): string {
  return `${view.name}${view.id === null ? "" : ` (${view.id})`}: ${view.noun} on ${view.server}`;
}

export function renderViewText(view: ResourceView): string {
  const lines = [safeText(title(view))];
  const all = rows(view);
  const width = Math.max(...all.map(([label]) => label.length), "links".length);
  for (const [label, value] of all) lines.push(`  ${label.padEnd(width)}  ${safeText(value)}`);
  if (view.links.length > 0) {
    lines.push(`  links`);
    const linkWidth = Math.max(...view.links.map((l) => l.label.length));
    for (const link of view.links) lines.push(`    ${safeText(link.label).padEnd(linkWidth)}  ${safeText(link.url)}${link.app === undefined ? "" : `  (signed in: siteform login ${safeText(view.server)}/${safeText(view.name)} --app ${safeText(link.app)})`}`);
  }
  return `${lines.join("\n")}\n`;
}

export function renderViewMarkdown(view: ResourceView): string {
  const lines = [`### ${escapeMarkdown(safeText(title(view)))}`, ""];
  for (const [label, value] of rows(view)) lines.push(`- **${escapeMarkdown(label)}**: ${escapeMarkdown(safeText(value))}`);
  for (const link of view.links) lines.push(`- **${escapeMarkdown(link.label)}**: ${code(safeText(link.url))}`);
  return `${lines.join("\n")}\n`;
}

export function renderViewJson(view: ResourceView): string {
  return `${JSON.stringify(view, null, 2)}\n`;
}
