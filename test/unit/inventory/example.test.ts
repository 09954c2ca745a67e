import { readFile, readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadInventory } from "../../../src/inventory/index.js";
import { CONFIG_SCHEMA } from "../../../src/inventory/schema.js";
import { isRecord } from "../../../src/inventory/field-path.js";
import { catalogueOf } from "../../../src/providers/registry.js";
import envelopeSchema from "../../../schemas/resource.schema.json" with { type: "json" };

const ROOT = resolve(".");
const ENV = { FRA1_APISCP_KEY: "k", AMS1_APISCP_KEY: "k", CP1_WHM_TOKEN: "T", CP1_WHM_USER: "root", BM1_BILLMGR_PASSWORD: "p", BM1_BILLMGR_USER: "u" };

async function yamlFiles(): Promise<string[]> {
  const found = ["siteform.yaml"];
  for (const top of ["plans", "sites", "services", "licenses"]) {
    const entries = await readdir(join(ROOT, top), { recursive: true });
    found.push(...entries.filter((e) => e.endsWith(".yaml")).map((e) => `${top}/${e}`));
  }
  return found;
}

describe("the repository's example inventory", () => {
  it("validates, and shows what an operator keeps", async () => {
    const result = await loadInventory(ROOT, { env: ENV, requireKeys: true });
    expect(result.diagnostics).toEqual([]);
    if (!result.ok) throw new Error("invalid");
    const { servers, plans, resources: all } = result.inventory;
    expect(servers.map((s) => [s.name, s.provider])).toEqual([
      ["ams1", "apiscp"],
      ["bm1", "billmgr"],
      ["cp1", "whm"],
      ["fra1", "apiscp"],
    ]);
    // What the company buys from its BILLmanager: a backup server and a licence, kept paid ahead.
    expect(all.filter((r) => r.kind.startsWith("billmgr/")).map((r) => [r.kind, r.name, r.source.file])).toEqual([
      ["billmgr/service", "backup-vps", "services/backup-vps.yaml"],
      ["billmgr/license", "cloudlinux-fra1", "licenses/cloudlinux-fra1.yaml"],
    ]);
    expect(plans.map((p) => [p.name, p.kind, p.template])).toEqual([
      ["agency", "apiscp/site", "business"],
      ["business", "apiscp/site", "business"],
      ["cpanel-business", "whm/account", "business"],
      ["cpanel-starter", "whm/account", "starter"],
      ["starter", "apiscp/site", "basic"],
    ]);
    // The WHM server's accounts: one active, one with limits of its own, one suspended.
    const accounts = all.filter((r) => r.kind === "whm/account");
    expect(accounts.map((a) => [a.name, a.server, a.state])).toEqual([
      ["lindqvist-design.example", "cp1", "active"],
      ["summit-outdoor.example", "cp1", "suspended"],
      ["tidewater-cafe.example", "cp1", "active"],
    ]);
    expect(accounts.find((a) => a.name === "lindqvist-design.example")?.fields.limits).toMatchObject({ disk_mb: 51200, bandwidth_mb: "unlimited" });
    const resources = all.filter((r) => r.kind === "apiscp/site");
    expect(resources).toHaveLength(all.length - accounts.length - 2);
    // One invoice group: a parent holding the invoice, three children naming it.
    const grouped = resources.filter((r) => r.key.includes("#"));
    expect(new Set(grouped.map((r) => r.key.split("#")[0]))).toHaveProperty("size", 1);
    const parent = grouped.find((r) => r.key.endsWith("#0"));
    const invoice = parent?.fields.billing?.invoice;
    expect(typeof invoice).toBe("string");
    const children = resources.filter((r) => r.fields.billing?.parent_invoice !== undefined && r.fields.billing.parent_invoice !== null);
    expect(children).toHaveLength(3);
    expect(children.every((c) => c.fields.billing?.parent_invoice === invoice)).toBe(true);
    expect(resources.filter((r) => !r.key.includes("#")).length).toBeGreaterThanOrEqual(5);
    expect(resources.some((s) => s.state === "suspended" && s.suspendReason !== null)).toBe(true);
    expect(resources.some((s) => s.state === "cancelled" && s.cancelledOn !== null)).toBe(true);
    expect(resources.some((s) => s.protect)).toBe(true);
    expect(resources.some((s) => { const aliases = s.fields.aliases?.aliases; return Array.isArray(aliases) && aliases.length > 0; })).toBe(true);
    expect(resources.some((s) => { const email = s.fields.siteinfo?.email; return Array.isArray(email) && email.length > 1; })).toBe(true);
    expect(new Set(resources.map((s) => s.server))).toEqual(new Set(["fra1", "ams1"]));
  });

  it("names its schema in every file's first line, by a path that exists", async () => {
    const result = await loadInventory(ROOT, { env: ENV });
    if (!result.ok) throw new Error("invalid");
    const kindOf = new Map([...result.inventory.plans.map((p) => [p.source.file, p.kind] as const), ...result.inventory.resources.map((r) => [r.source.file, r.kind] as const)]);
    /** The schema a file's kind is checked against: its provider's entry or plan schema. */
    const SCHEMA: Record<string, Record<string, string>> = {
      "apiscp/site": { plans: "/src/providers/apiscp/schemas/plan.schema.json", sites: "/src/providers/apiscp/schemas/site.schema.json" },
      "whm/account": { plans: "/src/providers/whm/schemas/plan.schema.json", sites: "/src/providers/whm/schemas/account.schema.json" },
      "billmgr/service": { services: "/src/providers/billmgr/schemas/service.schema.json" },
      "billmgr/license": { licenses: "/src/providers/billmgr/schemas/license.schema.json" },
    };
    for (const file of await yamlFiles()) {
      const top = file.split("/")[0] ?? "";
      const expected = top === "siteform.yaml" ? "/schemas/siteform.schema.json" : (SCHEMA[kindOf.get(file) ?? ""]?.[top] ?? "?");
      const first = (await readFile(join(ROOT, file), "utf8")).split("\n")[0] ?? "";
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(match, file).not.toBeNull();
      const target = resolve(dirname(join(ROOT, file)), match?.[1] ?? "");
      expect(existsSync(target), `${file} → ${target}`).toBe(true);
      expect(target.endsWith(expected), `${file} → ${target}, not ${expected}`).toBe(true);
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

  /** The inventory's schemas: siteform.yaml's, the resource envelope, and each kind's fields, entry and repository plan. */
  function inventorySchemas(): Array<[string, unknown]> {
    const out: Array<[string, unknown]> = [["siteform", CONFIG_SCHEMA], ["resource", envelopeSchema]];
    for (const kind of catalogueOf().all()) {
      const d = kind.declaration;
      out.push([`${d.id} fields`, d.fields], [`${d.id} entry`, d.entry]);
      if (d.plan !== null) out.push([`${d.id} plan`, d.plan]);
    }
    return out;
  }

  it("describe every field", () => {
    const schemas = inventorySchemas();
    expect(schemas.map(([name]) => name)).toEqual(expect.arrayContaining(["siteform", "resource", "apiscp/site fields", "apiscp/site entry", "apiscp/site plan"]));
    for (const [name, schema] of schemas) {
      for (const [path, field] of properties(schema, name)) {
        expect(typeof field.description, path).toBe("string");
      }
    }
  });

  it("give every kind an entry shape with the envelope's fields (a plan only with templates, a suspend reason only where the panel stores one)", () => {
    for (const kind of catalogueOf().all()) {
      const d = kind.declaration;
      const envelope = Object.keys(envelopeSchema.properties).filter(
        (field) => (field !== "plan" || d.template !== null) && (field !== "suspend_reason" || d.capabilities.suspendReason),
      );
      const entry = d.entry;
      const shapes = [entry, ...Object.values(isRecord(entry.$defs) ? entry.$defs : {})].filter(isRecord);
      const standalone = shapes.find((shape) => isRecord(shape.properties) && envelope.every((field) => field in (shape.properties as object)));
      expect(standalone, `${kind.id}: no entry shape declares ${envelope.join(", ")}`).toBeDefined();
    }
  });
});
