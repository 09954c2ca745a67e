/**
 * One YAML file parsed with its source positions: the plain value the checks work on, and a
 * way back from a field path to the line and column it was written at. Owns turning YAML's
 * own complaints (syntax, duplicate keys, several documents, empty files) into diagnostics,
 * and the limits on what one file may make the parser do (limits.ts): parsing counts tokens
 * and nesting as it goes and stops at a limit, and it yields every few thousand tokens so that
 * an asynchronous caller can let a signal in. Does not validate anything beyond YAML itself
 * and never echoes file content in a message, since the content may be a secret.
 */
import { Composer, Lexer, LineCounter, Parser, YAMLParseError, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Pair, type YAMLError } from "yaml";
import type { Diagnostic, DiagnosticCode, SourceRef } from "../model/index.js";
import { error } from "./diagnostics.js";
import { formatPath, type PathSegment } from "./field-path.js";
import { MAX_DEPTH, MAX_FILE_TOKENS, tooDeep, tooManyExpandedValues, tooManyTokens } from "./limits.js";
import { runToEnd } from "./steps.js";
import { duplicateKeys, toPlain } from "./yaml-plain.js";

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

/**
 * A parse as it crosses between threads (structured clone): plain data only, and not the text,
 * which the side that asked for the parse already holds.
 */
export type TransferredYaml =
  | { ok: true; value: unknown; lineStarts: number[]; shallow: Array<[string, number | undefined, number | undefined]>; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

/** Where one shallow node starts: its value, and its key when it is a mapping's value. */
interface ShallowPosition {
  value: number | undefined;
  key: number | undefined;
}

/** Paths at most this deep (an entry of a group, a server of siteform.yaml) keep their positions. */
const SHALLOW_DEPTH = 2;

/**
 * A parsed file keeps its text, its plain value and the positions of its shallow nodes (the
 * entries resources point at), not the YAML Document: at 100,000 sites the Documents were most
 * of the memory, and only diagnostics ever look deeper. A deeper position is found by parsing
 * the text again, once per file, when a diagnostic first asks for one.
 */
export class YamlSource {
  private document: { doc: Document; targets: ReadonlyMap<Alias, unknown> } | undefined;

  private constructor(
    readonly file: string,
    /** The document as plain data (maps as objects, lists as arrays). */
    readonly value: unknown,
    private readonly text: string,
    private readonly lines: LineCounter,
    private readonly shallow: ReadonlyMap<string, ShallowPosition>,
    /** YAML warnings that did not stop parsing. */
    readonly warnings: readonly Diagnostic[],
  ) {}

  /** A parse made ready to cross to another thread. */
  static transfer(parsed: ParsedYaml): TransferredYaml {
    if (!parsed.ok) return parsed;
    const { value, lines, shallow, warnings } = parsed.source;
    return { ok: true, value, lineStarts: lines.lineStarts, shallow: [...shallow].map(([path, at]) => [path, at.value, at.key]), warnings: [...warnings] };
  }

  /** A parse made on another thread, of `text`, as if it had been made here. */
  static received(file: string, text: string, parse: TransferredYaml): ParsedYaml {
    if (!parse.ok) return parse;
    const lines = new LineCounter();
    lines.lineStarts = parse.lineStarts;
    const shallow = new Map(parse.shallow.map(([path, value, key]) => [path, { value, key }]));
    return { ok: true, source: new YamlSource(file, parse.value, text, lines, shallow, parse.warnings) };
  }

  /** Parses `text` in one go: parseSteps run to the end. */
  static parse(file: string, text: string): ParsedYaml {
    return runToEnd(YamlSource.parseSteps(file, text));
  }

  /**
   * Parses `text`, yielding every PARSE_SLICE tokens so that the caller may let other work
   * (a signal) in between; the generator's return value is the outcome. Stops at the first
   * limit the file exceeds, at the place it exceeds it, without reading further.
   */
  static *parseSteps(file: string, text: string): Generator<void, ParsedYaml> {
    const lines = new LineCounter();
    const lexer = new Lexer();
    const parser = new Parser(lines.addNewLine);
    // prettyErrors off: the pretty form quotes the offending source line, which may hold a secret.
    // uniqueKeys off: the library's check is quadratic; duplicateKeys does it in linear time.
    const composer = new Composer({ prettyErrors: false, uniqueKeys: false });
    const docs: Document[] = [];
    const place = (offset: number): SourceRef => {
      const { line, col } = lines.linePos(offset);
      return { file, line, column: col, path: "" };
    };
    // What Parser.parse would do itself; driving the lexer by hand lets the count stop it early.
    lines.addNewLine(0);
    let tokens = 0;
    for (const lexeme of lexer.lex(text, false)) {
      for (const token of parser.next(lexeme)) docs.push(...composer.next(token));
      tokens++;
      if (tokens > MAX_FILE_TOKENS) return { ok: false, diagnostics: [tooManyTokens(place(parser.offset))] };
      if (parser.stack.length > MAX_DEPTH) return { ok: false, diagnostics: [tooDeep(place(parser.offset))] };
      if (tokens % PARSE_SLICE === 0) yield;
    }
    for (const token of parser.end()) docs.push(...composer.next(token));
    docs.push(...composer.end(true, text.length));
    yield;
    const [doc, second] = docs;
    if (doc === undefined) throw new Error("internal: the YAML composer produced no document");
    if (second !== undefined) {
      const range = second.range ?? [0, 0];
      doc.errors.push(new YAMLParseError([range[0], range[1]], "MULTIPLE_DOCS", "Source contains multiple documents; please use YAML.parseAllDocuments()"));
    }
    const at = (problem: YAMLError, severity: Diagnostic["severity"]): Diagnostic => yamlDiagnostic(file, text, lines, problem, severity);
    const errors = [...doc.errors, ...duplicateKeys(doc)];
    if (errors.length > 0) {
      // One mistake often trips several of the parser's rules at the same spot: report it once.
      const reported = new Map<number, Diagnostic>();
      for (const e of errors) if (!reported.has(e.pos[0])) reported.set(e.pos[0], at(e, "error"));
      return { ok: false, diagnostics: [...reported.values()] };
    }
    const warnings = doc.warnings.map((w) => at(w, "warning"));
    if (doc.contents === null) {
      return { ok: false, diagnostics: [...warnings, fileDiagnostic(file, "empty-file", "the file holds no YAML document", "an empty file defines nothing: delete it or fill it in")] };
    }
    const plain = toPlain(doc);
    if (!plain.ok) {
      const where = place(plain.problem.offset);
      const problem = plain.problem.reason === "too-many-values" ? tooManyExpandedValues(where) : error("yaml-syntax", where, `YAML: ${plain.problem.message}`, HINTS.BAD_ALIAS);
      return { ok: false, diagnostics: [...warnings, problem] };
    }
    return { ok: true, source: new YamlSource(file, plain.value, text, lines, shallowPositions(doc, plain.targets, plain.value), warnings) };
  }

  /** The source reference of the field at `path`, or of the nearest enclosing node that exists. */
  ref(path: readonly PathSegment[], anchor: Anchor = "value"): SourceRef {
    const offset = path.length <= SHALLOW_DEPTH ? this.shallowOffset(path, anchor) : this.deepOffset(path, anchor);
    const { line, col } = offset === undefined ? { line: 1, col: 1 } : this.lines.linePos(offset);
    return { file: this.file, line, column: col, path: formatPath(path) };
  }

  private shallowOffset(path: readonly PathSegment[], anchor: Anchor): number | undefined {
    const position = this.shallow.get(pathKey(path));
    if (position === undefined) return this.deepOffset(path, anchor);
    return anchor === "key" ? (position.key ?? position.value) : position.value;
  }

  /** A position below the shallow ones: the text is parsed again (it parsed once, so it parses the same). */
  private deepOffset(path: readonly PathSegment[], anchor: Anchor): number | undefined {
    if (this.document === undefined) {
      const doc = new Composer({ prettyErrors: false, uniqueKeys: false });
      const [parsed] = [...doc.compose(new Parser().parse(this.text), true, this.text.length)];
      if (parsed === undefined) return undefined;
      const plain = toPlain(parsed);
      this.document = { doc: parsed, targets: plain.ok ? plain.targets : new Map() };
    }
    return offsetOf(this.document.doc, this.document.targets, path, anchor);
  }
}

function pathKey(path: readonly PathSegment[]): string {
  return path.map(String).join("\0");
}

/** The positions of the root, its fields and their fields or items: what entries and servers point at. */
function shallowPositions(doc: Document, targets: ReadonlyMap<Alias, unknown>, value: unknown): Map<string, ShallowPosition> {
  const out = new Map<string, ShallowPosition>();
  const add = (path: PathSegment[]): void => {
    out.set(pathKey(path), { value: offsetOf(doc, targets, path, "value"), key: offsetOf(doc, targets, path, "key") });
  };
  add([]);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return out;
  for (const [field, inner] of Object.entries(value)) {
    add([field]);
    if (Array.isArray(inner)) for (let i = 0; i < inner.length; i++) add([field, i]);
    else if (typeof inner === "object" && inner !== null) for (const name of Object.keys(inner)) add([field, name]);
  }
  return out;
}

// Plain loops, no closures: this runs for every entry of every file.
function offsetOf(doc: Document, targets: ReadonlyMap<Alias, unknown>, path: readonly PathSegment[], anchor: Anchor): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const segment = String(path[i]);
    node = targets.get(node as Alias) ?? node;
    let next: unknown;
    if (isMap(node)) {
      const pair = pairOf(node.items, segment);
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

/** Tokens parsed between two yields: a few milliseconds of work. */
const PARSE_SLICE = 4096;

/** Mappings with more entries than this get an index, so that reporting every entry of a long one stays linear. */
const INDEXED_FROM = 16;

const pairIndexes = new WeakMap<readonly unknown[], Map<string, Pair>>();

/** The first pair of a mapping whose scalar key reads as `segment`. */
function pairOf(items: ReadonlyArray<Pair<unknown, unknown>>, segment: string): Pair | undefined {
  if (items.length <= INDEXED_FROM) {
    for (const item of items) if (isPair(item) && isScalar(item.key) && String(item.key.value) === segment) return item;
    return undefined;
  }
  let index = pairIndexes.get(items);
  if (index === undefined) {
    index = new Map();
    for (const item of items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const key = String(item.key.value);
      if (!index.has(key)) index.set(key, item);
    }
    pairIndexes.set(items, index);
  }
  return index.get(segment);
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
