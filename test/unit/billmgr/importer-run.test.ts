/**
 * importBillmgr as `siteform import` calls it, over the real BILLmanager provider and emulator:
 * it reads every service and licence once with every field an entry can set (add-ons included,
 * never a read-only one), words a failed read as the server's without the password, and stops
 * on an interrupt by throwing the signal's reason. The module offers it as its importer.
 */
import { describe, expect, it } from "vitest";
import { startBillmgrEmulator, type BillmgrServiceInput, type RunningBillmgrEmulator } from "../../../src/emulator/billmgr/index.js";
import { checkInventory } from "../../../src/inventory/index.js";
import type { Inventory } from "../../../src/model/inventory.js";
import type { ServerConfig } from "../../../src/model/server-config.js";
import { importBillmgr, importFields, MAX_ADDON_ID } from "../../../src/providers/billmgr/importer/index.js";
import { BILLMGR } from "../../../src/providers/billmgr/module.js";
import type { ImportOptions } from "../../../src/providers/module.js";
import type { Provider } from "../../../src/providers/provider.js";
import { cleanupsAfterEach } from "../../support/cleanups.js";

const CONFIG = `servers:
  bm1:
    provider: billmgr
    url: https://bm1.example.net:1500
    key_env: BM1_PASSWORD
    user_env: BM1_USER
`;

const SERVICES: BillmgrServiceInput[] = [
  { id: 101, itemtype: "vds", pricelist: 12, domain: "shop.example", remoteid: "shop-vps", addons: { "22": 3 } },
  { id: 102, itemtype: "softexternal", pricelist: 14, ip: "203.0.113.5", licname: "web1.example", remoteid: "cl-web1" },
];

const cleanups = cleanupsAfterEach();

function inventory(): { inventory: Inventory; server: ServerConfig } {
  const checked = checkInventory([{ file: "siteform.yaml", text: CONFIG }]);
  if (!checked.ok) throw new Error(JSON.stringify(checked.diagnostics));
  const server = checked.inventory.servers[0];
  if (server === undefined) throw new Error("no server");
  return { inventory: checked.inventory, server };
}

async function connected(password?: string): Promise<{ emu: RunningBillmgrEmulator; provider: Provider; server: ServerConfig; inventory: Inventory }> {
  const emu = await startBillmgrEmulator({ state: { services: SERVICES }, processingSteps: 0 });
  cleanups.push(() => emu.stop());
  const base = inventory();
  const server = { ...base.server, url: emu.url };
  const provider = BILLMGR.create(server, { BM1_PASSWORD: password ?? emu.password, BM1_USER: emu.user });
  cleanups.push(() => provider.close());
  return { emu, provider, server, inventory: base.inventory };
}

function options(extra: Partial<ImportOptions> = {}): ImportOptions {
  return { date: "2026-07-01", exists: () => false, warn: () => undefined, ...extra };
}

describe("importBillmgr", () => {
  it("is the BILLmanager module's importer", () => {
    expect(BILLMGR.importer).toBe(importBillmgr);
  });

  it("asks for every field an entry sets and the add-ons, never a read-only or renewal field", () => {
    const fields = importFields();
    expect(fields["billmgr/service"]).toEqual(expect.arrayContaining(["service.name", "service.tariff", "service.os_template", "service.autoprolong", "addons.addon_1", `addons.addon_${MAX_ADDON_ID}`]));
    expect(fields["billmgr/license"]).toEqual(["license.name", "license.tariff", "license.period", "license.licname", "license.ip", "license.autoprolong"]);
    for (const list of Object.values(fields)) expect(list.filter((f) => f.startsWith("status.") || f.startsWith("renewal."))).toEqual([]);
  });

  it("reads the account and returns a file per service and licence, changing nothing", async () => {
    const { emu, provider, server, inventory: inv } = await connected();
    const before = JSON.stringify(emu.services());
    const outcome = await importBillmgr(inv, server, provider, options());
    expect(outcome).toMatchObject({ ok: true, kind: "billmgr/service", skipped: [] });
    if (!outcome.ok) throw new Error("unreachable");
    expect(outcome.files.map((f) => [f.path, f.resources])).toEqual([
      ["services/shop-vps.yaml", [{ id: "101", name: "shop-vps" }]],
      ["licenses/cl-web1.yaml", [{ id: "102", name: "cl-web1" }]],
    ]);
    expect(outcome.files[0]?.text).toMatch(/addon_22: 3/);
    expect(JSON.stringify(emu.services())).toBe(before);
    expect(emu.orders()).toEqual([]);
  });

  it("words a failed read as the server's, without the password", async () => {
    const { emu, provider, server, inventory: inv } = await connected("not-the-password");
    const outcome = await importBillmgr(inv, server, provider, options());
    expect(outcome.ok).toBe(false);
    if (outcome.ok) throw new Error("unreachable");
    expect(outcome.error).toMatch(/bm1/);
    expect(outcome.error).not.toContain("not-the-password");
    expect(outcome.error).not.toContain(emu.password);
  });

  it("stops on an interrupt by throwing the signal's reason", async () => {
    const { provider, server, inventory: inv } = await connected();
    const controller = new AbortController();
    const reason = new Error("interrupted");
    controller.abort(reason);
    await expect(importBillmgr(inv, server, provider, options({ signal: controller.signal }))).rejects.toBe(reason);
  });
});
