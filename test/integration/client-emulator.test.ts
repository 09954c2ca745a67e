/**
 * siteform's ApisCP client against the ApisCP emulator, over HTTPS with the emulator's own
 * certificate pinned: a site's whole life through the typed methods, and the emulator's
 * misbehaviour knobs mapped onto the client's error kinds. API semantics in detail are the
 * emulator's tests; this checks that the two speak the same wire and agree on failures.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/apiscp/server/index.js";
import {
  ApiscpClient,
  AuthError,
  SoapFaultError,
  TransportError,
  UnknownOutcomeError,
} from "../../src/providers/apiscp/index.js";
import { failure } from "../support/failure.js";

let emulator: RunningEmulator;
let client: ApiscpClient;
let dir: string;
let caFile: string;

beforeAll(async () => {
  emulator = await startEmulator({ tls: true });
  dir = mkdtempSync(join(tmpdir(), "siteform-client-emulator-"));
  caFile = join(dir, "ca.pem");
  writeFileSync(caFile, emulator.caCert ?? "");
  client = new ApiscpClient({ url: emulator.url, key: emulator.key, caFile, timeoutMs: 10_000 });
});

afterEach(() => emulator.setKnobs({ returnNull: {}, dropAfterWork: {}, failProbability: {}, failForm: {} }));

afterAll(async () => {
  client?.close();
  await emulator?.stop();
  rmSync(dir, { recursive: true, force: true });
});


describe("client ↔ emulator", () => {
  it("connects and lists plans", async () => {
    expect(typeof (await client.whoami())).toBe("string");
    const plans = await client.listPlans();
    expect(plans).toContain("basic");
    const basic = await client.getPlan("basic");
    expect(Object.keys(basic).length).toBeGreaterThan(0);
  });

  it("takes a site through its life", async () => {
    await client.addSite("life.example.com", "lifeadmin", { "siteinfo.plan": "basic", "billing.invoice": "INV-LIFE" });
    const id = await client.getSiteIdFromDomain("life.example.com");
    expect(id).toEqual(expect.any(Number));
    const site = `site${id}`;
    expect((await client.getDomains()).get(id ?? -1)).toBe("life.example.com");

    const found = await client.collect(["siteinfo.domain", "billing.invoice"], { "billing.invoice": "INV-LIFE" });
    expect(found).toEqual({
      [site]: { services: { siteinfo: { domain: "life.example.com" }, billing: { invoice: "INV-LIFE" } }, active: true, domain: "life.example.com" },
    });

    await client.editSite("INV-LIFE", { "aliases.aliases": ["www.life.example.com"] });
    expect((await client.collect(["aliases.aliases"], null, [site]))[site]?.services.aliases?.aliases).toEqual(["www.life.example.com"]);

    await client.deactivateSite(site, { reason: "cancelled: test" });
    expect((await client.collect([], { active: false }, [site]))[site]?.active).toBe(false);
    await client.activateSite("www.life.example.com");
    expect((await client.collect([], null, [site]))[site]?.active).toBe(true);

    expect(await client.getUsage("storage", [site])).toEqual({ [site]: { qused: expect.any(Number), qhard: expect.any(Number) } });
    expect(typeof (await client.hijack(site))).toBe("string");

    await client.deactivateSite(site, { reason: "cancelled: test" });
    await client.deleteSite(null, { since: "now", match: "^cancelled: test" });
    expect(await client.getSiteIdFromDomain("life.example.com")).toBeNull();
    expect(await client.collect([], { "billing.invoice": "INV-LIFE" })).toEqual({});
  });

  it("an API error is a SoapFaultError with the emulator's message", async () => {
    const err = await failure(client.editSite("nosuch.example.com", {}));
    expect(err).toBeInstanceOf(SoapFaultError);
    expect((err as SoapFaultError).faultString).toMatch(/nosuch\.example\.com/);
  });

  it("a wrong key is an AuthError that does not contain either key", async () => {
    const wrong = "ab".repeat(32);
    const stranger = new ApiscpClient({ url: emulator.url, key: wrong, caFile });
    try {
      const err = await failure(stranger.whoami());
      expect(err).toBeInstanceOf(AuthError);
      for (const key of [wrong, emulator.key]) expect(`${err.message}${err.stack}${JSON.stringify(err)}`).not.toContain(key);
    } finally {
      stranger.close();
    }
  });

  it("without the CA the emulator's certificate is refused", async () => {
    const unpinned = new ApiscpClient({ url: emulator.url, key: emulator.key });
    try {
      expect(await failure(unpinned.whoami())).toBeInstanceOf(TransportError);
    } finally {
      unpinned.close();
    }
  });
});

describe("emulator knobs → client errors", () => {
  it("null after doing the work: unknown outcome, and the work is there on read-back", async () => {
    emulator.setKnobs({ returnNull: { admin_add_site: 1 } });
    const err = await failure(client.addSite("null.example.com", "nulladmin", {}));
    expect(err).toBeInstanceOf(UnknownOutcomeError);
    expect(await client.getSiteIdFromDomain("null.example.com")).toEqual(expect.any(Number));
  });

  it("connection dropped after the work: unknown outcome", async () => {
    emulator.setKnobs({ dropAfterWork: { admin_add_site: 1 } });
    const err = await failure(client.addSite("drop.example.com", "dropadmin", {}));
    expect(err).toBeInstanceOf(UnknownOutcomeError);
    expect(await client.getSiteIdFromDomain("drop.example.com")).toEqual(expect.any(Number));
  });

  it("HTTP 503 without work: a retryable transport error, and nothing was done", async () => {
    emulator.setKnobs({ failProbability: { admin_add_site: 1 }, failForm: { admin_add_site: "http503" } });
    const err = await failure(client.addSite("busy.example.com", "busyadmin", {}));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.retryable).toBe(true);
    emulator.setKnobs({ failProbability: {} });
    expect(await client.getSiteIdFromDomain("busy.example.com")).toBeNull();
  });

  it("an 'unavailable' fault is a retryable fault", async () => {
    emulator.setKnobs({ failProbability: { admin_list_plans: 1 }, failForm: { admin_list_plans: "fault" } });
    const err = await failure(client.listPlans());
    expect(err).toBeInstanceOf(SoapFaultError);
    expect(err.retryable).toBe(true);
  });

  it("a reset before any work: a read is a transport error", async () => {
    emulator.setKnobs({ failProbability: { admin_get_domains: 1 }, failForm: { admin_get_domains: "reset" } });
    expect(await failure(client.getDomains())).toBeInstanceOf(TransportError);
  });
});
