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
import { describe, expect, it } from "vitest";
import type { ObservedServer } from "../../src/model/resource.js";
import type { FieldChange, Op, OpAction, OpFlags } from "../../src/model/op.js";
import type { ServerConfig } from "../../src/model/server-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/apiscp/server/index.js";
import { ApiscpClient } from "../../src/providers/apiscp/index.js";
import type { Provider } from "../../src/providers/provider.js";
import { createProvider, catalogueOf } from "../../src/providers/registry.js";
import { keyValues, valueAt } from "../../src/kinds/values.js";
import { providerError, testServer } from "../support/provider-fixture.js";
import { cleanupsAfterEach } from "../support/cleanups.js";

const serverConfig = (url: string, extra: Partial<ServerConfig> = {}): ServerConfig => testServer("fra1", "apiscp", url, { keyEnv: KEY_ENV }, { timeoutSeconds: 10, ...extra });

const KEY_ENV = "SITEFORM_FRA1_KEY";
const ALIASES = catalogueOf().kind("apiscp/site").key("aliases");
const START = 1_800_000_000;
const DAY = 86_400;

interface Fixture {
  emulator: RunningEmulator;
  provider: Provider;
  client: ApiscpClient;
  advance(seconds: number): void;
}

const cleanups = cleanupsAfterEach();


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

const SITE = "apiscp/site";

function op(action: OpAction, target: { id: string | null; name: string; adminUser?: string }, changes: FieldChange[] = [], flags: OpFlags = {}): Op {
  const free =
    action === "create"
      ? [{ key: "domain", namespace: "domain", value: target.name }, ...(target.adminUser === undefined ? [] : [{ key: "admin user", namespace: "admin user", value: target.adminUser }])]
      : undefined;
  return {
    id: `fra1:${action}:${target.name}`,
    server: "fra1",
    kind: SITE,
    action,
    target: { id: target.id, name: target.name, key: null, source: null },
    changes,
    flags,
    dependsOn: [],
    preconditions: { exists: action !== "create", id: target.id, ...(free === undefined ? {} : { free }), fields: {} },
    reason: "test",
    notes: [],
  };
}

/** A read of one site: by id, else by domain, with exactly these fields. */
const read = (id: string | null, name: string, fields: string[] = []) => ({ kind: SITE, id, name, fields });

/** The deletion requirement as the planner writes it. */
const deletion = (suspendedDays: number, ownerTag: string): OpFlags => ({ deletion: { suspendedDays, ownerTag } });

const set = (field: string, after: FieldChange["after"], before: FieldChange["before"] = null): FieldChange => ({ field, before, after });

async function addSite(f: Fixture, domain: string, admin: string, opts: Record<string, string | number | string[]> = {}): Promise<string> {
  await f.client.addSite(domain, admin, opts);
  return `site${(await f.client.getSiteIdFromDomain(domain)) ?? "?"}`;
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
  it("reads every site in id order with its identity fields and exactly the requested fields", async () => {
    const f = await fixture();
    for (let i = 1; i <= 11; i++) await addSite(f, `s${i}.example`, `admin${i}`);
    await f.client.editSite("site2", { "billing.invoice": "INV-2", "aliases.aliases": ["www.s2.example"], "diskquota.quota": 7 });
    await f.client.editSite("site3", { "billing.parent_invoice": "INV-2" });
    await f.client.editSite("site10", { "siteinfo.plan": "business" });
    await f.client.deactivateSite("site5", { reason: "test" });
    f.emulator.calls.reset();

    const server = await f.provider.collect({ fields: { [SITE]: ["ssh.enabled", "diskquota.quota", "ssh.enabled"] } });
    if (!server.ok) throw new Error(server.error);
    expect(f.emulator.calls.byMethod()).toEqual({ admin_collect: 1, admin_list_plans: 1 });
    expect(server.fields).toEqual({ [SITE]: ["diskquota.quota", "ssh.enabled"] });
    expect([...(server.templates[SITE] ?? [])].sort()).toEqual(["basic", "business", "reseller", "starter"]);
    expect(server.resources.map((s) => s.id)).toEqual(Array.from({ length: 11 }, (_, i) => `site${i + 1}`));
    const [s2, s3, s5, s10] = ["site2", "site3", "site5", "site10"].map((id) => server.resources.find((s) => s.id === id));
    expect(s2).toEqual({
      server: "fra1",
      kind: SITE,
      id: "site2",
      name: "s2.example",
      state: "active",
      fields: {
        siteinfo: { domain: "s2.example", admin_user: "admin2", plan: "basic" },
        aliases: { aliases: ["www.s2.example"] },
        billing: { invoice: "INV-2", parent_invoice: null },
        diskquota: { quota: 7 },
        ssh: { enabled: 1 },
      },
    });
    expect(s3?.fields).toMatchObject({ billing: { invoice: null, parent_invoice: "INV-2" } });
    expect(keyValues(ALIASES, s3?.fields ?? {})).toEqual([]);
    expect(s5?.state).toBe("suspended");
    expect(s10?.fields).toMatchObject({ siteinfo: { plan: "business" }, diskquota: { quota: 25 }, ssh: { enabled: 1 } });
  });

  it("answers an empty server with no sites and the plans", async () => {
    const f = await fixture();
    expect(await f.provider.collect({ fields: {} })).toMatchObject({ ok: true, resources: [], fields: { [SITE]: [] }, templates: { [SITE]: expect.arrayContaining(["basic"]) } });
  });

  it("reports a field the server does not know as a failure, naming the server", async () => {
    const f = await fixture();
    expect(failed(await f.provider.collect({ fields: { [SITE]: ["nosuch.param"] } }))).toMatch(/^fra1: cannot read its sites: .*the server refused it: .*nosuch/);
  });
});

/** The fields behind a site's keys, relation and template: a read gives only what it asks for. */
const IDENTITY = ["aliases.aliases", "billing.invoice", "billing.parent_invoice", "siteinfo.admin_user", "siteinfo.plan"];

describe("readResource", () => {
  it("reads one site by id or by domain, and null when nothing holds it", async () => {
    const f = await fixture();
    const id = await addSite(f, "one.example", "oneadmin", { "aliases.aliases": ["www.one.example"] });
    await addSite(f, "two.example", "twoadmin");
    const byId = await f.provider.readResource(read(id, "ignored.example", ["siteinfo.email", ...IDENTITY]));
    expect(byId).toMatchObject({
      kind: SITE,
      id,
      name: "one.example",
      state: "active",
      fields: { siteinfo: { domain: "one.example", admin_user: "oneadmin", email: "blackhole@apiscp.com" }, aliases: { aliases: ["www.one.example"] } },
    });
    expect(await f.provider.readResource(read(null, "ONE.example"))).toMatchObject({ id, fields: { siteinfo: { domain: "one.example" } } });
    expect(await f.provider.readResource(read("site99", "one.example"))).toBeNull();
    expect(await f.provider.readResource(read(null, "missing.example"))).toBeNull();
    // Only what was asked for: without its field, the admin user is not known.
    expect(await f.provider.readResource(read(id, "one.example"))).toEqual({ server: "fra1", kind: SITE, id, name: "one.example", state: "active", fields: { siteinfo: { domain: "one.example" } } });
    // An alias names a site, but no site holds it as its domain.
    expect(await f.provider.readResource(read(null, "www.one.example"))).toBeNull();
  });

  it("reads several sites in one admin_collect, each answer as readResource would give it", async () => {
    const f = await fixture();
    const one = await addSite(f, "one.example", "oneadmin", { "aliases.aliases": ["www.one.example"] });
    const two = await addSite(f, "two.example", "twoadmin");
    const byId = read(two, "two.example", ["siteinfo.email"]);
    const requests = [byId, read(null, "ONE.example"), read(one, "one.example", ["siteinfo.admin_user"])];
    f.emulator.calls.reset();
    const batch = await f.provider.readResources(requests);
    expect(f.emulator.calls.count("admin_collect")).toBe(1);
    expect(batch.map((s) => s?.id ?? null)).toEqual([two, one, one]);
    const single = await Promise.all(requests.map((r) => f.provider.readResource({ ...r, fields: ["siteinfo.admin_user", "siteinfo.email"] })));
    expect(batch.map((s) => s?.fields)).toEqual(single.map((s) => s?.fields));
    // A site of the list that is not there faults the call; each is then asked for on its own.
    f.emulator.calls.reset();
    const withMissing = await f.provider.readResources([byId, read("site99", "gone.example")]);
    expect(withMissing.map((s) => s?.id ?? null)).toEqual([two, null]);
    expect(f.emulator.calls.count("admin_collect")).toBe(3);
  });
});

describe("execute", () => {
  it("creates a site with its settings and returns its new id", async () => {
    const f = await fixture();
    await addSite(f, "first.example", "firstadmin");
    const create = op("create", { id: null, name: "new.example", adminUser: "newadmin" }, [
      set("siteinfo.domain", "new.example"),
      set("siteinfo.admin_user", "newadmin"),
      set("siteinfo.plan", "business"),
      set("siteinfo.email", ["ops@new.example", "bill@new.example"]),
      set("billing.invoice", "INV-9"),
      set("aliases.aliases", ["www.new.example"]),
      set("ssh.enabled", false),
      set("diskquota.quota", "5000"),
    ], { template: "business" });
    expect(await f.provider.execute(create)).toEqual({ id: "site2" });
    const site = await f.provider.readResource(read("site2", "new.example", ["siteinfo.email", "ssh.enabled", "diskquota.quota", ...IDENTITY]));
    expect(site).toMatchObject({
      name: "new.example",
      fields: {
        siteinfo: { domain: "new.example", admin_user: "newadmin", plan: "business", email: ["ops@new.example", "bill@new.example"] },
        billing: { invoice: "INV-9" },
        aliases: { aliases: ["www.new.example"] },
        ssh: { enabled: 0 },
        diskquota: { quota: 5000 },
      },
    });
  });

  it("renames a site in place", async () => {
    const f = await fixture();
    const id = await addSite(f, "old.example", "acme");
    const rename = op("update", { id, name: "old.example" }, [set("siteinfo.domain", "renamed.example", "old.example")]);
    expect(await f.provider.execute(rename)).toEqual({ id });
    expect(await f.provider.readResource(read(id, "renamed.example"))).toMatchObject({ id, name: "renamed.example", fields: { siteinfo: { domain: "renamed.example" } } });
    expect(await f.provider.readResource(read(null, "old.example"))).toBeNull();
  });

  it("changes the plan keeping overrides, or resetting them when asked", async () => {
    const f = await fixture();
    const kept = await addSite(f, "kept.example", "kept", { "diskquota.quota": 3 });
    const reset = await addSite(f, "reset.example", "reset", { "diskquota.quota": 3 });
    const fields = ["diskquota.quota", "bandwidth.threshold"];
    const change = [set("siteinfo.plan", "business", "basic")];
    await f.provider.execute(op("update", { id: kept, name: "kept.example" }, change, { template: "business" }));
    await f.provider.execute(op("update", { id: reset, name: "reset.example" }, change, { template: "business", reset: true }));
    expect(await f.provider.readResource(read(kept, "kept.example", [...fields, "siteinfo.plan"]))).toMatchObject({
      fields: { siteinfo: { plan: "business" }, diskquota: { quota: 3 }, bandwidth: { threshold: 250 } },
    });
    expect(await f.provider.readResource(read(reset, "reset.example", [...fields, "siteinfo.plan"]))).toMatchObject({
      fields: { siteinfo: { plan: "business" }, diskquota: { quota: 25 }, bandwidth: { threshold: 250 } },
    });
  });

  it("suspends with a reason and activates again", async () => {
    const f = await fixture();
    const id = await addSite(f, "s.example", "sadmin");
    expect(await f.provider.execute(op("suspend", { id, name: "s.example" }, [], { reason: "siteform: cancelled" }))).toEqual({ id });
    const after = await f.provider.collect({ fields: {} });
    expect(after.ok && after.resources[0]?.state).toBe("suspended");
    expect(f.emulator.api.snapshot().sites[0]?.suspendReason).toBe("siteform: cancelled");
    await f.provider.execute(op("activate", { id, name: "s.example" }));
    expect((await f.provider.readResource(read(id, "s.example")))?.state).toBe("active");
  });

  it("deletes at once without a deletion requirement, and with a zero-day one once suspended by siteform", async () => {
    const f = await fixture();
    const plain = await addSite(f, "plain.example", "plain");
    const now = await addSite(f, "now.example", "now");
    expect(await f.provider.execute(op("delete", { id: plain, name: "plain.example" }))).toEqual({ id: null });
    await f.client.deactivateSite(now, { reason: "siteform: cancelled on 2025-01-01" });
    expect(await f.provider.execute(op("delete", { id: now, name: "now.example" }, [], deletion(0, "siteform: cancelled")))).toEqual({ id: null });
    const left = await f.provider.collect({ fields: {} });
    expect(left.ok && left.resources).toEqual([]);
  });

  it("reports a site the server kept by its since/match check, and deletes it once old enough", async () => {
    const f = await fixture();
    const id = await addSite(f, "late.example", "late");
    await f.client.deactivateSite(id, { reason: "siteform: cancelled on 2025-01-01" });
    const remove = op("delete", { id, name: "late.example" }, [], deletion(30, "siteform: cancelled"));
    expect(await f.provider.execute(remove)).toEqual({
      id,
      note: "the server kept the site: it was not suspended by siteform, or not long enough (since 30 days ago, match ^siteform: cancelled)",
    });
    expect(await f.provider.execute(op("delete", { id, name: "late.example" }, [], deletion(0, "siteform: unmanaged")))).toMatchObject({ id, note: expect.stringContaining("match ^siteform: unmanaged") });
    f.advance(31 * DAY);
    expect(await f.provider.execute(remove)).toEqual({ id: null });
    expect(await f.provider.readResource(read(id, "late.example"))).toBeNull();
  });

  it("reads a server-side plan's defaults", async () => {
    const f = await fixture();
    const business = await f.provider.templateDefaults(SITE, "business");
    expect(valueAt(business, "diskquota.quota")).toBe(25);
    const missing = await providerError(f.provider.templateDefaults(SITE, "nosuchplan"));
    expect(missing.kind).toBe("rejected");
    expect(missing.message).toMatch(/^fra1: read the defaults of plan nosuchplan: the server refused it: /);
  });
});

describe("failures", () => {
  it("maps a SOAP fault to rejected, with the server's words and the op's site", async () => {
    const f = await fixture();
    const id = await addSite(f, "r.example", "radmin");
    const bad = await providerError(f.provider.execute(op("update", { id, name: "r.example" }, [set("siteinfo.plan", "nosuchplan")], { template: "nosuchplan" })));
    expect(bad).toMatchObject({ kind: "rejected", retryable: false });
    expect(bad.message).toBe(`fra1: update r.example (${id}): the server refused it: unknown plan \`nosuchplan' (siteinfo.plan)`);
    const gone = await providerError(f.provider.execute(op("suspend", { id: "site77", name: "gone.example" })));
    expect(gone).toMatchObject({ kind: "rejected", message: expect.stringContaining("unknown site `site77'") });
  });

  it("maps a try-again fault to a retryable rejection and HTTP 503 to transport, nothing done", async () => {
    const f = await fixture();
    const id = await addSite(f, "t.example", "tadmin");
    const suspend = op("suspend", { id, name: "t.example" });
    f.emulator.setKnobs({ failProbability: { admin_deactivate_site: 1 }, failForm: { admin_deactivate_site: "fault" } });
    expect(await providerError(f.provider.execute(suspend))).toMatchObject({ kind: "rejected", retryable: true });
    f.emulator.setKnobs({ failForm: { admin_deactivate_site: "http503" } });
    const busy = await providerError(f.provider.execute(suspend));
    expect(busy).toMatchObject({ kind: "transport", retryable: true, message: expect.stringContaining("HTTP 503") });
    expect((await f.provider.readResource(read(id, "t.example")))?.state).toBe("active");
  });

  it("maps a lost answer after the work, or a null answer, to unknown-outcome", async () => {
    const f = await fixture();
    const id = await addSite(f, "u.example", "uadmin");
    f.emulator.setKnobs({ dropAfterWork: { admin_deactivate_site: 1 }, returnNull: { admin_activate_site: 1 } });
    const dropped = await providerError(f.provider.execute(op("suspend", { id, name: "u.example" })));
    expect(dropped).toMatchObject({ kind: "unknown-outcome", retryable: false });
    expect((await f.provider.readResource(read(id, "u.example")))?.state).toBe("suspended");
    const nulled = await providerError(f.provider.execute(op("activate", { id, name: "u.example" })));
    expect(nulled).toMatchObject({ kind: "unknown-outcome", message: expect.stringContaining("null") });
  });

  it("maps a reset connection: unknown outcome for a mutation, transport for a read", async () => {
    const f = await fixture();
    const id = await addSite(f, "x.example", "xadmin");
    f.emulator.setKnobs({ failProbability: { "*": 1 }, failForm: { "*": "reset" } });
    expect(await providerError(f.provider.execute(op("activate", { id, name: "x.example" })))).toMatchObject({ kind: "unknown-outcome" });
    expect(await providerError(f.provider.readResource(read(id, "x.example")))).toMatchObject({ kind: "transport", retryable: true });
    expect(failed(await f.provider.collect({ fields: {} }))).toMatch(/^fra1: cannot read its sites: admin_(collect|list_plans) at http:\/\/127\.0\.0\.1:\d+\/soap: /);
  });

  it("maps a refused key to auth and names the variable, never the key", async () => {
    const f = await fixture();
    const wrongKey = "0123456789abcdef".repeat(4);
    const provider = open(serverConfig(f.emulator.url), wrongKey);
    const collect = failed(await provider.collect({ fields: {} }));
    expect(collect).toMatch(/refused the API key/);
    expect(collect).toContain(KEY_ENV);
    const denied = await providerError(provider.execute(op("activate", { id: "site1", name: "a.example" })));
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
    const collect = failed(await down.collect({ fields: {} }));
    expect(collect).toMatch(/ECONNREFUSED.*check that the server is up/);
    const refused = await providerError(down.execute(op("activate", { id: "site1", name: "a.example" })));
    expect(refused).toMatchObject({ kind: "transport", retryable: true });
    const wrong = open(serverConfig(f.emulator.url.replace(/\/soap$/, "/nosuch")), key);
    const protocol = await providerError(wrong.readResource(read("site1", "a.example")));
    expect(protocol).toMatchObject({ kind: "protocol", message: expect.stringContaining("HTTP 404") });
    for (const text of [collect, refused.message, protocol.message]) expectNoKey(text, key);
  });

  it("maps a call slower than the timeout on a read to transport", async () => {
    const f = await fixture();
    f.emulator.setKnobs({ latencyMs: { admin_collect: 2_000 } });
    const slow = open(serverConfig(f.emulator.url, { timeoutSeconds: 0.2 }), f.emulator.key);
    expect(await providerError(slow.readResource(read("site1", "a.example")))).toMatchObject({ kind: "transport", message: expect.stringContaining("ETIMEDOUT") });
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
    expect(await pinned.collect({ fields: {} })).toMatchObject({ ok: true, resources: [{ id: "site1", name: "tls.example" }] });
    const untrusted = open(serverConfig(f.emulator.url), f.emulator.key);
    const error = failed(await untrusted.collect({ fields: {} }));
    expect(error).toMatch(/TLS: name the server.s CA certificate.*`ca_file` in siteform\.yaml.*`insecure_tls: true`/);
    expect(error).not.toMatch(/caFile|insecureTls/);
    expectNoKey(error, f.emulator.key);
  });
});
