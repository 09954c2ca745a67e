/**
 * The one canonical layout of an inventory YAML file, as `siteform fmt` writes it. Pure: text
 * in, text (or the parse errors `siteform validate` would report) out; no I/O.
 *
 * The canonical form is the `yaml` package's Document round-trip with these choices:
 * - 2-space indentation; list items indented under their key (`key:\n  - item`);
 * - block style for every non-empty mapping and list (`[a, b]` becomes two `- ` lines);
 *   `{}` and `[]` stay as they are;
 * - keys and list items stay in the order written: the order of a group's sites means
 *   something (the first is the parent), and in mappings it is the author's reading order,
 *   which comments and blank lines are grouped around;
 * - strings plain where YAML reads them back as the same string, else double-quoted (single
 *   quotes where that avoids escaping); `yes`, `no`, `on`, `off` quoted, since YAML 1.1 tools
 *   read them as booleans; text with line breaks as a literal block (`|`);
 * - `true`/`false`/`null` spelled so (not `True`, `~` or an empty value); numbers as written;
 * - no line wrapping, however long a line is (wrapping would make a one-word change re-wrap a
 *   paragraph in review);
 * - comments kept where they are, one space before a trailing `#`, no trailing whitespace, at
 *   most one blank line in a row, none at the start or end of the file;
 * - no `---`/`...` markers unless a `%` directive needs them; LF line endings, no byte-order
 *   mark, one final newline.
 *
 * Two guarantees are checked on every file, not assumed: the output reads back as exactly the
 * same data (else siteform has a bug and the file is left alone), and formatting the output
 * again changes nothing.
 */
import { isDeepStrictEqual } from "node:util";
import { parseDocument, visit, type Document, type ToStringOptions } from "yaml";
import type { Diagnostic } from "../model/index.js";
import { YamlSource } from "./yaml-source.js";

export type CanonicalResult =
  | { ok: true; text: string; changed: boolean }
  /** The file is not valid YAML (or breaks a limit): the diagnostics `siteform validate` gives, at their lines. */
  | { ok: false; diagnostics: Diagnostic[] };

const PRINT: ToStringOptions = {
  indent: 2,
  indentSeq: true,
  // 0: never fold a long scalar over several lines.
  lineWidth: 0,
  minContentWidth: 0,
  // Multi-line text as `|`: with no wrapping, folding (`>`) would only hide where the line breaks are.
  blockQuote: "literal",
  defaultStringType: "PLAIN",
  defaultKeyType: null,
  trueStr: "true",
  falseStr: "false",
  nullStr: "null",
};

/** Strings that YAML 1.2 (siteform) reads as text but YAML 1.1 reads as booleans: `no` unquoted would mean false to them. */
const YAML11_BOOLEAN = /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** Rounds of formatting tried before giving up on reaching a form that formatting leaves alone. */
const MAX_ROUNDS = 3;

/**
 * The canonical form of one file's text; `file` only names it in diagnostics. Throws (a bug,
 * not a mistake in the file) if the layout would change the data or never settles; callers
 * format every file before writing any, so such a throw leaves every file as it was.
 */
export function canonicalYaml(file: string, text: string): CanonicalResult {
  // Parsed as the inventory parses it, so that fmt refuses exactly what validate refuses
  // (syntax, duplicate keys, several documents, an empty file, the size limits), at the same lines.
  const original = YamlSource.parse(file, text);
  if (!original.ok) return { ok: false, diagnostics: original.diagnostics };
  let current = text;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = printCanonical(current);
    const reread = YamlSource.parse(file, next);
    if (!reread.ok || !isDeepStrictEqual(reread.source.value, original.source.value)) {
      throw new Error(`fmt would change what ${file} means (a bug in siteform's formatter); no file was written`);
    }
    if (next === current) return { ok: true, text: next, changed: next !== text };
    current = next;
  }
  throw new Error(`fmt found no stable layout for ${file} in ${MAX_ROUNDS} rounds (a bug in siteform's formatter); no file was written`);
}

/** One round: parse, normalise the node styles and comments, print. */
function printCanonical(text: string): string {
  // uniqueKeys off: YamlSource has already refused duplicates, in linear time.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "string") {
        // Forget the style written: the printer picks plain, quoted or `|` from the value alone.
        // Except for words YAML 1.1 tools (and readers used to them) take for booleans: kept quoted.
        node.type = YAML11_BOOLEAN.test(node.value) ? "QUOTE_DOUBLE" : undefined;
      } else if (typeof node.value === "boolean" || node.value === null) {
        // The printer keeps `True`, `~` or an empty value when it has the source text.
        delete node.source;
      }
      tidyComments(node);
    },
    Map(_key, node) {
      if (node.items.length > 0) node.flow = false;
      tidyComments(node);
    },
    Seq(_key, node) {
      if (node.items.length > 0) node.flow = false;
      tidyComments(node);
    },
    Alias(_key, node) {
      tidyComments(node);
    },
  });
  tidyComments(doc);
  dropMarkers(doc);
  return doc.toString(PRINT);
}

interface Commented {
  commentBefore?: string | null;
  comment?: string | null;
}

function tidyComments(node: Commented): void {
  if (typeof node.commentBefore === "string") node.commentBefore = tidyComment(node.commentBefore);
  if (typeof node.comment === "string") node.comment = tidyComment(node.comment);
}

/**
 * A comment's text as the printer takes it (`#` already stripped from each line): without
 * trailing whitespace, one blank line at most between comment lines, none after the last one
 * (a blank line after a comment is the node's own spacing, which the printer adds).
 */
function tidyComment(comment: string): string {
  return comment
    .split("\n")
    // A bare `#` line is held as " " (an empty line would be a blank line, not a comment): keep it so.
    .map((line) => (line !== "" && line.trim() === "" ? " " : line.trimEnd()))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/\n\n$/, "\n");
}

/** `---` and `...` carry nothing in a one-document file, unless a directive (`%YAML 1.1`, `%TAG`) needs the `---` after it. */
function dropMarkers(doc: Document): void {
  const directives = doc.directives;
  if (directives === undefined) return;
  const customTags = Object.keys(directives.tags).some((handle) => handle !== "!!");
  if (!directives.yaml.explicit && !customTags) directives.docStart = null;
  directives.docEnd = false;
}
