/**
 * In-memory inventories for the inventory tests: a small valid base whose files are written
 * out line by line (so a test can see which line a mistake is on), and assertions on
 * diagnostics by code, file, line and message.
 */
import { expect } from "vitest";
import { checkInventory, type CheckOptions, type InventoryResult } from "../../../src/inventory/index.js";
import type { Diagnostic, DiagnosticCode } from "../../../src/model/index.js";

export type Files = Record<string, string>;

export const lines = (...text: string[]): string => `${text.join("\n")}\n`;

export const CONFIG = lines(
  "servers:", //                                  1
  "  fra1:", //                                   2
  "    url: https://fra1.example.net:2083/soap", // 3
  "    key_env: FRA1_KEY", //                     4
  "  ams1:", //                                   5
  "    url: https://ams1.example.net:2083/soap", // 6
  "    key_env: AMS1_KEY", //                     7
);

export const BASIC_PLAN = lines(
  "apiscp_plan: basic", //  1
  "services:", //           2
  "  diskquota:", //        3
  "    quota: 5", //        4
  "    units: GB", //       5
);

/** A standalone site; every field on its own line, in this order. */
export function site(domain: string, user: string, extra: string[] = [], server = "fra1"): string {
  return lines(
    `domain: ${domain}`, //            1
    `server: ${server}`, //            2
    `admin_user: ${user}`, //          3
    `email: owner@${domain}`, //       4
    "plan: basic", //                  5
    ...extra, //                       6…
  );
}

export function baseFiles(): Files {
  return {
    "siteform.yaml": CONFIG,
    "plans/basic.yaml": BASIC_PLAN,
    "sites/alpha.yaml": site("alpha.example", "alpha"),
  };
}

export const KEYS = { FRA1_KEY: "k1", AMS1_KEY: "k2" };

export function check(files: Files, options: CheckOptions = {}): InventoryResult {
  const sources = Object.entries(files).map(([file, text]) => ({ file, text }));
  return checkInventory(sources, { env: KEYS, ...options });
}

export function errorsOf(result: InventoryResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === "error");
}

export interface Expected {
  code: DiagnosticCode;
  file: string;
  line: number;
  column?: number;
  path?: string;
  message: RegExp;
  severity?: Diagnostic["severity"];
}

/** Exactly one diagnostic with this code at this file and line, saying this. */
export function expectDiagnostic(result: InventoryResult, expected: Expected): Diagnostic {
  const found = result.diagnostics.filter((d) => d.code === expected.code && d.file === expected.file && d.line === expected.line);
  expect(found, `diagnostics: ${JSON.stringify(result.diagnostics, null, 1)}`).toHaveLength(1);
  const d = found[0] as Diagnostic;
  if (expected.column !== undefined) expect(d.column).toBe(expected.column);
  if (expected.path !== undefined) expect(d.path).toBe(expected.path);
  expect(d.message).toMatch(expected.message);
  expect(d.severity).toBe(expected.severity ?? "error");
  return d;
}

/** The inventory has exactly these error codes (in report order): no cascade of follow-on errors. */
export function expectErrors(result: InventoryResult, codes: DiagnosticCode[]): void {
  expect(errorsOf(result).map((d) => d.code), JSON.stringify(result.diagnostics, null, 1)).toEqual(codes);
  expect(result.ok).toBe(codes.length === 0);
}
