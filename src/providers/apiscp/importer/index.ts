/**
 * The ApisCP importer's public surface: `importApiscp` (the provider module's `importer`: read
 * the server, decide what to write) and `importSites` (pure: what to write, from what was
 * read). `siteform import` reaches it through the provider registry and writes the files itself.
 */
export { importApiscp, importFields } from "./run-import.js";
export { importSites, type ImportInput, type ImportResult } from "./import-sites.js";
export type { Skipped } from "./import-units.js";
export type { ServiceMap } from "./overrides.js";
export { planNameFor } from "./plan-choice.js";
