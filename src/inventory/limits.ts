/**
 * The inventory's size limits, in one place so that docs/inventory.md, the checks and the tests
 * agree. They exist so that any inventory is accepted or refused in time linear in its size
 * and in bounded memory, and so that a signal can stop `siteform validate` within a moment:
 * each is checked before the work it bounds (the byte size before a file is read, the token
 * count and nesting while it is parsed, alias expansion before the plain value is built, the
 * number of schema problems worded per file).
 * How many items one field's list may hold is each schema's `maxItems` (aliases, e-mail
 * addresses, a group's sites), not a limit of this file. Owns the numbers and their wording; no
 * I/O.
 */
import type { Diagnostic, SourceRef } from "../model/index.js";
import { error } from "./diagnostics.js";

/** The largest inventory file siteform reads: an invoice group of a thousand sites is about 200 KB. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/**
 * The most YAML tokens (a key, a scalar, `-`, `:`, `,`, a bracket, an anchor, a run of spaces,
 * a comment, a line break) one file may hold. Bytes alone do not bound the parser's work: 8 MiB
 * of `[a,a,a,…` is 4 million values, which would take the YAML library 20 s and 3 GB. A line of
 * a site file is 5 to 8 tokens, so this is over 120,000 lines: an invoice group of the most
 * sites a group may have (10,000) is about 600,000.
 */
export const MAX_FILE_TOKENS = 1_000_000;

/** The deepest nesting of mappings and lists: an invoice group's service parameters sit 6 levels down. */
export const MAX_DEPTH = 64;

/**
 * The most values (every scalar, mapping and list, counting each use of an alias `*name` as a
 * copy of what its anchor holds) one file may expand to: aliases of aliases grow exponentially
 * ("billion laughs"), and every check walks the expanded value.
 */
export const MAX_EXPANDED_VALUES = 1_000_000;

/**
 * The most schema problems listed for one file; the rest are counted in one more diagnostic.
 * A generated file can hold 200,000 unknown fields within the limits above: wording each takes
 * seconds and the list helps nobody, while the first thousand show what is wrong.
 */
export const MAX_SCHEMA_PROBLEMS_PER_FILE = 1_000;

const HINT_SPLIT = "an inventory file is one site, one invoice group or one plan: split it, or shorten its lists";

export function mebibytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** A file larger than MAX_FILE_BYTES, reported without reading (or parsing) it. */
export function fileTooLarge(file: string, bytes: number): Diagnostic {
  return error(
    "file-too-large",
    { file, line: 1, column: 1, path: "" },
    `the file is ${mebibytes(bytes)}: siteform reads inventory files of at most ${mebibytes(MAX_FILE_BYTES)}, so it was not read`,
    HINT_SPLIT,
  );
}

export function tooManyTokens(at: SourceRef): Diagnostic {
  return error("limit-exceeded", at, `the file holds more than ${MAX_FILE_TOKENS.toLocaleString("en")} YAML tokens (keys, values, punctuation, comments and line breaks); reading stopped here`, HINT_SPLIT);
}

export function tooDeep(at: SourceRef): Diagnostic {
  return error("limit-exceeded", at, `mappings and lists are nested more than ${MAX_DEPTH} levels deep here`, "no inventory file needs more than a few levels: check the indentation and the brackets");
}

export function tooManyProblems(at: SourceRef, unlisted: number): Diagnostic {
  return error(
    "too-many-problems",
    at,
    `${unlisted.toLocaleString("en")} more problems in this file are not listed, the first of them here: siteform lists at most ${MAX_SCHEMA_PROBLEMS_PER_FILE.toLocaleString("en")} per file`,
    "fix the problems listed, then validate again",
  );
}

export function tooManyExpandedValues(at: SourceRef): Diagnostic {
  return error(
    "limit-exceeded",
    at,
    `the file's aliases expand it to more than ${MAX_EXPANDED_VALUES.toLocaleString("en")} values; expansion stopped at this alias`,
    "an alias (`*name`) stands for a copy of its anchor's value: anchor small mappings such as shared `services`, not aliases of aliases",
  );
}
