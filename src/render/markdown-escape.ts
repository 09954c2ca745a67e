/**
 * Making untrusted text safe in a GitHub comment: values, domains and messages come from
 * servers and inventory files, so none may open a tag, a link, a table cell, a heading or a
 * mention. The one escaper for every markdown siteform writes (plan comment, drift issue,
 * apply job summary). `escapeMarkdown`, `escapeHtml` and `code` expect single-line input
 * (format-value.ts' safeText); `tableCell` and `codeCell` take any text and make it safe first.
 */
import { safeText } from "./format-value.js";

const HTML: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** For text inside HTML elements (`<summary>`), where markdown is not read. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => HTML[ch] ?? ch);
}

/**
 * For running markdown text, never at the start of a line (callers always put a marker
 * first, so `-`, `+` and `1.` cannot open a list): HTML escaped; emphasis, link, code, table,
 * strike-through and `#` (headings, issue links) backslash-escaped; mentions defused with a
 * zero-width space.
 */
export function escapeMarkdown(text: string): string {
  return escapeHtml(text)
    .replace(/[\\`*_[\]#|~]/g, (ch) => `\\${ch}`)
    .replace(/@/g, "@\u200b");
}

/**
 * An inline code span that holds any text: the fence is one backtick longer than the longest
 * run inside. Not for table cells, where GitHub splits on `|` even inside code.
 */
export function code(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const padded = text.startsWith("`") || text.endsWith("`") || text === "" ? ` ${text} ` : text;
  return `${fence}${padded}${fence}`;
}

/** Any text as one markdown table cell: control and bidi characters shown escaped, markup escaped (`|` included). */
export function tableCell(text: string): string {
  return escapeMarkdown(safeText(text));
}

/**
 * Any text as a code span inside a table cell. GitHub splits table rows on `|` even inside
 * code, and turns `\|` back into `|` there, so pipes are escaped after the span is built.
 */
export function codeCell(text: string): string {
  return code(safeText(text)).replace(/\|/g, "\\|");
}
