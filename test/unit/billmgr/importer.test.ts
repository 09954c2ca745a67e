/**
 * importServices: the files a BILLmanager import writes, from services read through the
 * provider's own reading (observedService over list rows and edit forms as the client gives
 * them). The written files pass the inventory check beside the inventory, and the real planner
 * sees no change for the imported services, except the one recorded name of a service
 * BILLmanager knows without one.
 */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { checkInventory, type SourceText } from "../../../src/inventory/index.js";
import type { Inventory } from "../../../src/model/inventory.js";
import type { ObservedServer } from "../../../src/model/resource.js";
import { buildPlan } from "../../../src/planner/index.js";
import { importFields, importServices, type ImportInput, type ImportResult } from "../../../src/providers/billmgr/importer/index.js";
import { observedService } from "../../../src/providers/billmgr/observe.js";
import type { EditForm, ItemStatus, ServiceRow } from "../../../src/providers/billmgr/results.js";
import type { ItemType } from "../../../src/providers/billmgr/functions.js";

const DATE = "2026-07-01";

const CONFIG = `servers:
  bm1:
    provider: billmgr
    url: https://bm1.example.net:1500
    key_env: BM1_PASSWORD
    user_env: BM1_USER
`;

const KNOWN = "kind: billmgr/service\nserver: bm1\nname: known-vps\nitemtype: vds\ntariff: 12\nperiod: 1\ndomain: known.example\n";

const BASE: Record<string, string> = { "siteform.yaml": CONFIG, "services/known-vps.yaml": KNOWN };

interface Spec {
  id: number;
  itemtype: ItemType;
  remoteid?: string;
  domain?: string;
  licname?: string;
  ip?: string;
  status?: ItemStatus;
  autoprolong?: number;
  period?: number;
  ostempl?: string;
  addons?: Record<string, string>;
}

function row(spec: Spec): ServiceRow {
  const licence = spec.itemtype === "softexternal";
  return {
    id: String(spec.id),
    itemtype: spec.itemtype,
    domain: spec.domain ?? null,
    ip: spec.ip ?? null,
    username: null,
    licname: spec.licname ?? null,
    pricelist: licence ? "14" : spec.itemtype === "vhost" ? "11" : "12",
    datacenter: licence ? null : "Frankfurt DC1",
    createdate: "2026-01-01",
    expiredate: "2026-08-01",
    autoprolong: spec.autoprolong ?? null,
    itemStatus: spec.status ?? 2,
    itemSubstatus: null,
    statusMsg: null,
    cost: "20.00",
    remoteid: spec.remoteid ?? null,
    addons: {},
    raw: {},
  };
}

function form(spec: Spec): EditForm {
  const licence = spec.itemtype === "softexternal";
  return {
    fields: { period: String(spec.period ?? 1), ...(licence ? {} : { datacenter: "1" }), ...(spec.ostempl === undefined ? {} : { ostempl: spec.ostempl }) },
    addons: spec.addons ?? {},
    autoprolong: spec.autoprolong ?? null,
  };
}

/** The server as a collect of every importable field reports it. */
function observedServer(specs: readonly Spec[]): ObservedServer & { ok: true } {
  const fields = importFields();
  return {
    server: "bm1",
    ok: true,
    resources: specs.map((spec) => {
      const r = row(spec);
      return observedService("bm1", r, form(spec), fields[r.itemtype === "softexternal" ? "billmgr/license" : "billmgr/service"] ?? []);
    }),
    templates: { "billmgr/service": [], "billmgr/license": [] },
    fields,
  };
}

function inventoryOf(files: Record<string, string>): { sources: SourceText[]; inventory: Inventory } {
  const sources = Object.entries(files).map(([file, text]) => ({ file, text }));
  const checked = checkInventory(sources);
  if (!checked.ok) throw new Error(`inventory invalid: ${JSON.stringify(checked.diagnostics)}`);
  return { sources, inventory: checked.inventory };
}

function runImport(server: ObservedServer & { ok: true }, inventory: Inventory, extra: Partial<ImportInput> = {}): ImportResult {
  return importServices({ inventory, server: "bm1", observed: server.resources, date: DATE, ...extra });
}

function withImport(sources: SourceText[], result: ImportResult): Inventory {
  const checked = checkInventory([...sources, ...result.files.map((f) => ({ file: f.path, text: f.text }))]);
  expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (!checked.ok) throw new Error("unreachable");
  return checked.inventory;
}

/** The plan's ops on what the import wrote: action, target name, fields changed. */
function importedOps(inventory: Inventory, server: ObservedServer, result: ImportResult): Array<[string, string, string[]]> {
  const paths = new Set(result.files.map((f) => f.path));
  const plan = buildPlan(inventory, [server], { now: "2026-07-01T12:00:00Z", commit: { commit: null, dirty: false }, allowDeletes: null, allowPaid: null, servers: ["bm1"], resetPlanDefaults: false });
  expect(plan.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return plan.ops.filter((op) => op.target.source !== null && paths.has(op.target.source.file)).map((op) => [op.action, op.target.name, op.changes.map((c) => c.field)]);
}

function fileValue(result: ImportResult, path: string): Record<string, unknown> {
  const file = result.files.find((f) => f.path === path);
  if (file === undefined) throw new Error(`no file ${path} among ${result.files.map((f) => f.path).join(", ")}`);
  return parse(file.text) as Record<string, unknown>;
}

function fileText(result: ImportResult, path: string): string {
  return result.files.find((f) => f.path === path)?.text ?? "";
}

const SPECS: Spec[] = [
  { id: 101, itemtype: "vds", remoteid: "known-vps", domain: "known.example" },
  { id: 102, itemtype: "vds", remoteid: "shop-vps", domain: "Shop.Example", period: 3, autoprolong: 3, ostempl: "ISPsystem__Debian-12-x86_64", addons: { "22": "4", "23": "1" } },
  { id: 103, itemtype: "vhost", remoteid: "old-hosting", domain: "old.example", status: 3, addons: { "21": "10" } },
  { id: 104, itemtype: "softexternal", remoteid: "cl-web1", licname: "web1.example", ip: "203.0.113.5", period: 12 },
  { id: 105, itemtype: "vhost", domain: "legacy.example" },
  { id: 106, itemtype: "softexternal", licname: "web2.example", ip: "203.0.113.6" },
  { id: 107, itemtype: "vds", remoteid: "new-vps", domain: "new.example", status: 5 },
  { id: 108, itemtype: "vds", remoteid: "Shop_VPS 2", domain: "two.example" },
];

describe("importServices", () => {
  it("writes each service and licence git does not name, shaped as the schemas say, and the plan sees no change", () => {
    const { sources, inventory } = inventoryOf(BASE);
    const server = observedServer(SPECS);
    const result = runImport(server, inventory);
    expect(result.files.map((f) => f.path)).toEqual([
      "services/shop-vps.yaml",
      "services/old-hosting.yaml",
      "services/legacy-example.yaml",
      "services/two-example.yaml",
      "licenses/cl-web1.yaml",
      "licenses/web2-example.yaml",
    ]);
    expect(result.skipped).toEqual([{ id: "107", name: "new-vps", reason: "BILLmanager is still setting it up (ordered or processing): import again when it is active" }]);
    // Keys in the order the schema documents them; the domain lowercase; add-ons by id.
    const shop = fileValue(result, "services/shop-vps.yaml");
    expect(Object.keys(shop)).toEqual(["kind", "server", "name", "itemtype", "tariff", "datacenter", "period", "domain", "os_template", "autoprolong", "services"]);
    expect(shop).toEqual({
      kind: "billmgr/service",
      server: "bm1",
      name: "shop-vps",
      itemtype: "vds",
      tariff: 12,
      datacenter: 1,
      period: 3,
      domain: "shop.example",
      os_template: "ISPsystem__Debian-12-x86_64",
      autoprolong: 3,
      services: { addons: { addon_22: 4, addon_23: 1 } },
    });
    expect(fileValue(result, "services/old-hosting.yaml")).toMatchObject({ autoprolong: "off", state: "suspended", services: { addons: { addon_21: 10 } } });
    expect(fileValue(result, "licenses/cl-web1.yaml")).toEqual({ kind: "billmgr/license", server: "bm1", name: "cl-web1", tariff: 14, period: 12, licname: "web1.example", ip: "203.0.113.5", autoprolong: "off" });
    for (const file of result.files) {
      expect(file.text).not.toMatch(/^renew_ahead_days/m);
      expect(file.text).toMatch(/# No renew_ahead_days: without it siteform never renews this (service|licence); add it/);
    }
    expect(fileText(result, "services/shop-vps.yaml")).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/src\/providers\/billmgr\/schemas\/service\.schema\.json\n# Imported from server bm1 on 2026-07-01 by siteform import\. BILLmanager service id: 102\.\n/,
    );

    // Known without a siteform name: a made-up one; found by its domain, or (a licence) by a pin.
    expect(fileValue(result, "services/legacy-example.yaml")).toMatchObject({ name: "legacy-example", domain: "legacy.example" });
    expect(fileValue(result, "services/legacy-example.yaml")).not.toHaveProperty("id");
    expect(fileValue(result, "licenses/web2-example.yaml")).toMatchObject({ name: "web2-example", id: "106" });
    expect(fileText(result, "licenses/web2-example.yaml")).toMatch(/without a siteform name \(it has no remoteid\): "web2-example" was made up, and the plan finds it by its id/);
    expect(fileText(result, "services/two-example.yaml")).toMatch(/its remoteid "Shop_VPS 2" cannot be a siteform name/);

    const after = withImport(sources, result);
    expect(importedOps(after, server, result)).toEqual([
      ["update", "Shop_VPS 2", ["service.name"]],
      ["update", "legacy.example", ["service.name"]],
      ["update", "web2.example", ["license.name"]],
    ]);
    // Once those names are BILLmanager's remoteids, nothing is left to do.
    const recorded = observedServer(SPECS.map((s) => (s.id === 105 ? { ...s, remoteid: "legacy-example" } : s.id === 106 ? { ...s, remoteid: "web2-example" } : s.id === 108 ? { ...s, remoteid: "two-example" } : s)));
    expect(importedOps(after, recorded, result)).toEqual([]);
  });

  it("never imports what the inventory names, and a second import writes nothing", () => {
    const { sources, inventory } = inventoryOf(BASE);
    const server = observedServer(SPECS);
    const first = runImport(server, inventory);
    const again = runImport(server, withImport(sources, first));
    expect(again.files).toEqual([]);
    expect(again.skipped.map((s) => s.id)).toEqual(["107"]);
  });

  it("makes a name no entry or other service holds, and pins a service whose domain another shares", () => {
    const taken = "kind: billmgr/license\nserver: bm1\nname: web2-example\ntariff: 14\nperiod: 1\nip: 203.0.113.9\nlicname: web9.example\n";
    const { sources, inventory } = inventoryOf({ "siteform.yaml": CONFIG, "licenses/other.yaml": taken });
    const server = observedServer([
      { id: 106, itemtype: "softexternal", licname: "web2.example", ip: "203.0.113.6" },
      { id: 109, itemtype: "softexternal", remoteid: "web2-example", licname: "web9.example", ip: "203.0.113.9" },
      { id: 110, itemtype: "vhost", domain: "twin.example" },
      { id: 111, itemtype: "vhost", domain: "twin.example" },
      { id: 112, itemtype: "vhost", remoteid: "twin-example", domain: "else.example" },
    ]);
    const result = runImport(server, inventory);
    expect(fileValue(result, "licenses/web2-example-2.yaml")).toMatchObject({ name: "web2-example-2", id: "106" });
    expect(fileValue(result, "services/twin-example-2.yaml")).toMatchObject({ name: "twin-example-2", id: "110" });
    // The inventory keeps a domain unique per server: the second twin is written without it.
    expect(fileValue(result, "services/twin-example-3.yaml")).toMatchObject({ name: "twin-example-3", id: "111" });
    expect(fileValue(result, "services/twin-example-3.yaml")).not.toHaveProperty("domain");
    expect(fileText(result, "services/twin-example-3.yaml")).toMatch(/its domain "twin\.example" is not written: services\/twin-example-2\.yaml already has it/);
    expect(fileValue(result, "services/twin-example.yaml")).toMatchObject({ name: "twin-example" });
    expect(importedOps(withImport(sources, result), server, result).map(([, name, fields]) => [name, fields])).toEqual([
      ["twin.example", ["service.name"]],
      ["twin.example", ["service.name"]],
      ["web2.example", ["license.name"]],
    ]);
  });

  it("leaves out a value the schema refuses, with a note, and pins a service whose domain could not be written", () => {
    const { sources, inventory } = inventoryOf({ "siteform.yaml": CONFIG });
    const server = observedServer([
      { id: 120, itemtype: "vds", domain: "not_a_domain", ostempl: "x".repeat(101), addons: { "22": "large" } },
    ]);
    const result = runImport(server, inventory);
    const value = fileValue(result, "services/not-a-domain.yaml");
    expect(value).toMatchObject({ name: "not-a-domain", id: "120" });
    expect(value).not.toHaveProperty("domain");
    expect(value).not.toHaveProperty("os_template");
    expect(value).not.toHaveProperty("services");
    const text = fileText(result, "services/not-a-domain.yaml");
    expect(text).toMatch(/# Note: its domain "not_a_domain" is not written: it does not fit the schema/);
    expect(text).toMatch(/# Note: add-on addon_22 \("large"\) is not written/);
    expect(importedOps(withImport(sources, result), server, result)).toEqual([["update", "not_a_domain", ["service.name"]]]);
  });

  it("never reuses a path taken on disk", () => {
    const { inventory } = inventoryOf(BASE);
    const result = runImport(observedServer(SPECS.slice(1, 2)), inventory, { exists: (path) => path === "services/shop-vps.yaml" });
    expect(result.files.map((f) => f.path)).toEqual(["services/shop-vps-2.yaml"]);
  });

  it("with a selection imports the services named by id, remoteid or domain and reports the rest", () => {
    const { inventory } = inventoryOf(BASE);
    const result = runImport(observedServer(SPECS), inventory, { select: ["104", "shop-vps", "LEGACY.EXAMPLE", "known-vps", "missing"] });
    expect(result.files.map((f) => f.path)).toEqual(["services/shop-vps.yaml", "services/legacy-example.yaml", "licenses/cl-web1.yaml"]);
    expect(result.skipped).toEqual([
      { id: "101", name: "known-vps", reason: "it is already in the inventory (services/known-vps.yaml)" },
      { id: null, name: "missing", reason: "no service or licence on this server has this id, remoteid or domain" },
    ]);
  });
});
