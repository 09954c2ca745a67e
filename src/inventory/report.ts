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
  /** Every resource, of any kind (the name is from when every resource was a site). */
  sites?: number;
  /** Per kind that has any, in the catalogue's order: how many resources, and how many groups of them. */
  kinds?: KindCount[];
}

export interface KindCount {
  kind: string;
  /** One resource, for people (`site`, `account`). */
  noun: string;
  count: number;
  groups: number;
  /** What a group of them is called (`invoice group`); null for a kind without groups. */
  groupLabel: string | null;
}

export function summarize(result: InventoryResult): InventorySummary {
  const summary: InventorySummary = { ...countDiagnostics(result.diagnostics), files: result.files.length };
  if (result.ok) {
    const { servers, plans, resources, catalogue } = result.inventory;
    // A group is the entries of one file beyond the first.
    const groupFiles = (of: typeof resources): number => new Set(of.filter((r) => r.key.includes("#")).map((r) => r.source.file)).size;
    const kinds: KindCount[] = catalogue.all().flatMap((kind) => {
      const mine = resources.filter((r) => r.kind === kind.id);
      if (mine.length === 0) return [];
      return [{ kind: kind.id, noun: kind.noun, count: mine.length, groups: groupFiles(mine), groupLabel: kind.declaration.group?.label ?? null }];
    });
    Object.assign(summary, { servers: servers.length, plans: plans.length, groups: groupFiles(resources), sites: resources.length, kinds });
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
    const counts = (s.kinds ?? []).map((k) => `${plural(k.count, k.noun)}${k.groups === 0 || k.groupLabel === null ? "" : ` (${plural(k.groups, k.groupLabel)})`}`);
    if (counts.length === 0) counts.push(plural(0, "resource"));
    lines.push(c.green(`inventory is valid: ${counts.join(", ")}, ${plural(s.plans ?? 0, "plan")}, ${plural(s.servers ?? 0, "server")}`));
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
