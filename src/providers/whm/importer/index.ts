/**
 * The WHM importer's public surface: `importWhm` (the provider module's `importer`: read the
 * server, decide what to write) and `importAccounts` (pure: what to write, from what was read).
 * `siteform import` reaches it through the provider registry and writes the files itself.
 */
export { importWhm, importFields } from "./run-import.js";
export { importAccounts, type ImportInput, type ImportResult } from "./import-accounts.js";
export type { Defaults } from "./overrides.js";
