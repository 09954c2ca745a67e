import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ApiscpClient } from "../../../src/providers/apiscp/index.js";
import { result, startFakeServer, type FakeServer } from "./fake-server.js";

const KEY = "0123456789abcdef".repeat(4);
const DASHED = `${KEY.slice(0, 16)}-${KEY.slice(16, 32)}-${KEY.slice(32, 48)} ${KEY.slice(48)}\n`;

let server: FakeServer;
let client: ApiscpClient;

beforeAll(async () => {
  server = await startFakeServer(result(true));
  client = new ApiscpClient({ url: server.url, key: DASHED });
});
afterEach(() => {
  server.received.length = 0;
  server.handle(result(true));
});
afterAll(async () => {
  client.close();
  await server.stop();
});

const last = () => {
  const entry = server.received.at(-1);
  if (entry === undefined) throw new Error("the server received nothing");
  return entry;
};

describe("what goes over HTTP", () => {
  it("POSTs text/xml with the normalised key in Auth-Key, Abort-On and a quoted SOAPAction", async () => {
    server.handle(result("admin"));
    expect(await client.whoami()).toBe("admin");
    const req = last();
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/soap");
    expect(req.headers["content-type"]).toBe("text/xml; charset=utf-8");
    expect(req.headers["auth-key"]).toBe(KEY);
    expect(req.headers["abort-on"]).toBe("error");
    expect(req.headers["soapaction"]).toBe('"urn:apnscp.api.soap#common_whoami"');
    expect(req.call).toEqual({ operation: "common_whoami", args: [], argNames: [] });
    expect(req.body).toContain('xmlns:ns1="urn:apnscp.api.soap"');
  });

  it("never puts the key in the URL, and drops an authkey the configured URL carried", async () => {
    const withKey = new ApiscpClient({ url: `${server.url}?authkey=${KEY}&x=1`, key: KEY });
    try {
      await withKey.activateSite("site1");
      expect(last().url).toBe("/soap?x=1");
      expect(withKey.endpoint).toBe(`${server.url}`);
      expect(JSON.stringify(server.received)).not.toContain(`authkey=${KEY}`);
    } finally {
      withKey.close();
    }
  });

  it("uses a configured namespace for the operation and SOAPAction", async () => {
    const other = new ApiscpClient({ url: server.url, key: KEY, namespace: "urn:net.apnscp.soap" });
    try {
      await other.activateSite("site1");
      expect(last().headers["soapaction"]).toBe('"urn:net.apnscp.soap#admin_activate_site"');
      expect(last().body).toContain('xmlns:ns1="urn:net.apnscp.soap"');
    } finally {
      other.close();
    }
  });

  it("reuses connections (keep-alive)", async () => {
    await client.activateSite("a");
    await client.activateSite("b");
    const [a, b] = server.received.slice(-2);
    expect(a?.connection).toBe(b?.connection);
  });
});

describe("arguments as the billing modules send them", () => {
  it.each<[string, (c: ApiscpClient) => Promise<unknown>, unknown[]]>([
    ["collect(null)", (c) => c.collect(null), [null]],
    ["collect with query and sites", (c) => c.collect(["siteinfo.domain"], { "billing.invoice": "X" }, ["site1"]), [["siteinfo.domain"], { "billing.invoice": "X" }, ["site1"]]],
    ["collect with sites but no query", (c) => c.collect([], undefined, ["a.com"]), [[], null, ["a.com"]]],
    ["collect with an empty query ([] on the wire)", (c) => c.collect(null, {}), [null, []]],
    ["addSite without flags", (c) => c.addSite("a.com", "admin", { "siteinfo.plan": "basic" }), ["a.com", "admin", { "siteinfo.plan": "basic" }]],
    [
      "addSite with flags",
      (c) => c.addSite("a.com", "admin", {}, { plan: "basic", force: true, bootstrap: false, notify: false }),
      ["a.com", "admin", [], { plan: "basic", force: true, bootstrap: false, notify: false }],
    ],
    ["editSite dryRun → dry-run", (c) => c.editSite("site12", { "diskquota.quota": 5 }, { dryRun: true, reset: true }), ["site12", { "diskquota.quota": 5 }, { "dry-run": true, reset: true }]],
    ["editSite with empty flags", (c) => c.editSite("site12", { a: 1 }, {}), ["site12", { a: 1 }, []]],
    ["deactivateSite", (c) => c.deactivateSite("INV-1", { reason: "cancelled", template: undefined }), ["INV-1", { reason: "cancelled" }]],
    ["activateSite", (c) => c.activateSite("site1"), ["site1"]],
    ["deleteSite deferred", (c) => c.deleteSite(null, { since: "30 days ago", match: "^cancelled", dryRun: false }), [null, { since: "30 days ago", match: "^cancelled", "dry-run": false }]],
    ["deleteSite(site) sends just the site", (c) => c.deleteSite("site3"), ["site3"]],
  ])("%s", async (name, invoke, args) => {
    if (name.startsWith("collect")) server.handle(result([]));
    await invoke(client);
    expect(last().call?.args).toEqual(args);
  });

  it.each<[string, (c: ApiscpClient) => Promise<unknown>, unknown[], unknown]>([
    ["listPlans", (c) => c.listPlans(), [], ["basic"]],
    ["getPlan", (c) => c.getPlan("basic"), ["basic"], { siteinfo: { plan: "basic" } }],
    ["getDomains", (c) => c.getDomains(), [], { "1": "a.com" }],
    ["getSiteIdFromDomain", (c) => c.getSiteIdFromDomain("a.com"), ["a.com"], 1],
    ["getUsage storage", (c) => c.getUsage("storage"), ["storage"], []],
    ["getUsage bandwidth for sites", (c) => c.getUsage("bandwidth", ["site1"]), ["bandwidth", ["site1"]], []],
    ["hijack(site)", (c) => c.hijack("site1"), ["site1"], "sess"],
    ["hijack with a gate but no user", (c) => c.hijack("site1", undefined, "UI"), ["site1", null, "UI"], "sess"],
  ])("%s", async (_name, invoke, args, answer) => {
    server.handle(result(answer as never));
    await invoke(client);
    expect(last().call?.args).toEqual(args);
  });

  it("call() sends any method positionally and returns the raw value", async () => {
    server.handle(result({ a: [1, { b: null }] }));
    expect(await client.call("admin_get_plan", ["x"])).toEqual({ a: [1, { b: null }] });
    expect(last().call).toEqual({ operation: "admin_get_plan", args: ["x"], argNames: ["param0"] });
  });

  it("runs calls concurrently", async () => {
    server.handle((req, res) => setTimeout(() => result(true)(req, res), 50));
    const started = Date.now();
    await Promise.all(Array.from({ length: 8 }, (_, i) => client.activateSite(`site${i}`)));
    expect(Date.now() - started).toBeLessThan(8 * 50);
  });
});

describe("construction", () => {
  it("refuses bad settings without quoting the key", () => {
    for (const make of [
      () => new ApiscpClient({ url: `not a url ${KEY}`, key: KEY }),
      () => new ApiscpClient({ url: `ftp://host/${KEY}`, key: KEY }),
      () => new ApiscpClient({ url: "http://h/soap", key: " - " }),
      () => new ApiscpClient({ url: "http://h/soap", key: `${KEY}\u0000` }),
      () => new ApiscpClient({ url: "http://h/soap", key: KEY, timeoutMs: 0 }),
      () => new ApiscpClient({ url: "https://h/soap", key: KEY, caFile: "/nonexistent/ca.pem" }),
    ]) {
      expect(make).toThrow(TypeError);
      try {
        make();
      } catch (err) {
        expect(String((err as Error).message)).not.toContain(KEY);
      }
    }
  });

  it("shows the endpoint without credentials or query", () => {
    const c = new ApiscpClient({ url: `https://user:pw@panel.example.com:2083/soap?authkey=${KEY}#x`, key: KEY });
    expect(c.endpoint).toBe("https://panel.example.com:2083/soap");
    c.close();
  });
});
