/**
 * The inventory's public surface: read and check an inventory directory (or files already in
 * memory), and show the outcome. Everything else in src/inventory is internal.
 */
export { loadInventory, type LoadOptions } from "./load.js";
export { checkInventory, type CheckOptions, type InventoryResult, type SourceText } from "./check.js";
export { renderJson, renderText, jsonReport, summarize, type InventorySummary, type JsonReport } from "./report.js";
export { sortDiagnostics, countDiagnostics, hasErrors } from "./diagnostics.js";
