/**
 * From each file's bytes (or text) to its parsed YAML: which files count, the size limit, strict
 * UTF-8 decoding, and parsing. This is the costly part of a check, so it is a generator that
 * yields between slices of work (steps.ts runs it). No I/O (files.ts reads the directory); what
 * the parsed files mean is check.ts's.
 */
import { createHash } from "node:crypto";
import type { Diagnostic } from "../model/index.js";
import { append, error } from "./diagnostics.js";
import { classifyPath, compareInventoryPaths, isValidPlanName, planNameOf } from "./file-kinds.js";
import { MAX_FILE_BYTES, fileTooLarge } from "./limits.js";
import type { FileKind } from "./schema.js";
import { decodeUtf8 } from "./utf8.js";
import { YamlSource, fileDiagnostic, type ParsedYaml } from "./yaml-source.js";

/**
 * One file of the inventory, by its path relative to the root (`/`-separated): its text
 * (already decoded, as tests and importers hold it), its raw bytes (decoded here, strictly), why
 * it could not be read, or, for a file over MAX_FILE_BYTES, its size (it was not read).
 */
export type SourceText =
  | { file: string; text: string }
  | { file: string; bytes: Uint8Array }
  | { file: string; unreadable: string }
  | { file: string; tooLarge: number };

/** The files read, in report order, and what reading them found. */
export interface ReadFiles {
  parsed: Array<{ kind: FileKind; source: YamlSource }>;
  /** Every plan file's name, including files too broken to read. */
  planNames: string[];
  /** Every file siteform reads, readable or not. */
  files: string[];
  /** A short sha256 of each readable file's text. */
  digests: Record<string, string>;
  diagnostics: Diagnostic[];
}

/** A readable file's text, waiting to be parsed; `at` is its place in report order. */
export interface ParseJob {
  at: number;
  kind: FileKind;
  file: string;
  text: string;
}

/** The files in report order with what could be learned without parsing, and the files left to parse. */
export interface PreparedSources {
  read: Omit<ReadFiles, "parsed">;
  jobs: ParseJob[];
}

/**
 * Orders the files, classifies them and decodes their text: everything before parsing, which
 * is cheap. The jobs may then be parsed in any order and on any thread; `assemble` puts the
 * outcomes back in report order.
 */
export function prepareSources(sources: readonly SourceText[]): PreparedSources {
  const read: PreparedSources["read"] = { planNames: [], files: [], digests: {}, diagnostics: [] };
  const jobs: ParseJob[] = [];
  const ordered = [...sources].sort((a, b) => compareInventoryPaths(a.file, b.file));
  for (const entry of ordered) {
    const file = entry.file;
    const role = classifyPath(file);
    if (role.kind === "ignored") continue;
    if (role.kind === "misnamed") {
      read.diagnostics.push(fileDiagnostic(file, "wrong-extension", "siteform reads `.yaml` files only, so this file is not read", `rename it to ${role.expected}`));
      continue;
    }
    read.files.push(file);
    if (role.kind === "plan") read.planNames.push(checkPlanName(file, read.diagnostics));
    const text = textOf(entry, read.diagnostics);
    if (text === null) continue;
    read.digests[file] = digestOf(text);
    // Diagnostics of the reading so far come first in the report, as they did when parsing went along.
    jobs.push({ at: read.diagnostics.length, kind: role.kind, file, text });
  }
  return { read, jobs };
}

/** Parses jobs one after the other, yielding between slices of work (steps.ts runs it). */
export function* parseJobs(jobs: readonly ParseJob[]): Generator<void, ParsedYaml[]> {
  const out: ParsedYaml[] = [];
  for (const job of jobs) out.push(yield* YamlSource.parseSteps(job.file, job.text));
  return out;
}

/** The read files with each job's outcome (`parsed[i]` is `jobs[i]`'s) in its place. */
export function assemble(prepared: PreparedSources, parsed: readonly ParsedYaml[]): ReadFiles {
  const { read, jobs } = prepared;
  const diagnostics: Diagnostic[] = [];
  const sources: ReadFiles["parsed"] = [];
  let taken = 0;
  jobs.forEach((job, i) => {
    append(diagnostics, read.diagnostics.slice(taken, job.at));
    taken = job.at;
    const result = parsed[i];
    if (result === undefined) throw new Error(`internal: no parse of ${job.file}`);
    if (!result.ok) {
      append(diagnostics, result.diagnostics);
      return;
    }
    append(diagnostics, result.source.warnings);
    sources.push({ kind: job.kind, source: result.source });
  });
  append(diagnostics, read.diagnostics.slice(taken));
  return { ...read, parsed: sources, diagnostics };
}

/** Reads every file, yielding between slices of work; the generator's return value is the outcome. */
export function* readSources(sources: readonly SourceText[]): Generator<void, ReadFiles> {
  const prepared = prepareSources(sources);
  return assemble(prepared, yield* parseJobs(prepared.jobs));
}

/** The file's text, or null after saying why there is none (unreadable, too large, not UTF-8). */
function textOf(entry: SourceText, diagnostics: Diagnostic[]): string | null {
  if ("unreadable" in entry) {
    diagnostics.push(fileDiagnostic(entry.file, "unreadable-file", `cannot read the file: ${entry.unreadable}`, "check the file's permissions"));
    return null;
  }
  if ("tooLarge" in entry) {
    diagnostics.push(fileTooLarge(entry.file, entry.tooLarge));
    return null;
  }
  const size = "bytes" in entry ? entry.bytes.length : Buffer.byteLength(entry.text, "utf8");
  if (size > MAX_FILE_BYTES) {
    diagnostics.push(fileTooLarge(entry.file, size));
    return null;
  }
  if ("text" in entry) return entry.text;
  const decoded = decodeUtf8(entry.file, entry.bytes);
  if (decoded.ok) return decoded.text;
  diagnostics.push(decoded.diagnostic);
  return null;
}

/** Enough of a sha256 to tell that a file changed; not a security boundary (apply re-derives every plan). */
function digestOf(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, 16);
}

function checkPlanName(file: string, diagnostics: Diagnostic[]): string {
  const name = planNameOf(file);
  if (!isValidPlanName(name)) {
    diagnostics.push(
      error(
        "bad-file-name",
        { file, line: 1, column: 1, path: "" },
        `\`${name}\` cannot be a plan name: sites could not refer to it`,
        "name plan files with lowercase letters, digits, `-` and `_` (for example plans/business.yaml)",
      ),
    );
  }
  return name;
}
