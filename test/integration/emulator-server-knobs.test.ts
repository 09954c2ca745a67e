/**
 * The emulator's knobs over real sockets: latency (a lower bound only, never an upper one),
 * transport failures that do no work, dropped answers and null answers after the work, the
 * admin API switched off, and the seeded dice that make all of it reproducible.
 */
import { describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/apiscp/server/index.js";
import { encodeCall, type SoapValue } from "../../src/providers/apiscp/wire/index.js";
import { call, post, result } from "../unit/emulator-server/support/soap-http.js";
import { emulatorPool } from "../support/emulator-pool.js";

const emulator = emulatorPool();

const addSite = (domain: string): string => encodeCall("admin_add_site", [domain, domain.split(".")[0]!, {}, {}]);
const domains = (e: RunningEmulator): string[] => e.api.snapshot().sites.map((s) => String(s.services["siteinfo"]?.["domain"]));

describe("latencyMs", () => {
  it("delays the method it names by at least that long, and others by the * default", async () => {
    const e = await emulator({ knobs: { latencyMs: { admin_collect: 150, "*": 40 } } });
    let t0 = performance.now();
    await result(e.url, "admin_collect", [null, {}, []], { key: e.key });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(149);
    t0 = performance.now();
    await result(e.url, "common_whoami", [], { key: e.key });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(39);
  });

  it("sleeps on timers: other calls proceed while one waits", async () => {
    const e = await emulator({ knobs: { latencyMs: { admin_collect: 300 } } });
    let slowDone = false;
    const slow = result(e.url, "admin_collect", [null, {}, []], { key: e.key }).then(() => (slowDone = true));
    await result(e.url, "common_whoami", [], { key: e.key });
    expect(slowDone).toBe(false);
    await slow;
  });
});

describe("failProbability", () => {
  it("answers HTTP 503 with no body and does not do the work", async () => {
    const e = await emulator({ knobs: { failProbability: { admin_add_site: 1 } } });
    const res = await post(e.url, addSite("fail.example.com"), { key: e.key });
    expect(res.status).toBe(503);
    expect(res.body).toBe("");
    expect(domains(e)).toEqual([]);
    expect(e.calls.count("admin_add_site")).toBe(1);
    expect(await result(e.url, "common_whoami", [], { key: e.key })).toBe("admin"); // other methods unaffected
  });

  it("can reset the connection or fault instead, still without doing the work", async () => {
    const e = await emulator({
      knobs: { failProbability: { "*": 1 }, failForm: { admin_add_site: "reset", admin_edit_site: "fault" } },
    });
    await expect(post(e.url, addSite("reset.example.com"), { key: e.key })).rejects.toThrow(/socket hang up|ECONNRESET/);
    const fault = await call(e.url, "admin_edit_site", ["site1", {}, {}], { key: e.key });
    expect(fault.reply).toMatchObject({ kind: "fault", fault: { code: "SOAP-ENV:Server", message: expect.stringMatching(/unavailable/) } });
    expect(domains(e)).toEqual([]);
  });

  it("is refused when not a probability", async () => {
    const e = await emulator();
    expect(() => e.setKnobs({ failProbability: { admin_add_site: 2 } })).toThrow(/between 0 and 1/);
    await expect(startEmulator({ knobs: { latencyMs: { admin_add_sit: 5 } } })).rejects.toThrow(/unknown method/);
  });
});

describe("dropAfterWork", () => {
  it("does the work, then closes the connection without an answer", async () => {
    const e = await emulator({ knobs: { dropAfterWork: { admin_add_site: 1 } } });
    await expect(post(e.url, addSite("drop.example.com"), { key: e.key })).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(domains(e)).toEqual(["drop.example.com"]);
  });
});

describe("returnNull", () => {
  it("does the work, then answers xsi:nil", async () => {
    const e = await emulator({ knobs: { returnNull: { admin_add_site: 1 } } });
    const res = await post(e.url, addSite("null.example.com"), { key: e.key });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<return xsi:nil="true"/>');
    expect(domains(e)).toEqual(["null.example.com"]);
  });
});

describe("adminDisabled", () => {
  it("refuses every admin_* call with ApisCP's reason, and leaves common_* alone", async () => {
    const e = await emulator({ knobs: { adminDisabled: true } });
    const calls: [string, SoapValue[]][] = [
      ["admin_add_site", ["off.example.com", "off", {}, {}]],
      ["admin_collect", [null, {}, []]],
    ];
    for (const [op, args] of calls) {
      const { reply } = await call(e.url, op, args, { key: e.key });
      expect(reply).toMatchObject({ kind: "fault", fault: { code: "SOAP-ENV:Server", message: expect.stringMatching(/admin API is disabled/) } });
    }
    expect(domains(e)).toEqual([]);
    expect(await result(e.url, "common_whoami", [], { key: e.key })).toBe("admin");
    // Like any other error, it is a quiet false without Abort-On.
    const quiet = await call(e.url, "admin_add_site", ["off.example.com", "off", {}, {}], { key: e.key, abortOn: false });
    expect(quiet.reply).toEqual({ kind: "result", value: false });
    e.setKnobs({ adminDisabled: false });
    expect(await result(e.url, "admin_add_site", ["on.example.com", "on", {}, {}], { key: e.key })).toBe(true);
  });
});

describe("seeded dice", () => {
  async function statuses(seed: number): Promise<number[]> {
    const e = await emulator({ seed, knobs: { failProbability: { common_whoami: 0.5 } } });
    const out: number[] = [];
    for (let i = 0; i < 24; i++) out.push((await post(e.url, encodeCall("common_whoami", []), { key: e.key })).status);
    return out;
  }

  it("make the same seed misbehave the same way, and another seed differently", async () => {
    const a = await statuses(11);
    expect(a).toContain(503);
    expect(a).toContain(200);
    expect(await statuses(11)).toEqual(a);
    expect(await statuses(12)).not.toEqual(a);
  });

  it("can be changed while running; a new table replaces the old one whole", async () => {
    const e = await emulator({ knobs: { failProbability: { "*": 1 } } });
    expect((await post(e.url, encodeCall("common_whoami", []), { key: e.key })).status).toBe(503);
    e.setKnobs({ failProbability: {} });
    expect(await result(e.url, "common_whoami", [], { key: e.key })).toBe("admin");
  });
});
