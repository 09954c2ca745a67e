/**
 * Which files of an inventory directory siteform reads, and as what: `siteform.yaml` at the
 * root, `plans/**\/*.yaml`, and resource files under `sites/`, `services/` and `licenses/`
 * (one folder per sort of resource where that reads better; a file's kind is said by the file
 * or its server, never by its folder). Pure path rules shared by the directory walk and by
 * tests that build inventories in memory; no I/O.
 */
import type { FileKind } from "./schema.js";

export const CONFIG_FILE = "siteform.yaml";

/** The folders resource files may be in: hosting sites and accounts, ordered services, licences. */
export const RESOURCE_FOLDERS: readonly string[] = ["sites", "services", "licenses"];

/** Every folder siteform reads below the root. */
export const INVENTORY_FOLDERS: readonly string[] = ["plans", ...RESOURCE_FOLDERS];

/** What a path relative to the inventory root is to siteform. */
export type PathRole = { kind: FileKind } | { kind: "misnamed"; expected: string } | { kind: "ignored" };

/**
 * `.yml` files in plans/ or a resource folder are reported rather than skipped: a silently
 * ignored site file is a site that never gets created. Other files there (README.md, notes)
 * are ignored, as are dotfiles and dot-directories.
 */
export function classifyPath(relative: string): PathRole {
  if (relative === CONFIG_FILE) return { kind: "config" };
  const parts = relative.split("/");
  if (parts.some((part) => part.startsWith("."))) return { kind: "ignored" };
  const top = parts[0];
  if (parts.length < 2 || top === undefined || !INVENTORY_FOLDERS.includes(top)) return { kind: "ignored" };
  if (relative.endsWith(".yaml")) return { kind: top === "plans" ? "plan" : "resource" };
  if (relative.endsWith(".yml")) return { kind: "misnamed", expected: `${relative.slice(0, -4)}.yaml` };
  return { kind: "ignored" };
}

/** A plan's name is its path under plans/ without `.yaml`: plans/legacy/basic.yaml is `legacy/basic`. */
export function planNameOf(relative: string): string {
  return relative.slice("plans/".length, -".yaml".length);
}

/** What an entry's `plan:` may name (the same rule every kind's entry schema states). */
const PLAN_NAME = /^[a-z0-9][a-z0-9_-]*(?:\/[a-z0-9][a-z0-9_-]*)*$/u;

/** Whether sites can name this plan: the rule of a site's `plan:` field. */
export function isValidPlanName(name: string): boolean {
  return PLAN_NAME.test(name);
}

/** siteform.yaml, then plans/, then the resource folders in their order, each in code-point order: the order everything is reported in. */
export function compareInventoryPaths(a: string, b: string): number {
  const rank = (p: string): number => (p === CONFIG_FILE ? 0 : 1 + INVENTORY_FOLDERS.indexOf(p.slice(0, p.indexOf("/"))));
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
