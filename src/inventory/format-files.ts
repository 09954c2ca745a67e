/**
 * What `siteform fmt` would make of an inventory directory: every file siteform reads
 * (file-kinds.ts), read as bytes, decoded strictly as UTF-8 and put in canonical form
 * (canonical-yaml.ts). Reads only; writing is the command's job, and it writes nothing unless
 * every file parsed, so the outcome is either every file's new text or the errors.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import pLimit from "p-limit";
import type { Diagnostic } from "../model/index.js";
import { canonicalYaml } from "./canonical-yaml.js";
import { hasErrors, sortDiagnostics } from "./diagnostics.js";
import { CONFIG_FILE, classifyPath } from "./file-kinds.js";
import { listInventoryFiles } from "./files.js";
import { decodeUtf8 } from "./utf8.js";
import { fileDiagnostic } from "./yaml-source.js";

export interface FormattedFile {
  /** Relative to the inventory root, `/`-separated, as diagnostics name it. */
  file: string;
  /** The bytes read: the command compares them again right before replacing the file. */
  bytes: Buffer;
  /** The text as read and in canonical form; equal when the file is already canonical. */
  before: string;
  after: string;
}

export type FormatOutcome =
  | { ok: true; files: FormattedFile[]; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[]; files: string[] };

/** Files read at once: enough to overlap disk waits, few enough not to run out of descriptors. */
const READ_CONCURRENCY = 64;

/** The canonical form of every inventory file under `root`; a fired `signal` stops it between files with the signal's reason. */
export async function formatInventory(root: string, options: { signal?: AbortSignal } = {}): Promise<FormatOutcome> {
  const { signal } = options;
  const paths = await listInventoryFiles(root);
  const diagnostics: Diagnostic[] = [];
  const readable: string[] = [];
  for (const file of paths) {
    const role = classifyPath(file);
    // Not read by siteform, so not formatted either: said once, without failing the run (validate fails it).
    if (role.kind === "misnamed") diagnostics.push({ ...fileDiagnostic(file, "wrong-extension", "not formatted: siteform reads `.yaml` files only", `rename it to ${role.expected}`), severity: "warning" });
    else readable.push(file);
  }
  const limit = pLimit(READ_CONCURRENCY);
  const read = await Promise.all(readable.map((file) => limit(() => readOne(root, file, signal))));
  const files: FormattedFile[] = [];
  for (const entry of read) {
    signal?.throwIfAborted();
    if ("problem" in entry) {
      diagnostics.push(entry.problem);
      continue;
    }
    const decoded = decodeUtf8(entry.file, entry.bytes);
    if (!decoded.ok) {
      // Re-encoding would turn the byte into U+FFFD: a changed value, which fmt must never make.
      diagnostics.push(decoded.diagnostic);
      continue;
    }
    const result = canonicalYaml(entry.file, decoded.text);
    if (!result.ok) diagnostics.push(...result.diagnostics);
    else files.push({ file: entry.file, bytes: entry.bytes, before: decoded.text, after: result.text });
  }
  const sorted = sortDiagnostics(diagnostics);
  if (hasErrors(sorted)) return { ok: false, diagnostics: sorted, files: readable };
  return { ok: true, files, diagnostics: sorted };
}

type ReadResult = { file: string; bytes: Buffer } | { file: string; problem: Diagnostic };

async function readOne(root: string, file: string, signal: AbortSignal | undefined): Promise<ReadResult> {
  signal?.throwIfAborted();
  try {
    return { file, bytes: await readFile(join(root, file)) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // listInventoryFiles names siteform.yaml whether or not it exists: a directory without one is not an inventory.
    if (file === CONFIG_FILE && code === "ENOENT") {
      return { file, problem: fileDiagnostic(file, "missing-config", `no ${CONFIG_FILE} in ${root}`, "run siteform in the inventory's root directory, or pass --dir") };
    }
    return { file, problem: fileDiagnostic(file, "unreadable-file", `cannot read the file: ${code ?? (err as Error).message}`, "check the file's permissions") };
  }
}
