/**
 * The BILLmanager emulator's state file and TLS: the state is written at start and after every
 * call, a restart from it carries on (services, balance, charges, the next id), a broken file or
 * a state given twice is refused with a clear message; HTTPS verifies against the generated CA
 * and nothing else; options it cannot honour are refused.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startBillmgrEmulator } from "../../src/emulator/billmgr/index.js";
import { Caller, docOf } from "../unit/emulator-billmgr/support/billmgr-http.js";
import { NOON, billmgrPool } from "../unit/emulator-billmgr/support/pool.js";

const emulator = billmgrPool();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "siteform-billmgr-state-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("state file", () => {
  it("is written at start, after each order, and a restart carries on from it", async () => {
    const path = join(dir, "billmgr.json");
    const first = await startBillmgrEmulator({ stateFile: path, clock: () => NOON, processingSteps: 0 });
    expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ version: 1, balance: 1000, services: [] });
    const c = await Caller.login(first);
    await c.ok("softexternal.order.param", { pricelist: "15", ip: "203.0.113.5", period: "12", skipbasket: "on", sok: "ok", remoteid: "kc-1" });
    const saved = JSON.parse(readFileSync(path, "utf8")) as { balance: number; services: { remoteid: string }[]; orders: unknown[] };
    expect(saved.balance).toBe(964);
    expect(saved.services.map((s) => s.remoteid)).toEqual(["kc-1"]);
    expect(readFileSync(path, "utf8")).not.toContain(first.password);
    await first.stop();

    const second = await startBillmgrEmulator({ stateFile: path, clock: () => NOON, processingSteps: 0 });
    try {
      expect(second.balance()).toBe(964);
      expect(second.orders()).toHaveLength(1);
      const c2 = await Caller.login(second);
      const id = (await c2.ok("softexternal.order.param", { pricelist: "14", ip: "203.0.113.5", period: "1", skipbasket: "on", sok: "ok" }))["id"];
      expect(id).toEqual({ $: "102" });
    } finally {
      await second.stop();
    }
    expect((JSON.parse(readFileSync(path, "utf8")) as { services: unknown[] }).services).toHaveLength(2);
  });

  it("refuses a file that is not a valid state, naming the entry", async () => {
    const path = join(dir, "bad.json");
    writeFileSync(path, JSON.stringify({ services: [{ itemtype: "vds", pricelist: 11 }] }));
    await expect(startBillmgrEmulator({ stateFile: path })).rejects.toThrow(/not a valid BILLmanager emulator state: services\[0\]\.itemtype must be "vhost"/);
    writeFileSync(path, "{not json");
    await expect(startBillmgrEmulator({ stateFile: path })).rejects.toThrow(/is not JSON/);
  });

  it("refuses a state given both as an option and as an existing file", async () => {
    const path = join(dir, "both.json");
    writeFileSync(path, "{}");
    await expect(startBillmgrEmulator({ stateFile: path, state: { balance: 5 } })).rejects.toThrow(/both a state and an existing state file/);
  });
});

describe("initial state", () => {
  it("defaults to one datacenter, tariffs for every item type with add-ons, 1000.00 and no services", async () => {
    const e = await emulator();
    expect(e.balance()).toBe(1000);
    expect(e.services()).toEqual([]);
    const c = await Caller.login(e);
    for (const [fn, count] of [["v2.vhost.order.param", 1], ["v2.vds.order.param", 1], ["v2.dedic.order.param", 1], ["softexternal.order.param", 2]] as const) {
      const slists = (await c.ok(fn))["slist"] as { $name: string; val: unknown }[];
      const pricelist = slists.find((s) => s.$name === "pricelist")!;
      expect(Array.isArray(pricelist.val) ? pricelist.val.length : 1, fn).toBe(count);
    }
  });

  it("refuses options it cannot honour", async () => {
    await expect(startBillmgrEmulator({ state: { balance: 1.234 } })).rejects.toThrow(/balance must be an amount with at most two decimals/);
    await expect(startBillmgrEmulator({ host: "0.0.0.0" })).rejects.toThrow(/loopback only/);
    await expect(startBillmgrEmulator({ password: "short" })).rejects.toThrow(/8 to 256 characters/);
    await expect(startBillmgrEmulator({ user: "bad user" })).rejects.toThrow(/is not valid/);
    await expect(startBillmgrEmulator({ processingSteps: -1 })).rejects.toThrow(/processingSteps must be a whole number/);
  });
});

describe("TLS", () => {
  it("serves HTTPS that verifies against the generated CA, and fails without it", async () => {
    const e = await emulator({ tls: true, user: "billing@example.net", password: "correct-horse-battery" });
    expect(e.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/billmgr$/);
    expect(e.caCert).toMatch(/BEGIN CERTIFICATE/);
    const c = await Caller.login(e);
    expect((await c.ok("vds"))["$func"]).toBe("vds");
    await expect(docOf({ url: e.url }, { func: "vds" })).rejects.toThrow(/self[- ]signed|certificate/i);
  });
});
