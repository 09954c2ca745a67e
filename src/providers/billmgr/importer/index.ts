/**
 * The BILLmanager importer's public surface: `importBillmgr` (the provider module's `importer`:
 * read the account, decide what to write) and `importServices` (pure: what to write, from what
 * was read). `siteform import` reaches it through the provider registry and writes the files.
 */
export { importBillmgr, importFields, MAX_ADDON_ID } from "./run-import.js";
export { importServices, type ImportInput, type ImportResult } from "./import-services.js";
