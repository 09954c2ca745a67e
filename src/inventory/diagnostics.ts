/**
 * Building, ordering and counting diagnostics. Every check returns its problems as values
 * made here; nothing in the inventory throws for a mistake in the YAML. Rendering lives in
 * report.ts.
 */
import { CONFIG_FILE, INVENTORY_FOLDERS } from "./file-kinds.js";
import type { Diagnostic, DiagnosticCode, Severity, SourceRef } from "../model/index.js";

export function diagnostic(severity: Severity, code: DiagnosticCode, at: SourceRef, message: string, hint?: string): Diagnostic {
  const made: Diagnostic = { severity, code, file: at.file, line: at.line, column: at.column, path: at.path, message };
  if (hint !== undefined && hint !== "") made.hint = hint;
  return made;
}

export const error = (code: DiagnosticCode, at: SourceRef, message: string, hint?: string): Diagnostic =>
  diagnostic("error", code, at, message, hint);

export const warning = (code: DiagnosticCode, at: SourceRef, message: string, hint?: string): Diagnostic =>
  diagnostic("warning", code, at, message, hint);

/** siteform.yaml first, then plans/, then the resource folders, as the files are read; anything else last. */
function fileRank(file: string): number {
  if (file === CONFIG_FILE) return 0;
  const folder = INVENTORY_FOLDERS.indexOf(file.slice(0, file.indexOf("/")));
  return folder < 0 || !file.includes("/") ? 1 + INVENTORY_FOLDERS.length : 1 + folder;
}

function compare(a: Diagnostic, b: Diagnostic): number {
  return (
    fileRank(a.file) - fileRank(b.file) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/** Sorted by file, position and severity, exact repeats removed: the same input always reads the same. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const sorted = [...diagnostics].sort(compare);
  return sorted.filter((d, i) => {
    const prev = sorted[i - 1];
    return prev === undefined || compare(prev, d) !== 0 || prev.code !== d.code || prev.path !== d.path;
  });
}

/**
 * Appends every item. Not `target.push(...items)`: that passes each item as an argument, and
 * past about 100,000 (a file of that many unknown fields, within the limits) overflows the stack.
 */
export function append<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

export interface DiagnosticCounts {
  errors: number;
  warnings: number;
}

export function countDiagnostics(diagnostics: readonly Diagnostic[]): DiagnosticCounts {
  let errors = 0;
  for (const d of diagnostics) if (d.severity === "error") errors++;
  return { errors, warnings: diagnostics.length - errors };
}
