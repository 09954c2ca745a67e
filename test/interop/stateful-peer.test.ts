/**
 * The stateful PHP peer (php/stateful/, a small ApisCP on PHP's own SoapServer) through the real
 * ApiscpClient: a whole site lifecycle, state that outlives calls and restarts, faults and a
 * refused key; then the point of the peer: the same calls against the TypeScript emulator and
 * the PHP peer leave both answering admin_collect identically, so siteform sees one server.
 */
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/apiscp/server/index.js";
import { ApiscpClient } from "../../src/providers/apiscp/client.js";
import { AuthError, SoapFaultError } from "../../src/providers/apiscp/errors.js";
import { collectParams } from "../../src/providers/apiscp/observe.js";
import { decodeReply, encodeCall, type SoapReply, type SoapValue } from "../../src/providers/apiscp/wire/index.js";
import { tempDir } from "./php-process.js";
import { startStatefulPeer, type StatefulPeer } from "./stateful-peer.js";

const KEY = "5f0e".repeat(16);
const T0 = 1_780_000_000;
const DAY = 86_400;
const scratch = tempDir("stateful-test");
const peers: StatefulPeer[] = [];
const emulators: RunningEmulator[] = [];
const clients: ApiscpClient[] = [];

async function peer(stateFile?: string): Promise<{ peer: StatefulPeer; client: ApiscpClient }> {
  const started = await startStatefulPeer({ key: KEY, ...(stateFile !== undefined && { stateFile }) });
  peers.push(started);
  return { peer: started, client: connect(started.url) };
}

function connect(url: string, key = KEY): ApiscpClient {
  const client = new ApiscpClient({ url, key, timeoutMs: 20_000 });
  clients.push(client);
  return client;
}

/** The fault a call raised (its text), failing the test when it did not fault. */
async function faultOf(call: Promise<unknown>): Promise<string> {
  const error: unknown = await call.then(
    () => new Error("expected a SOAP fault, the call succeeded"),
    (e: unknown) => e,
  );
  if (!(error instanceof SoapFaultError)) throw error;
  return error.faultString;
}

afterAll(async () => {
  clients.forEach((c) => c.close());
  await Promise.all([...peers.map((p) => p.stop()), ...emulators.map((e) => e.stop())]);
  scratch.cleanup();
});

describe("the stateful PHP peer through ApiscpClient", () => {
  let php: StatefulPeer;
  let client: ApiscpClient;

  beforeAll(async () => {
    ({ peer: php, client } = await peer(join(scratch.path, "lifecycle.json")));
    await php.setClock(T0);
  });

  it("answers the connection test and the emulator's plans", async () => {
    expect(await client.whoami()).toBe("admin");
    expect(await client.listPlans()).toEqual(["basic", "business", "reseller", "starter"]);
    const starter = await client.getPlan("starter");
    expect(starter.diskquota).toEqual({ enabled: 1, quota: 1, units: "GB" });
    expect(starter.dns?.key).toBeNull();
    expect(await faultOf(client.getPlan("gold"))).toBe("unknown plan `gold'");
  });

  it("adds sites from flat and nested opts and finds them by domain and alias", async () => {
    await client.addSite("shop.example.com", "shop", { "billing.invoice": "INV-100", "diskquota.quota": "3" }, { plan: "starter" });
    await client.addSite("blog.example.org", "blog", { billing: { parent_invoice: "INV-100" }, aliases: { aliases: ["www.blog.example.org"] } });
    expect(await client.getSiteIdFromDomain("shop.example.com")).toBe(1);
    expect(await client.getSiteIdFromDomain("WWW.blog.example.org")).toBe(2);
    expect(await client.getSiteIdFromDomain("nowhere.example.com")).toBeNull();
  });

  it("collects with every params form", async () => {
    const all = await client.collect(null);
    expect(Object.keys(all)).toEqual(["site1", "site2"]);
    expect(all.site1?.services.diskquota).toEqual({ enabled: 1, quota: 3, units: "GB" });
    expect(all.site1?.services.siteinfo).toMatchObject({ plan: "starter", email: "blackhole@apiscp.com", enabled: 1 });
    expect(all.site1?.services.auth).toBeUndefined();
    const defaults = await client.collect([]);
    expect(defaults.site2).toEqual({
      services: {
        siteinfo: { email: "blackhole@apiscp.com", admin_user: "blog" },
        aliases: { aliases: ["www.blog.example.org"] },
        billing: { invoice: null, parent_invoice: "INV-100" },
      },
      active: true,
      domain: "blog.example.org",
    });
    const picked = await client.collect(["cgroup.memory", "auth", "ssh"]);
    expect(picked.site1?.services).toEqual({ cgroup: { memory: 256 }, auth: { tpasswd: null, cpasswd: null }, ssh: { enabled: 0 } });
    expect(await faultOf(client.collect(["diskquota.speed"]))).toBe("unknown service parameter `diskquota.speed'");
  });

  it("filters collect by query (dotted, comma, nested, active) and by sites", async () => {
    const ids = async (query: Record<string, unknown> | null, sites?: string[]) =>
      Object.keys(await client.collect(["siteinfo.domain"], query as never, sites ?? null));
    expect(await ids({ "billing.parent_invoice": "INV-100" })).toEqual(["site2"]);
    expect(await ids({ "billing,parent_invoice": "INV-100" })).toEqual(["site2"]);
    expect(await ids({ billing: { invoice: "INV-100" } })).toEqual(["site1"]);
    expect(await ids({ "billing.invoice": null })).toEqual(["site2"]);
    expect(await ids({ active: false })).toEqual([]);
    expect(await ids({ "ssh.enabled": true, active: 1 })).toEqual(["site2"]);
    expect(await ids(null, ["INV-100"])).toEqual(["site1", "site2"]);
    expect(await ids(null, ["www.blog.example.org"])).toEqual(["site2"]);
    expect(await faultOf(client.collect([], null, ["site9"]))).toBe("unknown site `site9'");
  });

  it("edits, changes plan keeping overrides, resets, and renames in place", async () => {
    await client.editSite("site1", { "cgroup.memory": 300 });
    await client.editSite("shop.example.com", { "siteinfo.plan": "business" });
    let row = (await client.collect(["diskquota.quota", "cgroup.memory", "mysql.dbasenum", "siteinfo.plan"])).site1;
    expect(row?.services).toEqual({ diskquota: { quota: 3 }, cgroup: { memory: 300 }, mysql: { dbasenum: 50 }, siteinfo: { plan: "business" } });
    await client.editSite("site1", {}, { plan: "business", reset: true });
    row = (await client.collect(["diskquota.quota", "cgroup.memory", "billing.invoice"])).site1;
    expect(row?.services).toEqual({ diskquota: { quota: 25 }, cgroup: { memory: 2048 }, billing: { invoice: "INV-100" } });
    await client.editSite("INV-100", { "siteinfo.notes": "group edit" }, { dryRun: true });
    expect((await client.collect(["siteinfo.notes"])).site2?.services.siteinfo?.notes).toBeNull();
    await client.editSite("site1", { "siteinfo.domain": "shop.example.net" });
    const renamed = await client.collect(["siteinfo.domain"]);
    expect(renamed.site1?.domain).toBe("shop.example.net");
    expect(await client.getSiteIdFromDomain("shop.example.com")).toBeNull();
  });

  it("suspends a group, activates one site, and deletes only what since/match allow", async () => {
    await client.deactivateSite("INV-100", { reason: "siteform: cancelled" });
    expect(Object.values(await client.collect([])).map((r) => r.active)).toEqual([false, false]);
    await client.activateSite("blog.example.org");
    expect(Object.keys(await client.collect([], { active: true }))).toEqual(["site2"]);
    await php.setClock(T0 + 10 * DAY);
    await client.deleteSite(null, { since: "30 days ago", match: "^siteform:" });
    await client.deleteSite("site1", { since: "30 days ago" }); // named, too young: silently kept
    expect(Object.keys(await client.collect([]))).toEqual(["site1", "site2"]);
    await php.setClock(T0 + 31 * DAY);
    await client.deleteSite(null, { since: "30 days ago", match: "billing" }); // wrong reason
    expect(Object.keys(await client.collect([]))).toEqual(["site1", "site2"]);
    await client.deleteSite(null, { since: String(T0 + DAY), match: "/^SITEFORM/i" });
    expect(Object.keys(await client.collect([]))).toEqual(["site2"]);
  });

  it("deletes a whole account group by its invoice", async () => {
    await client.addSite("parent.example.com", "parent", { "billing.invoice": "INV-200" });
    await client.addSite("child.example.com", "child", { "billing.parent_invoice": "INV-200" });
    expect(Object.keys(await client.collect([], null, ["INV-200"]))).toEqual(["site3", "site4"]);
    await client.deleteSite("INV-200");
    expect(Object.keys(await client.collect([]))).toEqual(["site2"]);
    expect(await faultOf(client.deleteSite("INV-200"))).toBe("unknown site `INV-200'");
  });

  it("refuses duplicates and unknown parameters readably, changing nothing", async () => {
    const before = await client.collect(null);
    expect(await faultOf(client.addSite("blog.example.org", "other", {}))).toBe("domain `blog.example.org' already exists (site2)");
    expect(await faultOf(client.addSite("new.example.com", "blog", {}))).toBe("admin user `blog' already exists (site2)");
    expect(await faultOf(client.addSite("www.blog.example.org", "other", {}))).toBe(
      "domain `www.blog.example.org' is already in use as an alias of site2",
    );
    expect(await faultOf(client.addSite("new.example.com", "other", { "diskquota.speed": 1 }))).toBe(
      "unknown service parameter `diskquota.speed'",
    );
    expect(await faultOf(client.editSite("site2", { webdav: { enabled: 1 } }))).toBe("unknown service `webdav'");
    expect(await faultOf(client.editSite("site2", { "mysql.dbasenum": 1000 }))).toBe(
      "invalid value 1000 for `mysql.dbasenum': must be at most 999",
    );
    expect(await client.collect(null)).toEqual(before);
  });

  it("keeps its state across calls and restarts, in a file the emulator loads as its own", async () => {
    const before = await client.collect(null);
    await php.stop();
    const again = await peer(php.stateFile);
    expect(await again.client.collect(null)).toEqual(before);
    const copy = join(scratch.path, "for-emulator.json");
    copyFileSync(php.stateFile, copy);
    const emulator = await startEmulator({ key: KEY, stateFile: copy });
    emulators.push(emulator);
    expect(await connect(emulator.url).collect(null)).toEqual(before);
  });

  it("refuses a wrong key as an AuthError", async () => {
    const { peer: fresh } = await peer();
    const stranger = connect(fresh.url, "0".repeat(64));
    await expect(stranger.whoami()).rejects.toBeInstanceOf(AuthError);
    await expect(stranger.addSite("x.example.com", "x", {})).rejects.toThrow(/Invalid API key/);
  });
});

describe("the stateful PHP peer on the raw wire, as billing modules call it", () => {
  /** One POST as a PHP billing module sends it: key in the header or the query, Abort-On optional. */
  async function post(url: string, method: string, args: SoapValue[], headers: Record<string, string>): Promise<SoapReply> {
    const body = encodeCall({ operation: method, args }, { namespace: "urn:apnscp.api.soap" });
    const response = await fetch(url, { method: "POST", body, headers: { "Content-Type": "text/xml; charset=utf-8", ...headers } });
    return decodeReply(await response.text());
  }

  it("takes ?authkey=, answers false without Abort-On and faults with it, and names a missing key", async () => {
    const { peer: fresh } = await peer();
    const withQuery = `${fresh.url}?authkey=${KEY.toUpperCase().replace(/(.{8})/g, "$1-").slice(0, -1)}`;
    expect(await post(withQuery, "admin_add_site", ["one.example.com", "one", [], []], {})).toEqual({ kind: "result", value: true });
    expect(await post(withQuery, "admin_add_site", ["one.example.com", "two"], {})).toEqual({ kind: "result", value: false });
    expect(await post(withQuery, "admin_get_plan", ["gold"], {})).toEqual({ kind: "result", value: null });
    const strict = await post(withQuery, "admin_add_site", ["one.example.com", "two"], { "Abort-On": "error" });
    expect(strict).toMatchObject({ kind: "fault", fault: { code: "SOAP-ENV:Server", message: "domain `one.example.com' already exists (site1)" } });
    const anonymous = await post(fresh.url, "common_whoami", [], {});
    expect(anonymous).toMatchObject({ kind: "fault", fault: { code: "SOAP-ENV:Client", message: expect.stringMatching(/^Invalid API key: none given/) } });
    expect(await post(fresh.url, "admin_hijack", ["site1"], { "Auth-Key": KEY, "Abort-On": "error" })).toMatchObject({
      kind: "fault",
      fault: { message: "unknown method `admin_hijack'" },
    });
  });
});

/** One step of the comparison: what a call answered, or the fault it raised. */
type Step = (client: ApiscpClient) => Promise<unknown>;

const MANAGED = collectParams(["siteinfo.email", "diskquota.quota", "cgroup.memory", "ssh.enabled", "apache.jail", "mysql.dbasenum"]);

const SCENARIO: Step[] = [
  (c) => c.addSite("alpha.example.com", "alpha", { "siteinfo.email": ["ops@example.com", "a@example.com"], "billing.invoice": "G-1" }, { plan: "business" }),
  (c) => c.addSite("beta.example.com", "beta", { billing: { parent_invoice: "G-1" }, cgroup: { memory: "768" } }),
  (c) => c.addSite("gamma.example.net", "gamma", { "siteinfo.plan": "reseller", "aliases.aliases": ["www.gamma.example.net"], "auth.tpasswd": "hunter2hunter2" }),
  (c) => c.addSite("gamma.example.net", "delta", {}),
  (c) => c.addSite("delta.example.net", "delta", { "siteinfo.plan": "gold" }),
  (c) => c.collect(MANAGED),
  (c) => c.editSite("beta.example.com", { "siteinfo.plan": "starter", "diskquota.quota": 2.5 }),
  (c) => c.editSite("G-1", { "ssh.enabled": 0 }),
  (c) => c.editSite("site3", {}, { plan: "basic", reset: true }),
  (c) => c.editSite("site1", { "siteinfo.domain": "alpha.example.org", "aliases.aliases": ["alpha.example.com"] }),
  (c) => c.editSite("site2", { "aliases.aliases": ["www.gamma.example.net"] }),
  (c) => c.collect(null),
  (c) => c.deactivateSite("G-1", { reason: "siteform: cancelled 2026-01-01" }),
  (c) => c.deactivateSite("site1", { reason: "again" }),
  (c) => c.collect([], { active: false }),
  (c) => c.activateSite("site2"),
  (c) => c.deleteSite(null, { since: "now", match: "siteform" }),
  (c) => c.deleteSite(null, { since: "now" }),
  (c) => c.deleteSite("site2", { since: "1 day ago", force: true }),
  (c) => c.collect(MANAGED, { "billing.invoice": null }),
  (c) => c.getSiteIdFromDomain("www.gamma.example.net"),
  (c) => c.deleteSite("gamma.example.net"),
  (c) => c.collect(null),
];

async function outcome(step: Step, client: ApiscpClient): Promise<unknown> {
  try {
    return { value: await step(client) };
  } catch (error) {
    if (error instanceof SoapFaultError) return { fault: error.faultString };
    throw error;
  }
}

describe("the emulator and the PHP peer agree", () => {
  it("answer the same scenario with the same values and faults, step by step", async () => {
    const emulatorState = join(scratch.path, "emulator-scenario.json");
    const emulator = await startEmulator({ key: KEY, clock: () => T0, stateFile: emulatorState });
    emulators.push(emulator);
    const { peer: php, client: phpClient } = await peer();
    await php.setClock(T0);
    const tsClient = connect(emulator.url);
    for (const [i, step] of SCENARIO.entries()) {
      const fromTs = await outcome(step, tsClient);
      const fromPhp = await outcome(step, phpClient);
      expect({ step: i, ...(fromPhp as object) }).toEqual({ step: i, ...(fromTs as object) });
    }
    expect(await phpClient.collect(null)).toEqual(await tsClient.collect(null));
    expect(await phpClient.getPlan("reseller")).toEqual(await tsClient.getPlan("reseller"));
    // And the other way round: the peer reads the emulator's state file as its own.
    await emulator.stop();
    const loaded = await peer(emulatorState);
    expect(await loaded.client.collect(null)).toEqual(await phpClient.collect(null));
  });
});
