/**
 * The two ways an inventory check is shown: text a compiler user recognises
 * (`sites/acme.yaml:12:5 error …`, a hint line, a summary), and a JSON document for tools.
 * Pure: the caller says whether colour is allowed and prints the result.
 */
import pc from "picocolors";
import type { Diagnostic } from "../model/index.js";
import type { InventoryResult } from "./check.js";
import { countDiagnostics } from "./diagnostics.js";
import { plural } from "../render/counts.js";
import { safeText } from "../render/format-value.js";

export interface InventorySummary {
  errors: number;
  warnings: number;
  files: number;
  /** Present when the inventory resolved. */
  servers?: number;
  plans?: number;
  groups?: number;
  sites?: number;
}

export function summarize(result: InventoryResult): InventorySummary {
  const summary: InventorySummary = { ...countDiagnostics(result.diagnostics), files: result.files.length };
  if (result.ok) {
    const { servers, plans, resources } = result.inventory;
    // A group is the entries of one file beyond the first.
    const groups = new Set(resources.filter((r) => r.key.includes("#")).map((r) => r.source.file)).size;
    Object.assign(summary, { servers: servers.length, plans: plans.length, groups, sites: resources.length });
  }
  return summary;
}

export function renderText(result: InventoryResult, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const lines: string[] = [];
  for (const d of result.diagnostics) {
    const severity = d.severity === "error" ? c.red(c.bold("error")) : c.yellow(c.bold("warning"));
    // File names, keys and values come from the inventory: shown escaped, never as terminal control.
    const path = d.path === "" ? "" : ` ${c.dim(`[${safeText(d.path)}]`)}`;
    lines.push(`${c.bold(`${safeText(d.file)}:${d.line}:${d.column}`)} ${severity} ${safeText(d.message)}${path}`);
    if (d.hint !== undefined) lines.push(`  ${c.cyan("hint:")} ${safeText(d.hint)}`);
  }
  const s = summarize(result);
  if (result.ok) {
    const groups = s.groups === 0 ? "" : ` (${plural(s.groups ?? 0, "invoice group")})`;
    lines.push(c.green(`inventory is valid: ${plural(s.sites ?? 0, "site")}${groups}, ${plural(s.plans ?? 0, "plan")}, ${plural(s.servers ?? 0, "server")}`));
  }
  lines.push(`${plural(s.errors, "error")}, ${plural(s.warnings, "warning")} in ${plural(s.files, "file")}`);
  return `${lines.join("\n")}\n`;
}

export interface JsonReport {
  valid: boolean;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  summary: InventorySummary;
}

export function jsonReport(result: InventoryResult): JsonReport {
  return {
    valid: result.ok,
    errors: result.diagnostics.filter((d) => d.severity === "error"),
    warnings: result.diagnostics.filter((d) => d.severity === "warning"),
    summary: summarize(result),
  };
}

export function renderJson(result: InventoryResult): string {
  return `${JSON.stringify(jsonReport(result), null, 2)}\n`;
}
