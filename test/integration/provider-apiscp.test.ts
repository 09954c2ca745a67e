/**
 * The ApisCP provider against the real emulator, made through the provider factory as the
 * commands make it: collect mapping, reading one site back, every op end to end, plan
 * defaults, and every failure mapped onto the provider's error kinds with readable messages
 * that never carry the key. One fresh emulator per test, on a clock the test controls.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ObservedServer } from "../../src/model/observed-site.js";
import type { FieldChange, Op, OpAction, OpFlags } from "../../src/model/op.js";
import type { ServerConfig } from "../../src/model/server-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/apiscp/server/index.js";
import { ApiscpClient } from "../../src/providers/apiscp/index.js";
import { ProviderError, type Provider } from "../../src/providers/provider.js";
import { createProvider } from "../../src/providers/registry.js";

const KEY_ENV = "SITEFORM_FRA1_KEY";
const START = 1_800_000_000;
const DAY = 86_400;

interface Fixture {
  emulator: RunningEmulator;
  provider: Provider;
  client: ApiscpClient;
  advance(seconds: number): void;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function serverConfig(url: string, extra: Partial<ServerConfig> = {}): ServerConfig {
  return {
    name: "fra1",
    provider: "apiscp",
    url,
    keyEnv: KEY_ENV,
    caFile: null,
    insecureTls: false,
    concurrency: 4,
    timeoutSeconds: 10,
    prune: false,
    description: null,
    source: { file: "siteform.yaml", line: 3, column: 5, path: "servers.fra1" },
    ...extra,
  };
}

function open(config: ServerConfig, key: string): Provider {
  const provider = createProvider(config, { [KEY_ENV]: key });
  cleanups.push(() => provider.close());
  return provider;
}

async function fixture(options: { tls?: boolean } = {}): Promise<Fixture> {
  let now = START;
  const emulator = await startEmulator({ clock: () => now, ...(options.tls === true && { tls: true }) });
  cleanups.push(() => emulator.stop());
  const client = new ApiscpClient({ url: emulator.url, key: emulator.key, insecureTls: true });
  cleanups.push(() => client.close());
  const provider = options.tls === true ? open(serverConfig(emulator.url, { insecureTls: true }), emulator.key) : open(serverConfig(emulator.url), emulator.key);
  return { emulator, provider, client, advance: (seconds) => (now += seconds) };
}

function op(action: OpAction, target: { siteId: string | null; domain: string; adminUser?: string | null }, changes: FieldChange[] = [], flags: OpFlags = {}): Op {
  return {
    id: `fra1:${action}:${target.domain}`,
    server: "fra1",
    action,
    target: { siteId: target.siteId, domain: target.domain, adminUser: target.adminUser ?? null, key: null, source: null },
    changes,
    flags,
    dependsOn: [],
    preconditions: { exists: action !== "create", siteId: target.siteId, fields: {} },
    reason: "test",
    notes: [],
  };
}

const set = (field: string, after: FieldChange["after"], before: FieldChange["before"] = null): FieldChange => ({ field, before, after });

async function addSite(f: Fixture, domain: string, admin: string, opts: Record<string, string | number | string[]> = {}): Promise<string> {
  await f.client.addSite(domain, admin, opts);
  return `site${(await f.client.getSiteIdFromDomain(domain)) ?? "?"}`;
}

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw err;
  }
  throw new Error("expected a ProviderError");
}

function failed(server: ObservedServer): string {
  if (server.ok) throw new Error("expected the collect to fail");
  return server.error;
}

/** The key must not appear whole, in upper case, or as any 12-character run of it. */
function expectNoKey(text: string, key: string): void {
  const plain = text.toLowerCase().replace(/[-\s]/g, "");
  for (let i = 0; i + 12 <= key.length; i++) expect(plain).not.toContain(key.slice(i, i + 12).toLowerCase());
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("createProvider", () => {
  it("names the variable and the server when the key is missing or empty, and never the key", () => {
    const config = serverConfig("http://127.0.0.1:1/soap");
    expect(() => createProvider(config, {})).toThrow(`server "fra1": the environment variable ${KEY_ENV} is not set`);
    expect(() => createProvider(config, { [KEY_ENV]: "  " })).toThrow(`${KEY_ENV} is empty`);
  });

  it("reports an unusable key or CA file by the server's name without quoting the key", () => {
    const key = `${"ab".repeat(31)}\u00e9x`;
    let message = "";
    try {
      createProvider(serverConfig("http://127.0.0.1:1/soap"), { [KEY_ENV]: key });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^server "fra1": cannot set up its connection: .*cannot be sent in a header/);
    expectNoKey(message, key);
    expect(() => createProvider(serverConfig("https://127.0.0.1:1/soap", { caFile: "/nonexistent/ca.pem" }), { [KEY_ENV]: "ab".repeat(32) })).toThrow(
      /server "fra1": cannot set up its connection: cannot read the CA file \/nonexistent\/ca\.pem/,
    );
  });
});

describe("collect", () => {
  it("reads every site in id order with identity lifted out and exactly the requested fields", async () => {
    const f = await fixture();
    for (let i = 1; i <= 11; i++) await addSite(f, `s${i}.example`, `admin${i}`);
    await f.client.editSite("site2", { "billing.invoice": "INV-2", "aliases.aliases": ["www.s2.example"], "diskquota.quota": 7 });
    await f.client.editSite("site3", { "billing.parent_invoice": "INV-2" });
    await f.client.editSite("site10", { "siteinfo.plan": "business" });
    await f.client.deactivateSite("site5", { reason: "test" });
    f.emulator.calls.reset();

    const server = await f.provider.collect({ fields: ["ssh.enabled", "diskquota.quota", "ssh.enabled"] });
    if (!server.ok) throw new Error(server.error);
    expect(f.emulator.calls.byMethod()).toEqual({ admin_collect: 1, admin_list_plans: 1 });
    expect(server.fields).toEqual(["diskquota.quota", "ssh.enabled"]);
    expect([...server.plans].sort()).toEqual(["basic", "business", "reseller", "starter"]);
    expect(server.sites.map((s) => s.id)).toEqual(Array.from({ length: 11 }, (_, i) => `site${i + 1}`));
    const [s2, s3, s5, s10] = ["site2", "site3", "site5", "site10"].map((id) => server.sites.find((s) => s.id === id));
    expect(s2).toEqual({
      server: "fra1",
      id: "site2",
      domain: "s2.example",
      adminUser: "admin2",
      aliases: ["www.s2.example"],
      invoice: "INV-2",
      parentInvoice: null,
      plan: "basic",
      active: true,
      services: { diskquota: { quota: 7 }, ssh: { enabled: 1 } },
    });
    expect(s3).toMatchObject({ invoice: null, parentInvoice: "INV-2", aliases: [] });
    expect(s5?.active).toBe(false);
    expect(s10).toMatchObject({ plan: "business", services: { diskquota: { quota: 25 }, ssh: { enabled: 1 } } });
  });

  it("answers an empty server with no sites and the plans", async () => {
    const f = await fixture();
    expect(await f.provider.collect({ fields: [] })).toMatchObject({ ok: true, sites: [], fields: [], plans: expect.arrayContaining(["basic"]) });
  });

  it("reports a field the server does not know as a failure, naming the server", async () => {
    const f = await fixture();
    expect(failed(await f.provider.collect({ fields: ["nosuch.param"] }))).toMatch(/^fra1: cannot read its sites: .*the server refused it: .*nosuch/);
  });
});

/** The fields behind ObservedSite's identity values: a read gives only what it asks for. */
const IDENTITY = ["aliases.aliases", "billing.invoice", "billing.parent_invoice", "siteinfo.admin_user", "siteinfo.plan"];

describe("readSite", () => {
  it("reads one site by id or by domain, and null when nothing holds it", async () => {
    const f = await fixture();
    const id = await addSite(f, "one.example", "oneadmin", { "aliases.aliases": ["www.one.example"] });
    await addSite(f, "two.example", "twoadmin");
    const byId = await f.provider.readSite({ siteId: id, domain: "ignored.example", fields: ["siteinfo.email", ...IDENTITY] });
    expect(byId).toMatchObject({ id, domain: "one.example", adminUser: "oneadmin", aliases: ["www.one.example"], services: { siteinfo: { email: "blackhole@apiscp.com" } } });
    expect(await f.provider.readSite({ siteId: null, domain: "ONE.example", fields: [] })).toMatchObject({ id, services: {} });
    expect(await f.provider.readSite({ siteId: "site99", domain: "one.example", fields: [] })).toBeNull();
    expect(await f.provider.readSite({ siteId: null, domain: "missing.example", fields: [] })).toBeNull();
    // Only what was asked for: without its field, the admin user is not known.
    expect(await f.provider.readSite({ siteId: id, domain: "one.example", fields: [] })).toMatchObject({ id, adminUser: null, aliases: [], services: {} });
    // An alias names a site, but no site holds it as its domain.
    expect(await f.provider.readSite({ siteId: null, domain: "www.one.example", fields: [] })).toBeNull();
  });

  it("reads several sites in one admin_collect, each answer as readSite would give it", async () => {
    const f = await fixture();
    const one = await addSite(f, "one.example", "oneadmin", { "aliases.aliases": ["www.one.example"] });
    const two = await addSite(f, "two.example", "twoadmin");
    const byId = { siteId: two, domain: "two.example", fields: ["siteinfo.email"] };
    const requests = [
      byId,
      { siteId: null, domain: "ONE.example", fields: [] },
      { siteId: one, domain: "one.example", fields: ["siteinfo.admin_user"] },
    ];
    f.emulator.calls.reset();
    const batch = await f.provider.readSites(requests);
    expect(f.emulator.calls.count("admin_collect")).toBe(1);
    expect(batch.map((s) => s?.id ?? null)).toEqual([two, one, one]);
    const single = await Promise.all(requests.map((r) => f.provider.readSite({ ...r, fields: ["siteinfo.admin_user", "siteinfo.email"] })));
    expect(batch.map((s) => s?.services)).toEqual(single.map((s) => s?.services));
    // A site of the list that is not there faults the call; each is then asked for on its own.
    f.emulator.calls.reset();
    const withMissing = await f.provider.readSites([byId, { siteId: "site99", domain: "gone.example", fields: [] }]);
    expect(withMissing.map((s) => s?.id ?? null)).toEqual([two, null]);
    expect(f.emulator.calls.count("admin_collect")).toBe(3);
  });
});

describe("execute", () => {
  it("creates a site with its settings and returns its new id", async () => {
    const f = await fixture();
    await addSite(f, "first.example", "firstadmin");
    const create = op("create", { siteId: null, domain: "new.example", adminUser: "newadmin" }, [
      set("siteinfo.domain", "new.example"),
      set("siteinfo.admin_user", "newadmin"),
      set("siteinfo.plan", "business"),
      set("siteinfo.email", ["ops@new.example", "bill@new.example"]),
      set("billing.invoice", "INV-9"),
      set("aliases.aliases", ["www.new.example"]),
      set("ssh.enabled", false),
      set("diskquota.quota", "5000"),
    ], { plan: "business" });
    expect(await f.provider.execute(create)).toEqual({ siteId: "site2" });
    const site = await f.provider.readSite({ siteId: "site2", domain: "new.example", fields: ["siteinfo.email", "ssh.enabled", "diskquota.quota", ...IDENTITY] });
    expect(site).toMatchObject({
      domain: "new.example",
      adminUser: "newadmin",
      plan: "business",
      invoice: "INV-9",
      aliases: ["www.new.example"],
      services: { siteinfo: { email: ["ops@new.example", "bill@new.example"] }, ssh: { enabled: 0 }, diskquota: { quota: 5000 } },
    });
  });

  it("renames a site in place", async () => {
    const f = await fixture();
    const id = await addSite(f, "old.example", "acme");
    const rename = op("update", { siteId: id, domain: "old.example" }, [set("siteinfo.domain", "renamed.example", "old.example")]);
    expect(await f.provider.execute(rename)).toEqual({ siteId: id });
    expect(await f.provider.readSite({ siteId: id, domain: "renamed.example", fields: [] })).toMatchObject({ id, domain: "renamed.example" });
    expect(await f.provider.readSite({ siteId: null, domain: "old.example", fields: [] })).toBeNull();
  });

  it("changes the plan keeping overrides, or resetting them when asked", async () => {
    const f = await fixture();
    const kept = await addSite(f, "kept.example", "kept", { "diskquota.quota": 3 });
    const reset = await addSite(f, "reset.example", "reset", { "diskquota.quota": 3 });
    const fields = ["diskquota.quota", "bandwidth.threshold"];
    const change = [set("siteinfo.plan", "business", "basic")];
    await f.provider.execute(op("update", { siteId: kept, domain: "kept.example" }, change, { plan: "business" }));
    await f.provider.execute(op("update", { siteId: reset, domain: "reset.example" }, change, { plan: "business", reset: true }));
    expect(await f.provider.readSite({ siteId: kept, domain: "kept.example", fields: [...fields, "siteinfo.plan"] })).toMatchObject({ plan: "business", services: { diskquota: { quota: 3 }, bandwidth: { threshold: 250 } } });
    expect(await f.provider.readSite({ siteId: reset, domain: "reset.example", fields: [...fields, "siteinfo.plan"] })).toMatchObject({ plan: "business", services: { diskquota: { quota: 25 }, bandwidth: { threshold: 250 } } });
  });

  it("suspends with a reason and activates again", async () => {
    const f = await fixture();
    const id = await addSite(f, "s.example", "sadmin");
    expect(await f.provider.execute(op("suspend", { siteId: id, domain: "s.example" }, [], { reason: "siteform: cancelled" }))).toEqual({ siteId: id });
    const after = await f.provider.collect({ fields: [] });
    expect(after.ok && after.sites[0]?.active).toBe(false);
    expect(f.emulator.api.snapshot().sites[0]?.suspendReason).toBe("siteform: cancelled");
    await f.provider.execute(op("activate", { siteId: id, domain: "s.example" }));
    expect((await f.provider.readSite({ siteId: id, domain: "s.example", fields: [] }))?.active).toBe(true);
  });

  it("deletes at once without filters, and with since now once suspended", async () => {
    const f = await fixture();
    const plain = await addSite(f, "plain.example", "plain");
    const now = await addSite(f, "now.example", "now");
    expect(await f.provider.execute(op("delete", { siteId: plain, domain: "plain.example" }))).toEqual({ siteId: null });
    await f.client.deactivateSite(now, { reason: "siteform: cancelled" });
    expect(await f.provider.execute(op("delete", { siteId: now, domain: "now.example" }, [], { since: "now", match: "^siteform:" }))).toEqual({ siteId: null });
    const left = await f.provider.collect({ fields: [] });
    expect(left.ok && left.sites).toEqual([]);
  });

  it("reports a site the server kept by its since/match check, and deletes it once old enough", async () => {
    const f = await fixture();
    const id = await addSite(f, "late.example", "late");
    await f.client.deactivateSite(id, { reason: "siteform: cancelled" });
    const remove = op("delete", { siteId: id, domain: "late.example" }, [], { since: "30 days ago", match: "^siteform:" });
    expect(await f.provider.execute(remove)).toEqual({
      siteId: id,
      note: "the server kept the site: it was not suspended by siteform, or not long enough (since 30 days ago, match ^siteform:)",
    });
    expect(await f.provider.execute(op("delete", { siteId: id, domain: "late.example" }, [], { since: "now", match: "^other:" }))).toMatchObject({ siteId: id, note: expect.stringContaining("match ^other:") });
    f.advance(31 * DAY);
    expect(await f.provider.execute(remove)).toEqual({ siteId: null });
    expect(await f.provider.readSite({ siteId: id, domain: "late.example", fields: [] })).toBeNull();
  });

  it("reads a server-side plan's defaults", async () => {
    const f = await fixture();
    const business = await f.provider.planDefaults("business");
    expect(business.diskquota?.quota).toBe(25);
    const missing = await providerError(f.provider.planDefaults("nosuchplan"));
    expect(missing.kind).toBe("rejected");
    expect(missing.message).toMatch(/^fra1: read the defaults of plan nosuchplan: the server refused it: /);
  });
});

describe("failures", () => {
  it("maps a SOAP fault to rejected, with the server's words and the op's site", async () => {
    const f = await fixture();
    const id = await addSite(f, "r.example", "radmin");
    const bad = await providerError(f.provider.execute(op("update", { siteId: id, domain: "r.example" }, [set("siteinfo.plan", "nosuchplan")], { plan: "nosuchplan" })));
    expect(bad).toMatchObject({ kind: "rejected", retryable: false });
    expect(bad.message).toBe(`fra1: update r.example (${id}): the server refused it: unknown plan \`nosuchplan' (siteinfo.plan)`);
    const gone = await providerError(f.provider.execute(op("suspend", { siteId: "site77", domain: "gone.example" })));
    expect(gone).toMatchObject({ kind: "rejected", message: expect.stringContaining("unknown site `site77'") });
  });

  it("maps a try-again fault to a retryable rejection and HTTP 503 to transport, nothing done", async () => {
    const f = await fixture();
    const id = await addSite(f, "t.example", "tadmin");
    const suspend = op("suspend", { siteId: id, domain: "t.example" });
    f.emulator.setKnobs({ failProbability: { admin_deactivate_site: 1 }, failForm: { admin_deactivate_site: "fault" } });
    expect(await providerError(f.provider.execute(suspend))).toMatchObject({ kind: "rejected", retryable: true });
    f.emulator.setKnobs({ failForm: { admin_deactivate_site: "http503" } });
    const busy = await providerError(f.provider.execute(suspend));
    expect(busy).toMatchObject({ kind: "transport", retryable: true, message: expect.stringContaining("HTTP 503") });
    expect((await f.provider.readSite({ siteId: id, domain: "t.example", fields: [] }))?.active).toBe(true);
  });

  it("maps a lost answer after the work, or a null answer, to unknown-outcome", async () => {
    const f = await fixture();
    const id = await addSite(f, "u.example", "uadmin");
    f.emulator.setKnobs({ dropAfterWork: { admin_deactivate_site: 1 }, returnNull: { admin_activate_site: 1 } });
    const dropped = await providerError(f.provider.execute(op("suspend", { siteId: id, domain: "u.example" })));
    expect(dropped).toMatchObject({ kind: "unknown-outcome", retryable: false });
    expect((await f.provider.readSite({ siteId: id, domain: "u.example", fields: [] }))?.active).toBe(false);
    const nulled = await providerError(f.provider.execute(op("activate", { siteId: id, domain: "u.example" })));
    expect(nulled).toMatchObject({ kind: "unknown-outcome", message: expect.stringContaining("null") });
  });

  it("maps a reset connection: unknown outcome for a mutation, transport for a read", async () => {
    const f = await fixture();
    const id = await addSite(f, "x.example", "xadmin");
    f.emulator.setKnobs({ failProbability: { "*": 1 }, failForm: { "*": "reset" } });
    expect(await providerError(f.provider.execute(op("activate", { siteId: id, domain: "x.example" })))).toMatchObject({ kind: "unknown-outcome" });
    expect(await providerError(f.provider.readSite({ siteId: id, domain: "x.example", fields: [] }))).toMatchObject({ kind: "transport", retryable: true });
    expect(failed(await f.provider.collect({ fields: [] }))).toMatch(/^fra1: cannot read its sites: admin_(collect|list_plans) at http:\/\/127\.0\.0\.1:\d+\/soap: /);
  });

  it("maps a refused key to auth and names the variable, never the key", async () => {
    const f = await fixture();
    const wrongKey = "0123456789abcdef".repeat(4);
    const provider = open(serverConfig(f.emulator.url), wrongKey);
    const collect = failed(await provider.collect({ fields: [] }));
    expect(collect).toMatch(/refused the API key/);
    expect(collect).toContain(KEY_ENV);
    const denied = await providerError(provider.execute(op("activate", { siteId: "site1", domain: "a.example" })));
    expect(denied).toMatchObject({ kind: "auth", retryable: false });
    for (const text of [collect, denied.message]) {
      expectNoKey(text, wrongKey);
      expectNoKey(text, f.emulator.key);
    }
  });

  it("maps an unreachable server to transport and a wrong endpoint to protocol", async () => {
    const f = await fixture();
    const port = await unusedPort();
    const key = f.emulator.key;
    const down = open(serverConfig(`http://127.0.0.1:${port}/soap?authkey=${key}`), key);
    const collect = failed(await down.collect({ fields: [] }));
    expect(collect).toMatch(/ECONNREFUSED.*check that the server is up/);
    const refused = await providerError(down.execute(op("activate", { siteId: "site1", domain: "a.example" })));
    expect(refused).toMatchObject({ kind: "transport", retryable: true });
    const wrong = open(serverConfig(f.emulator.url.replace(/\/soap$/, "/nosuch")), key);
    const protocol = await providerError(wrong.readSite({ siteId: "site1", domain: "a.example", fields: [] }));
    expect(protocol).toMatchObject({ kind: "protocol", message: expect.stringContaining("HTTP 404") });
    for (const text of [collect, refused.message, protocol.message]) expectNoKey(text, key);
  });

  it("maps a call slower than the timeout on a read to transport", async () => {
    const f = await fixture();
    f.emulator.setKnobs({ latencyMs: { admin_collect: 2_000 } });
    const slow = open(serverConfig(f.emulator.url, { timeoutSeconds: 0.2 }), f.emulator.key);
    expect(await providerError(slow.readSite({ siteId: "site1", domain: "a.example", fields: [] }))).toMatchObject({ kind: "transport", message: expect.stringContaining("ETIMEDOUT") });
  });
});

describe("HTTPS", () => {
  it("trusts the server through caFile and refuses it without", async () => {
    const f = await fixture({ tls: true });
    const dir = mkdtempSync(join(tmpdir(), "siteform-provider-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const caFile = join(dir, "ca.pem");
    writeFileSync(caFile, f.emulator.caCert ?? "");
    await addSite(f, "tls.example", "tlsadmin");
    const pinned = open(serverConfig(f.emulator.url, { caFile }), f.emulator.key);
    expect(await pinned.collect({ fields: [] })).toMatchObject({ ok: true, sites: [{ id: "site1", domain: "tls.example" }] });
    const untrusted = open(serverConfig(f.emulator.url), f.emulator.key);
    const error = failed(await untrusted.collect({ fields: [] }));
    expect(error).toMatch(/TLS: give the server's CA with caFile/);
    expectNoKey(error, f.emulator.key);
  });
});
