/**
 * The shared fault knobs on the BILLmanager emulator, per function (`func` value): latency (a
 * lower bound), failures that do NOT do the work (HTTP 503, a reset, an in-band doc.error of
 * type sys), drops and empty answers that DO the work (a dropped order leaves exactly one
 * service, found again by its remoteid), the seeded dice, and knob names checked against the
 * functions it serves.
 */
import { describe, expect, it } from "vitest";
import { startBillmgrEmulator } from "../../src/emulator/billmgr/index.js";
import { Caller, form, plain } from "../unit/emulator-billmgr/support/billmgr-http.js";
import { NOON, billmgrPool } from "../unit/emulator-billmgr/support/pool.js";

const emulator = billmgrPool();
const ORDER = { pricelist: "11", datacenter: "1", order_period: "1", domain: "shop.example", skipbasket: "on", remoteid: "siteform:shop", sok: "ok" };

async function started(knobs: Parameters<typeof emulator>[0] = {}): Promise<{ e: Awaited<ReturnType<typeof emulator>>; c: Caller }> {
  const e = await emulator({ clock: () => NOON, processingSteps: 0, ...knobs });
  return { e, c: await Caller.login(e) };
}

describe("latencyMs", () => {
  it("delays the function it names by at least that long, and others by the * default", async () => {
    const { c, e } = await started();
    e.setKnobs({ latencyMs: { vhost: 120, "*": 30 } });
    let t0 = performance.now();
    await c.ok("vhost");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(119);
    t0 = performance.now();
    await c.ok("vds");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(29);
  });
});

describe("failProbability", () => {
  it("answers HTTP 503 with no body and does not order", async () => {
    const { c, e } = await started({ knobs: { failProbability: { "v2.vhost.order.param": 1 } } });
    const res = await form(e, { func: "v2.vhost.order.param", out: "json", auth: c.session, ...ORDER });
    expect(res.status).toBe(503);
    expect(res.body).toBe("");
    expect(e.services()).toEqual([]);
    expect(e.balance()).toBe(1000);
    expect(e.calls.count("v2.vhost.order.param")).toBe(1);
    await c.ok("vhost"); // other functions unaffected
  });

  it("can reset the connection or refuse in-band with type sys, never doing the work", async () => {
    const { c, e } = await started();
    e.setKnobs({ failProbability: { "*": 1 }, failForm: { "v2.vhost.order.param": "reset", "*": "fault" } });
    await expect(c.doc("v2.vhost.order.param", ORDER)).rejects.toThrow(/socket hang up|ECONNRESET/);
    const error = await c.error("vhost");
    expect(error).toMatchObject({ $type: "sys" });
    expect(error.msg.$).toMatch(/temporarily unavailable/);
    expect(e.services()).toEqual([]);
  });

  it("applies to func=auth too", async () => {
    const e = await emulator({ knobs: { failProbability: { auth: 1 } } });
    expect((await form(e, { func: "auth", out: "json", username: e.user, password: e.password })).status).toBe(503);
  });
});

describe("dropAfterWork", () => {
  it("orders, then drops the answer: the service exists exactly once, paid once, and is found again by remoteid", async () => {
    const { c, e } = await started({ knobs: { dropAfterWork: { "v2.vhost.order.param": 1 } } });
    await expect(c.doc("v2.vhost.order.param", ORDER)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(e.calls.count("v2.vhost.order.param")).toBe(1);
    expect(e.services()).toHaveLength(1);
    expect(e.orders()).toHaveLength(1);
    expect(e.balance()).toBe(995);
    const rows = (await c.rows("vhost")).map(plain);
    expect(rows.filter((r) => r["remoteid"] === "siteform:shop")).toEqual([expect.objectContaining({ id: "101", domain: "shop.example" })]);
  });

  it("suspends, then drops the answer: the suspension happened", async () => {
    const { c, e } = await started();
    await c.ok("v2.vhost.order.param", ORDER);
    e.setKnobs({ dropAfterWork: { "vhost.suspend": 1 } });
    await expect(c.doc("vhost.suspend", { elid: "101" })).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(e.services()[0]!.item_status).toBe(3);
  });
});

describe("returnNull", () => {
  it("orders, then answers a doc with nothing in it: no id, no ok, no error", async () => {
    const { c, e } = await started({ knobs: { returnNull: { "v2.vhost.order.param": 1 } } });
    const doc = await c.doc("v2.vhost.order.param", ORDER);
    expect(doc).toEqual({ $lang: "en", $func: "v2.vhost.order.param" });
    expect(e.services()).toHaveLength(1);
  });
});

describe("the dice", () => {
  it("misbehave the same way twice under the same seed", async () => {
    const run = async (seed: number): Promise<number[]> => {
      const e = await emulator({ seed, knobs: { failProbability: { vds: 0.5 } } });
      const c = await Caller.login(e);
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) statuses.push((await form(e, { func: "vds", out: "json", auth: c.session })).status);
      return statuses;
    };
    const first = await run(42);
    expect(await run(42)).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(200);
  });

  it("refuse knobs for functions the emulator does not serve", async () => {
    await expect(startBillmgrEmulator({ knobs: { dropAfterWork: { "vhost.order": 1 } } })).rejects.toThrow(/unknown method 'vhost\.order' \(use a wire name such as v2\.vds\.order\.param/);
    const e = await emulator();
    expect(() => e.setKnobs({ latencyMs: { createacct: 5 } })).toThrow(/unknown method 'createacct'/);
  });
});
