import { readFile, readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadInventory } from "../../../src/inventory/index.js";
import { SCHEMAS } from "../../../src/inventory/schema.js";
import { isRecord } from "../../../src/inventory/field-path.js";

const ROOT = resolve(".");

async function yamlFiles(): Promise<string[]> {
  const found = ["siteform.yaml"];
  for (const top of ["plans", "sites"]) {
    const entries = await readdir(join(ROOT, top), { recursive: true });
    found.push(...entries.filter((e) => e.endsWith(".yaml")).map((e) => `${top}/${e}`));
  }
  return found;
}

describe("the repository's example inventory", () => {
  it("validates, and shows what an operator keeps", async () => {
    const result = await loadInventory(ROOT, { env: { FRA1_APISCP_KEY: "k", AMS1_APISCP_KEY: "k" }, requireKeys: true });
    expect(result.diagnostics).toEqual([]);
    if (!result.ok) throw new Error("invalid");
    const { servers, plans, groups, sites } = result.inventory;
    expect(servers.map((s) => s.name)).toEqual(["ams1", "fra1"]);
    expect(plans.map((p) => [p.name, p.apiscpPlan])).toEqual([
      ["agency", "business"],
      ["business", "business"],
      ["starter", "basic"],
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.children).toHaveLength(3);
    expect(sites.filter((s) => s.role === "standalone").length).toBeGreaterThanOrEqual(5);
    expect(sites.some((s) => s.state === "suspended" && s.suspendReason !== null)).toBe(true);
    expect(sites.some((s) => s.state === "cancelled" && s.cancelledOn !== null)).toBe(true);
    expect(sites.some((s) => s.protect)).toBe(true);
    expect(sites.some((s) => (s.aliases?.length ?? 0) > 0)).toBe(true);
    expect(sites.some((s) => s.email.length > 1)).toBe(true);
    expect(new Set(sites.map((s) => s.server))).toEqual(new Set(["fra1", "ams1"]));
  });

  it("names its schema in every file's first line, by a path that exists", async () => {
    const expected: Record<string, string> = { siteform: "siteform.schema.json", plans: "repo-plan.schema.json", sites: "site.schema.json" };
    for (const file of await yamlFiles()) {
      const first = (await readFile(join(ROOT, file), "utf8")).split("\n")[0] ?? "";
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(match, file).not.toBeNull();
      const target = resolve(dirname(join(ROOT, file)), match?.[1] ?? "");
      expect(existsSync(target), `${file} → ${target}`).toBe(true);
      expect(target.endsWith(expected[file.split("/")[0]?.replace(".yaml", "") ?? ""] ?? "?"), file).toBe(true);
    }
  });
});

describe("the schemas", () => {
  /** Every property anywhere in a schema, with its JSON path. */
  function properties(node: unknown, path: string): Array<[string, Record<string, unknown>]> {
    if (Array.isArray(node)) return node.flatMap((item, i) => properties(item, `${path}[${i}]`));
    if (!isRecord(node)) return [];
    const own = isRecord(node.properties) ? Object.entries(node.properties).map(([k, v]): [string, Record<string, unknown>] => [`${path}.properties.${k}`, isRecord(v) ? v : {}]) : [];
    return [...own, ...Object.entries(node).flatMap(([k, v]) => properties(v, `${path}.${k}`))];
  }

  it("describe every field", () => {
    for (const [name, schema] of Object.entries(SCHEMAS)) {
      for (const [path, field] of properties(schema, name)) {
        expect(typeof field.description, path).toBe("string");
      }
    }
  });
});
