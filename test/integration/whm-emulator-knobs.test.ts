/**
 * The shared fault knobs on the WHM emulator, per function: latency (a lower bound), failures
 * that do NOT do the work (HTTP 503, a reset, WHM's in-band refusal), drops and empty answers
 * that DO the work, a token without privileges (HTTP 403), the seeded dice, knob names checked
 * against WHM's functions, and stopping cutting a sleeping call short.
 */
import { describe, expect, it } from "vitest";
import { startWhmEmulator } from "../../src/emulator/whm/index.js";
import { whmPool } from "../unit/emulator-whm/support/pool.js";
import { ok, whmGet } from "../unit/emulator-whm/support/whm-http.js";

const emulator = whmPool();
const createParams = (user: string): Record<string, string> => ({ username: user, domain: `${user}.example` });
const users = (e: Awaited<ReturnType<typeof emulator>>): string[] => e.accounts().map((a) => a.user);

describe("latencyMs", () => {
  it("delays the function it names by at least that long, and others by the * default", async () => {
    const e = await emulator({ knobs: { latencyMs: { listaccts: 150, "*": 40 } } });
    let t0 = performance.now();
    await ok(e, "listaccts");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(149);
    t0 = performance.now();
    await ok(e, "version");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(39);
  });
});

describe("failProbability", () => {
  it("answers HTTP 503 with no body and does not do the work", async () => {
    const e = await emulator({ knobs: { failProbability: { createacct: 1 } } });
    const res = await whmGet(e, "createacct", createParams("fail"));
    expect(res.status).toBe(503);
    expect(res.body).toBe("");
    expect(users(e)).toEqual([]);
    expect(e.calls.count("createacct")).toBe(1);
    await ok(e, "listaccts"); // other functions unaffected
  });

  it("can reset the connection, still without doing the work", async () => {
    const e = await emulator({ knobs: { failProbability: { createacct: 1 }, failForm: { createacct: "reset" } } });
    await expect(whmGet(e, "createacct", createParams("reset"))).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(users(e)).toEqual([]);
  });

  it("can refuse in-band (HTTP 200, result 0), still without doing the work", async () => {
    const e = await emulator({ state: { accounts: [{ user: "kept", domain: "kept.example" }] } });
    e.setKnobs({ failProbability: { "*": 1 }, failForm: { "*": "fault" } });
    for (const [fn, params] of [
      ["createacct", createParams("fault")],
      ["removeacct", { username: "kept" }],
      ["suspendacct", { user: "kept" }],
    ] as const) {
      const res = await whmGet(e, fn, params);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ metadata: { command: fn, result: 0, version: 1, reason: expect.stringMatching(/temporarily unavailable/) } });
    }
    expect(e.accounts()).toEqual([expect.objectContaining({ user: "kept", suspended: false })]);
  });
});

describe("dropAfterWork", () => {
  it("does the work, then closes the connection without an answer", async () => {
    const e = await emulator({ knobs: { dropAfterWork: { createacct: 1, suspendacct: 1 } } });
    await expect(whmGet(e, "createacct", createParams("dropped"))).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(users(e)).toEqual(["dropped"]);
    await expect(whmGet(e, "suspendacct", { user: "dropped", reason: "lost answer" })).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(e.accounts()[0]).toMatchObject({ suspended: true, suspendreason: "lost answer" });
  });
});

describe("returnNull", () => {
  it("does the work, then answers HTTP 200 with an empty body", async () => {
    const e = await emulator({ knobs: { returnNull: { createacct: 1 } } });
    const res = await whmGet(e, "createacct", createParams("empty"));
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    expect(users(e)).toEqual(["empty"]);
  });
});

describe("adminDisabled", () => {
  it("answers HTTP 403 to every function but version, doing nothing", async () => {
    const e = await emulator({ knobs: { adminDisabled: true } });
    const res = await whmGet(e, "createacct", createParams("denied"));
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ metadata: { result: 0, reason: expect.stringMatching(/Permission denied.*“createacct”/) } });
    expect(res.body).not.toContain(e.token);
    expect(users(e)).toEqual([]);
    expect((await whmGet(e, "listaccts")).status).toBe(403);
    await ok(e, "version");
  });
});

describe("the dice", () => {
  const pattern = async (seed: number): Promise<number[]> => {
    const e = await emulator({ seed, knobs: { failProbability: { version: 0.5 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) statuses.push((await whmGet(e, "version")).status);
    return statuses;
  };

  it("misbehave the same way for the same seed, and differently for another", async () => {
    const a = await pattern(7);
    expect(a).toEqual(await pattern(7));
    expect(a).not.toEqual(await pattern(8));
    expect(new Set(a)).toEqual(new Set([200, 503]));
  });

  it("leave functions without a knob alone", async () => {
    const e = await emulator({ knobs: { failProbability: { createacct: 1 } } });
    for (let i = 0; i < 5; i++) await ok(e, "listaccts");
  });
});

describe("knob validation", () => {
  it("refuses entries that name no WHM function, or values out of range", async () => {
    await expect(startWhmEmulator({ knobs: { latencyMs: { admin_add_site: 5 } } })).rejects.toThrow(
      /unknown method 'admin_add_site' \(use a wire name such as createacct, or \*\)/,
    );
    const e = await emulator();
    expect(() => e.setKnobs({ dropAfterWork: { createacct: 2 } })).toThrow(/between 0 and 1/);
    expect(() => e.setKnobs({ failForm: { createacct: "explode" as never } })).toThrow(/one of http503, reset, fault/);
  });
});

describe("stop", () => {
  it("cuts a call sleeping in its latency short and resolves promptly", async () => {
    const e = await startWhmEmulator({ knobs: { latencyMs: { listaccts: 10_000 } } });
    const pending = whmGet(e, "listaccts");
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await e.stop();
    expect(performance.now() - t0).toBeLessThan(2_000);
    await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});
