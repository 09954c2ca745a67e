/**
 * The importer's public surface: `importSites` (pure: what to write) and `writeImport` (the
 * only I/O: write it without overwriting). The CLI's `siteform import` calls both.
 */
export { importSites, type ImportInput, type ImportResult, type ImportedFile } from "./import-sites.js";
export type { Skipped } from "./import-units.js";
export type { ServiceMap } from "./overrides.js";
export { planNameFor } from "./plan-choice.js";
export { writeImport, type WriteResult } from "./write-import.js";
