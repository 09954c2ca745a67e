/**
 * One YAML file parsed with its source positions: the plain value the checks work on, and a
 * way back from a field path to the line and column it was written at. Owns turning YAML's
 * own complaints (syntax, duplicate keys, several documents, empty files) into diagnostics.
 * Does not validate anything beyond YAML itself and never echoes file content in a message,
 * since the content may be a secret.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Pair, type YAMLError } from "yaml";
import type { Diagnostic, DiagnosticCode, SourceRef } from "../model/index.js";
import { formatPath, type PathSegment } from "./field-path.js";

/** Whether a location names the value of a field or its key (an unknown field is reported at its key). */
export type Anchor = "value" | "key";

const HINTS: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: "a field may appear once in a mapping: remove one of them or merge them",
  MULTIPLE_DOCS: "a file holds one site, one invoice group or one plan: split it into several files",
  TAB_AS_INDENT: "indent with spaces, not tabs",
  BAD_INDENT: "check the indentation: a nested field goes further right than its parent, siblings line up",
  MISSING_CHAR: "a quote or bracket is not closed",
  MULTILINE_IMPLICIT_KEY: "check the indentation here and on the next line (fields of one mapping line up), and quote values that contain `: ` or ` #`",
  BLOCK_AS_IMPLICIT_KEY: "check the indentation here and on the next line (fields of one mapping line up), and quote values that contain `: ` or ` #`",
  UNEXPECTED_TOKEN: "quote values that start with a special character such as `@`, `` ` ``, `%` or `*`",
  BAD_SCALAR_START: "quote values and keys that start with a special character such as `@`, `` ` ``, `%` or `*`",
  BAD_ALIAS: "an alias (`*name`) needs an anchor (`&name`) defined above it",
};

export type ParsedYaml = { ok: true; source: YamlSource } | { ok: false; diagnostics: Diagnostic[] };

export class YamlSource {
  private constructor(
    readonly file: string,
    /** The document as plain data (maps as objects, lists as arrays). */
    readonly value: unknown,
    private readonly doc: Document,
    private readonly lines: LineCounter,
    /** YAML warnings that did not stop parsing. */
    readonly warnings: readonly Diagnostic[],
  ) {}

  static parse(file: string, text: string): ParsedYaml {
    const lines = new LineCounter();
    // prettyErrors off: the pretty form quotes the offending source line, which may hold a secret.
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const at = (error: YAMLError, severity: Diagnostic["severity"]): Diagnostic =>
      yamlDiagnostic(file, text, lines, error, severity);
    if (doc.errors.length > 0) {
      // One mistake often trips several of the parser's rules at the same spot: report it once.
      const first = doc.errors.filter((e, i) => doc.errors.findIndex((o) => o.pos[0] === e.pos[0]) === i);
      return { ok: false, diagnostics: first.map((e) => at(e, "error")) };
    }
    const warnings = doc.warnings.map((w) => at(w, "warning"));
    if (doc.contents === null) {
      return { ok: false, diagnostics: [...warnings, fileDiagnostic(file, "empty-file", "the file holds no YAML document", "an empty file defines nothing: delete it or fill it in")] };
    }
    let value: unknown;
    try {
      value = doc.toJS();
    } catch (err) {
      // Unresolvable or excessive aliases surface only here, without a position.
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, diagnostics: [...warnings, fileDiagnostic(file, "yaml-syntax", message, HINTS.BAD_ALIAS)] };
    }
    return { ok: true, source: new YamlSource(file, value, doc, lines, warnings) };
  }

  /** The source reference of the field at `path`, or of the nearest enclosing node that exists. */
  ref(path: readonly PathSegment[], anchor: Anchor = "value"): SourceRef {
    const offset = this.offsetOf(path, anchor);
    const { line, col } = offset === undefined ? { line: 1, col: 1 } : this.lines.linePos(offset);
    return { file: this.file, line, column: col, path: formatPath(path) };
  }

  // Plain loops, no closures: this runs for every field of every entry (10,000 sites → 100,000 times).
  private offsetOf(path: readonly PathSegment[], anchor: Anchor): number | undefined {
    let node: unknown = this.doc.contents;
    let offset = rangeStart(node);
    for (let i = 0; i < path.length; i++) {
      const segment = String(path[i]);
      if (isAlias(node)) node = node.resolve(this.doc);
      let next: unknown;
      if (isMap(node)) {
        let pair: Pair | undefined;
        for (const item of node.items) {
          if (isPair(item) && isScalar(item.key) && String(item.key.value) === segment) {
            pair = item;
            break;
          }
        }
        if (pair === undefined) return offset;
        const keyOffset = rangeStart(pair.key);
        if (i === path.length - 1 && anchor === "key") return keyOffset ?? offset;
        // `domain:` with nothing after it has no value node worth pointing at: use the key.
        next = pair.value;
        offset = rangeStart(next) ?? keyOffset ?? offset;
        if (isScalar(next) && next.value === null && keyOffset !== undefined) offset = keyOffset;
      } else if (isSeq(node)) {
        next = node.items[Number(segment)];
        if (next === undefined) return offset;
        offset = rangeStart(next) ?? offset;
      } else {
        return offset;
      }
      node = next;
    }
    return offset;
  }
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== "object" || node === null || !("range" in node)) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[0];
}

function yamlDiagnostic(
  file: string,
  text: string,
  lines: LineCounter,
  error: YAMLError,
  severity: Diagnostic["severity"],
): Diagnostic {
  const { line, col } = lines.linePos(error.pos[0]);
  const duplicate = error.code === "DUPLICATE_KEY";
  const code: DiagnosticCode = duplicate ? "duplicate-key" : "yaml-syntax";
  // The error points at the duplicate key: a field name, never a value, so it may be shown.
  const raw = /^(?:"[^"\n]*"|'[^'\n]*'|[^:\n]*)/.exec(text.slice(error.pos[0], error.pos[0] + 200))?.[0].trim() ?? "";
  const key = raw.length <= 64 ? raw : "";
  const message = duplicate ? `duplicate field ${key === "" ? "in a mapping" : `\`${key}\``}` : `YAML: ${error.message}`;
  const diagnostic: Diagnostic = { severity, code, file, line, column: col, path: "", message };
  const hint = HINTS[error.code];
  if (hint !== undefined) diagnostic.hint = hint;
  return diagnostic;
}

export function fileDiagnostic(file: string, code: DiagnosticCode, message: string, hint?: string): Diagnostic {
  const diagnostic: Diagnostic = { severity: "error", code, file, line: 1, column: 1, path: "", message };
  if (hint !== undefined) diagnostic.hint = hint;
  return diagnostic;
}
