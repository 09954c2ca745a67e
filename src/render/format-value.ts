/**
 * How values and names read in rendered plans, shared by the text and markdown renderers.
 * Everything here returns a single line of printable text: control characters (a terminal
 * escape sequence in a server's answer, a newline in a note) are shown escaped, never
 * passed through. Secrets are shown as a fixed word, whatever the value.
 */
import type { FieldChange, FieldValue } from "../model/index.js";

/** What a secret reads as in text and markdown. */
export const SECRET_TEXT = "(secret)";

const VALUE_LIMIT = 120;

// C0 and C1 controls, DEL, and the bidirectional overrides that can make text read backwards.
const UNSAFE_CHARS = "[\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]";
const UNSAFE = new RegExp(UNSAFE_CHARS, "g");
const HAS_UNSAFE = new RegExp(UNSAFE_CHARS);

/** The text with control and bidi characters shown as `\uXXXX`, so it cannot steer a terminal or span lines. */
export function safeText(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    if (ch === "\n") return "\\n";
    if (ch === "\t") return "\\t";
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

// A string reads unquoted when it cannot be mistaken for another type or for list syntax.
const PLAIN = /^[^\s"'[\]{},()][^"[\]{},]*$/;
const LOOKS_TYPED = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/i;

function formatString(value: string): string {
  if (PLAIN.test(value) && !/\s$/.test(value) && !LOOKS_TYPED.test(value) && !HAS_UNSAFE.test(value)) return value;
  return JSON.stringify(value);
}

function formatAny(value: FieldValue): string {
  if (value === null) return "(none)";
  if (typeof value === "string") return formatString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${(value as readonly FieldValue[]).map(formatAny).join(", ")}]`;
  const entries = Object.entries(value as { readonly [key: string]: FieldValue });
  return `{${entries.map(([k, v]) => `${formatString(k)}: ${formatAny(v)}`).join(", ")}}`;
}

/** One value on one line, shortened with `…` past `limit` characters. */
export function formatValue(value: FieldValue, limit: number = VALUE_LIMIT): string {
  const text = safeText(formatAny(value));
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** A change's before and after as people read them; a secret change shows no value at all. */
export function changeValues(change: FieldChange, limit?: number): { before: string; after: string } {
  if (change.secret === true) {
    return { before: change.before === null ? "(none)" : SECRET_TEXT, after: change.after === null ? "(none)" : SECRET_TEXT };
  }
  return { before: formatValue(change.before, limit), after: formatValue(change.after, limit) };
}

/** `name (id)` (`acme.example (site12)`), the way people look a resource up in the panel; the name alone before it has an id. */
export function resourceLabel(target: { name: string; id: string | null }): string {
  const name = safeText(target.name);
  return target.id === null ? name : `${name} (${safeText(target.id)})`;
}

export function sourceLabel(source: { file: string; line?: number } | null | undefined): string | null {
  if (source === null || source === undefined) return null;
  return source.line === undefined ? safeText(source.file) : `${safeText(source.file)}:${source.line}`;
}
