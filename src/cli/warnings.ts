/**
 * Inventory warnings beside a plan, on stderr, in the form `--log-format` chose.
 */
import { createApplyLogger } from "../applier/log.js";
import type { Catalogue } from "../kinds/catalogue.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { CliIO } from "./io.js";
import { logFormatOf } from "./output.js";

/** Inventory warnings beside a plan, on stderr: `file:line:column warning …` lines, or one JSON object each. */
export function printWarnings(warnings: readonly Diagnostic[], io: CliIO, catalogue: Catalogue): void {
  if (logFormatOf(io) === "json") {
    const logger = createApplyLogger({ write: (line: string) => io.stderr(line) }, { catalogue });
    for (const w of warnings) logger.warn({ event: "inventory-warning", file: w.file, line: w.line, column: w.column, code: w.code, hint: w.hint }, w.message);
    return;
  }
  for (const w of warnings) io.stderr(`${w.file}:${w.line}:${w.column} warning ${w.message}${w.hint === undefined ? "" : `\n  hint: ${w.hint}`}\n`);
}
