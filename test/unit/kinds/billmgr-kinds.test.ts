/**
 * BILLmanager's two kinds as the core plans them, before the provider is registered: services
 * and licences validate from services/ and licenses/, an order costs money and is capped, a
 * service still being ordered or processed gets nothing, a renewal is planned only when the
 * expiry is closer than `renew_ahead_days`, and mistakes are reported at their line.
 */
import { describe, expect, it } from "vitest";
import { resolveScope } from "../../../src/engine/scope.js";
import { checkInventory } from "../../../src/inventory/index.js";
import { Catalogue } from "../../../src/kinds/catalogue.js";
import type { Inventory, ObservedResource, ObservedServer } from "../../../src/model/index.js";
import { buildPlan } from "../../../src/planner/index.js";
import { APISCP } from "../../../src/providers/apiscp/module.js";
import { KINDS, LICENSE_KIND, SERVICE_KIND } from "../../../src/providers/billmgr/kinds.js";

const catalogue = new Catalogue([...APISCP.kinds, ...KINDS]);
const lines = (...text: string[]): string => `${text.join("\n")}\n`;
const CONFIG = lines("servers:", "  bm1:", "    provider: billmgr", "    url: https://billing.example.net:1500", "    key_env: BM1_PASSWORD", "    user_env: BM1_USER", "policy:", "  max_paid_ops: 1");
const SHOP = lines("kind: billmgr/service", "name: shop-vps", "server: bm1", "itemtype: vds", "tariff: 12", "datacenter: 1", "period: 12", "domain: shop.example", "os_template: debian-12", "autoprolong: off", "renew_ahead_days: 30", "services:", "  addons:", "    addon_5: 20");
const LICENCE = lines("kind: billmgr/license", "name: cloudlinux-fra1", "server: bm1", "tariff: 31", "period: 1", "licname: fra1.panel.example.net", "ip: 203.0.113.10", "renew_ahead_days: 10");
const TODAY = "2026-06-15";

function check(files: Record<string, string>) {
  return checkInventory(
    Object.entries({ "siteform.yaml": CONFIG, ...files }).map(([file, text]) => ({ file, text })),
    { catalogue, env: { BM1_PASSWORD: "p", BM1_USER: "u" }, today: TODAY },
  );
}

function inventory(files: Record<string, string>): Inventory {
  const result = check(files);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`).join("; "));
  return result.inventory;
}

function observed(resources: ObservedResource[]): ObservedServer {
  return {
    server: "bm1",
    ok: true,
    resources,
    templates: {},
    fields: { [SERVICE_KIND]: ["addons.addon_5", "renewal.paid_until", "service.domain", "service.name"], [LICENSE_KIND]: ["license.ip", "license.licname", "license.name", "renewal.paid_until"] },
  };
}

function plan(inv: Inventory, resources: ObservedResource[], allowPaid: number | null = null) {
  return buildPlan(inv, [observed(resources)], { now: `${TODAY}T08:00:00Z`, commit: { commit: null, dirty: false }, allowDeletes: null, allowPaid, servers: ["bm1"], resetPlanDefaults: false });
}

function shopAsOrdered(state: ObservedResource["state"], paidUntil: string): ObservedResource {
  const fields = structuredClone(inventory({ "services/shop.yaml": SHOP }).resources[0]?.fields ?? {}) as Record<string, Record<string, unknown>>;
  (fields.renewal ??= {}).paid_until = paidUntil;
  return { server: "bm1", kind: SERVICE_KIND, id: "4711", name: "shop-vps", state, fields: fields as ObservedResource["fields"] };
}

describe("BILLmanager services and licences", () => {
  it("validate from services/ and licenses/, with the days ahead resolved from the plan's day", () => {
    const inv = inventory({ "services/shop.yaml": SHOP, "licenses/cloudlinux.yaml": LICENCE });
    expect(inv.resources.map((r) => [r.kind, r.name, r.server])).toEqual([
      [SERVICE_KIND, "shop-vps", "bm1"],
      [LICENSE_KIND, "cloudlinux-fra1", "bm1"],
    ]);
    expect(inv.resources[0]?.fields).toMatchObject({ service: { itemtype: "vds", tariff: 12, autoprolong: "off" }, addons: { addon_5: 20 }, renewal: { paid_until: "2026-07-15" } });
    expect(inv.resources[1]?.fields).toMatchObject({ license: { ip: "203.0.113.10", licname: "fra1.panel.example.net" }, renewal: { paid_until: "2026-06-25" } });
  });

  it("order as paid actions, refused above policy.max_paid_ops unless allowed", () => {
    const inv = inventory({ "services/shop.yaml": SHOP, "licenses/cloudlinux.yaml": LICENCE });
    const refused = plan(inv, []);
    expect(refused.ops.filter((o) => o.action === "create").map((o) => [o.id, o.paid]).sort()).toEqual([
      ["bm1:create:shop-vps", true],
      ["bm1:licence:create:cloudlinux-fra1", true],
    ]);
    expect(refused.diagnostics.map((d) => d.code)).toContain("too-many-paid-ops");
    expect(plan(inv, [], 2).diagnostics.map((d) => d.code)).not.toContain("too-many-paid-ops");
  });

  it("plan nothing for a service still being ordered or processed, and no second order", () => {
    const inv = inventory({ "services/shop.yaml": SHOP });
    const processing = plan(inv, [shopAsOrdered("transitional", "2026-06-16")]);
    expect(processing.ops).toEqual([]);
    expect(processing.diagnostics.map((d) => d.code)).toContain("transitional");
  });

  it("renew only when the expiry is closer than renew_ahead_days", () => {
    const inv = inventory({ "services/shop.yaml": SHOP });
    const due = plan(inv, [shopAsOrdered("active", "2026-07-01")], 1);
    expect(due.ops.map((o) => [o.id, o.action, o.paid])).toEqual([["bm1:renew:shop-vps", "renew", true]]);
    expect(due.ops[0]?.changes).toEqual([{ field: "renewal.paid_until", before: "2026-07-01", after: "2026-07-15" }]);
    expect(plan(inv, [shopAsOrdered("active", "2026-12-31")]).ops).toEqual([]);
  });

  it("report a wrong value at its line, and a service without a tariff", () => {
    const bad = check({ "services/shop.yaml": SHOP.replace("tariff: 12", 'tariff: "twelve"').replace("itemtype: vds", "itemtype: vps") });
    expect(bad.diagnostics.filter((d) => d.severity === "error").map((d) => [d.file, d.line, d.code])).toEqual([
      ["services/shop.yaml", 4, "bad-value"],
      ["services/shop.yaml", 5, "wrong-type"],
    ]);
    const missing = check({ "services/shop.yaml": SHOP.replace("tariff: 12\n", "") });
    expect(missing.diagnostics.map((d) => [d.code, d.message])).toContainEqual(["missing-field", "missing required field `tariff`"]);
  });

  it("count raising an add-on as a paid update, and lowering it or switching auto-renewal as free", () => {
    const inv = inventory({ "services/shop.yaml": SHOP });
    const withAddon = (units: number, autoprolong: number | string = "off", paidUntil = "2026-12-31"): ObservedResource => {
      const shop = shopAsOrdered("active", paidUntil);
      const fields = structuredClone(shop.fields) as Record<string, Record<string, unknown>>;
      (fields.addons ??= {}).addon_5 = units;
      (fields.service ??= {}).autoprolong = autoprolong;
      return { ...shop, fields: fields as ObservedResource["fields"] };
    };
    const raised = plan(inv, [withAddon(10)]);
    expect(raised.ops.map((o) => [o.id, o.paid])).toEqual([["bm1:update:shop-vps", true]]);
    expect(raised.diagnostics.map((d) => d.code)).not.toContain("too-many-paid-ops");
    // With a renewal due as well, two paid actions: over this inventory's max_paid_ops of 1.
    const both = plan(inv, [withAddon(10, "off", "2026-06-20")]);
    expect(both.ops.filter((o) => o.paid === true).map((o) => o.action).sort()).toEqual(["renew", "update"]);
    expect(both.diagnostics.map((d) => d.code)).toContain("too-many-paid-ops");
    const lowered = plan(inv, [withAddon(30)]);
    expect(lowered.ops.map((o) => [o.id, o.paid ?? false])).toEqual([["bm1:update:shop-vps", false]]);
    expect(plan(inv, [withAddon(20, 12)]).ops.map((o) => [o.id, o.paid ?? false])).toEqual([["bm1:update:shop-vps", false]]);
  });

  it("take a licence's IP from the siteform.yaml server it names, and report what cannot be taken", () => {
    const onServer = LICENCE.replace("ip: 203.0.113.10\n", "on_server: fra1\n");
    const withFra1 = (config: string): Record<string, string> => ({ "siteform.yaml": config, "licenses/cloudlinux.yaml": onServer });
    const fra1 = (ip: string[]): string => CONFIG.replace("policy:", lines("  fra1:", "    url: https://fra1.example.net:2083", "    key_env: FRA1_KEY", ...ip, "policy:").trimEnd());
    const checked = (files: Record<string, string>) =>
      checkInventory(Object.entries(files).map(([file, text]) => ({ file, text })), { catalogue, env: { BM1_PASSWORD: "p", BM1_USER: "u", FRA1_KEY: "k" }, today: TODAY });
    const bound = checked(withFra1(fra1(["    ip: 198.51.100.7"])));
    expect(bound.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(bound.inventory?.resources[0]?.fields.license).toMatchObject({ ip: "198.51.100.7" });

    const errorsOf = (files: Record<string, string>) => checked(files).diagnostics.filter((d) => d.severity === "error").map((d) => [d.file, d.line, d.code, d.message]);
    expect(errorsOf(withFra1(fra1([])))).toEqual([["licenses/cloudlinux.yaml", 7, "missing-field", "server `fra1` has no `ip` in siteform.yaml, so `ip` cannot be taken from it"]]);
    expect(errorsOf(withFra1(CONFIG))).toEqual([["licenses/cloudlinux.yaml", 7, "unknown-server", "unknown server `fra1`"]]);
    expect(errorsOf({ "siteform.yaml": CONFIG, "licenses/cloudlinux.yaml": LICENCE.replace("ip: 203.0.113.10\n", "") })).toEqual([
      ["licenses/cloudlinux.yaml", 1, "missing-field", "missing `ip`, or `on_server` naming a server whose `ip` it takes"],
    ]);
    expect(errorsOf({ "siteform.yaml": fra1(["    ip: 198.51.100.7"]), "licenses/cloudlinux.yaml": `${LICENCE}on_server: fra1\n` }).map((e) => e[2])).toEqual(["bad-value"]);
  });

  it("suspend a licence bound to a retired server, and plan nothing on the retired server itself", () => {
    const onServer = LICENCE.replace("ip: 203.0.113.10\n", "on_server: fra1\n");
    const config = (retired: boolean): string =>
      CONFIG.replace("policy:", lines("  fra1:", "    url: https://fra1.example.net:2083", "    key_env: FRA1_KEY", "    ip: 198.51.100.7", ...(retired ? ["    retired: true"] : []), "policy:").trimEnd());
    const inv = (retired: boolean): Inventory => {
      const result = checkInventory(
        [
          { file: "siteform.yaml", text: config(retired) },
          { file: "licenses/cloudlinux.yaml", text: onServer },
        ],
        { catalogue, env: { BM1_PASSWORD: "p", BM1_USER: "u", FRA1_KEY: "k" }, today: TODAY },
      );
      if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("; "));
      return result.inventory;
    };
    expect(inv(false).resources[0]?.state).toBe("active");
    const retired = inv(true);
    expect(retired.resources[0]).toMatchObject({ state: "suspended", fields: { license: { ip: "198.51.100.7" } } });
    expect(retired.servers.find((s) => s.name === "fra1")?.retired).toBe(true);
    // Planning every server means every server in service; naming the retired one is refused.
    expect(resolveScope(retired, null)).toEqual({ ok: true, servers: ["bm1"] });
    expect(resolveScope(retired, ["fra1"])).toMatchObject({ ok: false, message: expect.stringMatching(/'fra1' in --server is retired/) });
    expect(resolveScope(inv(false), null)).toEqual({ ok: true, servers: ["bm1", "fra1"] });
  });
});
