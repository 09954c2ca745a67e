/**
 * siteform's ApisCP client against PHP's own SoapServer (test/interop/php/peer-server.php, a
 * stateful fake of the API). The peer logs, as JSON, the very PHP value it handed to ext/soap
 * for every call; each test compares what the client decoded with that log, so "decodes exactly
 * what PHP sent" is checked against PHP and not against the test's own idea of the answer.
 * Scripted replies make the peer return awkward shapes (unicode, XML specials, nesting, int
 * keys), faults, and a null answer to a mutating call.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiscpClient } from "../../src/providers/apiscp/client.js";
import { ApiscpError, SoapFaultError } from "../../src/providers/apiscp/errors.js";
import { requirePhpSoap, startPhpPeer, stopAllPhp, tempDir, type PhpPeer } from "./php-process.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface LogEntry {
  method: string;
  args: Json[];
  return?: Json;
  fault?: { faultcode: string; faultstring: string };
}

interface ScriptedReply {
  kind: "null" | "false" | "value" | "fault";
  value?: Json;
  faultcode?: string;
  message?: string;
  perform?: boolean;
}

const KEY = "0123456789abcdef".repeat(4);
const UNICODE = "Müller — 日本語 🎉";
const SPECIAL = `<a href="x">&amp; 'q'</a> ]]>`;

const scratch = tempDir("php-peer");
let peer: PhpPeer;
let client: ApiscpClient;

beforeAll(async () => {
  requirePhpSoap();
  const stateFile = join(scratch.path, "state.json");
  writeFileSync(stateFile, "");
  peer = await startPhpPeer({ key: KEY, stateFile, logFile: join(scratch.path, "calls.jsonl") });
  client = new ApiscpClient({ url: peer.url, key: KEY, timeoutMs: 20_000 });
});

afterAll(async () => {
  client?.close();
  await stopAllPhp();
  scratch.cleanup();
});

/** The peer's record of its most recent call of `method`. */
function lastCall(method: string): LogEntry {
  const entries = readFileSync(peer.logFile, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as LogEntry)
    .filter((e) => e.method === method);
  const last = entries.at(-1);
  if (last === undefined) throw new Error(`the peer logged no ${method} call; its output:\n${peer.output()}`);
  return last;
}

function phpReturned(method: string): Json {
  const entry = lastCall(method);
  if (entry.fault !== undefined) throw new Error(`${method} faulted on the peer: ${entry.fault.faultstring}`);
  return entry.return ?? null;
}

/** The JSON text of a number PHP must decode as a float even though it has no fraction. */
const FLOAT_FIVE = "__float_5.0__";

async function script(method: string, reply: ScriptedReply): Promise<void> {
  const response = await fetch(`${peer.baseUrl}/__peer/script`, {
    method: "POST",
    body: JSON.stringify({ method, reply }).replaceAll(`"${FLOAT_FIVE}"`, "5.0"),
  });
  if (!response.ok) throw new Error(`scripting ${method} failed: ${response.status} ${await response.text()}`);
}

/** PHP's collect row keeps services beside `active` and `domain`; the client separates them. */
function asClientCollect(php: Json): Record<string, { services: Json; active: Json; domain: Json }> {
  // PHP sends an empty result as an empty list.
  if (Array.isArray(php)) return {};
  const out: Record<string, { services: Json; active: Json; domain: Json }> = {};
  for (const [site, row] of Object.entries(php as Record<string, Record<string, Json>>)) {
    const { active, domain, ...services } = row;
    out[site] = { services, active: active ?? null, domain: domain ?? null };
  }
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

describe("siteform's client against PHP's SoapServer", () => {
  it("common_whoami", async () => {
    expect(await client.whoami()).toBe(phpReturned("common_whoami"));
  });

  it("admin_add_site sends flat dotted opts PHP reads back exactly, and gets true", async () => {
    await client.addSite("a.example.com", "admina", {
      "siteinfo.plan": "basic",
      "siteinfo.notes": UNICODE,
      "billing.invoice": "INV-1",
      "diskquota.quota": 5000,
      "aliases.aliases": ["www.a.example.com", "www2.a.example.com"],
    });
    const call = lastCall("admin_add_site");
    expect(call.args.slice(0, 3)).toEqual([
      "a.example.com",
      "admina",
      {
        "siteinfo.plan": "basic",
        "siteinfo.notes": UNICODE,
        "billing.invoice": "INV-1",
        "diskquota.quota": 5000,
        "aliases.aliases": ["www.a.example.com", "www2.a.example.com"],
      },
    ]);
    expect(call.return).toBe(true);
    await client.addSite("b.example.com", "adminb", { "billing.parent_invoice": "INV-1", "siteinfo.plan": "premium" });
  });

  it("admin_collect(null): every service, decoded exactly as PHP sent it", async () => {
    const got = await client.collect(null);
    expect(got).toStrictEqual(asClientCollect(phpReturned("admin_collect")));
    expect(Object.keys(got).sort()).toEqual(["site1", "site2"]);
  });

  it("admin_collect with a query and a site list", async () => {
    const got = await client.collect(["siteinfo.domain", "cgroup"], { "billing.parent_invoice": "INV-1" }, ["b.example.com"]);
    expect(got).toStrictEqual(asClientCollect(phpReturned("admin_collect")));
    expect(got.site2?.services).toEqual({
      siteinfo: { domain: "b.example.com" },
      cgroup: { memory: 2048, proclimit: 100, cpu: 1.5 },
    });
  });

  it("an empty collect ([] on the wire) is an empty record", async () => {
    expect(await client.collect(["siteinfo.domain"], { "billing.invoice": "NO-SUCH" })).toEqual({});
    expect(phpReturned("admin_collect")).toEqual([]);
  });

  it("admin_get_domains: an int-keyed PHP map becomes Map<number, string>", async () => {
    const got = await client.getDomains();
    expect(got).toEqual(new Map([[1, "a.example.com"], [2, "b.example.com"]]));
    expect(phpReturned("admin_get_domains")).toEqual({ "1": "a.example.com", "2": "b.example.com" });
  });

  it("admin_get_site_id_from_domain: an int, or null", async () => {
    expect(await client.getSiteIdFromDomain("www.a.example.com")).toBe(1);
    expect(await client.getSiteIdFromDomain("nowhere.example.com")).toBeNull();
    expect(phpReturned("admin_get_site_id_from_domain")).toBeNull();
  });

  it("admin_list_plans and admin_get_plan (nested maps, a float, a null)", async () => {
    expect(await client.listPlans()).toEqual(phpReturned("admin_list_plans"));
    const plan = await client.getPlan("premium");
    expect(plan).toStrictEqual(phpReturned("admin_get_plan"));
    expect(plan).toMatchObject({ cgroup: { memory: 2048, cpu: 1.5 }, mysql: { dbaseprefix: null } });
  });

  it("admin_get_usage", async () => {
    expect(await client.getUsage("storage")).toEqual(phpReturned("admin_get_usage"));
    expect(await client.getUsage("bandwidth", ["site2"])).toEqual(phpReturned("admin_get_usage"));
  });

  it("admin_hijack returns the session id PHP made", async () => {
    expect(await client.hijack("site1")).toBe(phpReturned("admin_hijack"));
  });

  it("edit, deactivate, activate and delete change the peer's state", async () => {
    await client.editSite("INV-1", { "diskquota.quota": 7000 });
    expect(phpReturned("admin_edit_site")).toBe(true);
    await client.deactivateSite("site2", { reason: "cancelled: test" });
    expect((await client.collect(["siteinfo.domain"], { active: false })).site2?.active).toBe(false);
    await client.activateSite("site2");
    expect((await client.collect(["diskquota.quota"], null, ["INV-1"]))).toEqual({
      site1: { services: { diskquota: { quota: 7000 } }, active: true, domain: "a.example.com" },
      site2: { services: { diskquota: { quota: 7000 } }, active: true, domain: "b.example.com" },
    });
    await client.deactivateSite("site2", { reason: "cancelled: test" });
    await client.deleteSite(null, { since: "now", match: "^cancelled" });
    expect(await client.getDomains()).toEqual(new Map([[1, "a.example.com"]]));
  });

  it("awkward values (unicode, XML specials, whitespace, nesting, int keys, big ints) decode exactly", async () => {
    const value: Record<string, Json> = {
      siteinfo: { notes: UNICODE, special: SPECIAL, spaces: "  both ends  ", lines: "a\nb\r\nc\td", empty: "" },
      nested: { list: [{ name: "x", n: 1 }, { name: "y", n: [1, 2, []] }], map: { deep: { er: { est: true } } } },
      numbers: { big: 2147483648, safe: 9007199254740991, negative: -42, float: 0.1, tiny: 1e-7 },
      keys: { "12": "int key", "007": "string key", "": "empty key" },
      empty: { list: [] },
    };
    await script("admin_get_plan", { kind: "value", value: { ...value, float: { integral: FLOAT_FIVE } } });
    const got = await client.getPlan("basic");
    expect(got).toStrictEqual(phpReturned("admin_get_plan"));
    // PHP sent the float 5.0 as xsd:float "5": in JS it is just 5.
    expect(got).toEqual({ ...value, float: { integral: 5 } });
  });

  it("a SOAP fault from PHP carries its faultstring", async () => {
    const error = await rejection(client.addSite("a.example.com", "another", {}));
    const php = lastCall("admin_add_site").fault;
    expect(php?.faultstring).toContain("already exists");
    expect(error).toBeInstanceOf(SoapFaultError);
    expect((error as SoapFaultError).faultString).toBe(php?.faultstring);
    expect((error as ApiscpError).kind).toBe("fault");
  });

  it("a scripted fault with XML specials and unicode keeps its text", async () => {
    const message = `${SPECIAL} ${UNICODE}\nsecond line`;
    await script("admin_list_plans", { kind: "fault", message });
    const error = await rejection(client.listPlans());
    expect(error).toBeInstanceOf(SoapFaultError);
    expect((error as SoapFaultError).faultString).toBe(message);
  });

  it("a wrong key is an auth error", async () => {
    const stranger = new ApiscpClient({ url: peer.url, key: "f".repeat(64), timeoutMs: 20_000 });
    try {
      const error = await rejection(stranger.whoami());
      expect(error).toBeInstanceOf(ApiscpError);
      expect((error as ApiscpError).kind).toBe("auth");
      expect(lastCall("common_whoami").fault?.faultstring).toBe("Invalid API key");
    } finally {
      stranger.close();
    }
  });

  it("null from a mutating call is an unknown outcome, not success", async () => {
    await script("admin_edit_site", { kind: "null", perform: true });
    const error = await rejection(client.editSite("site1", { "diskquota.quota": 8000 }));
    expect(error).toBeInstanceOf(ApiscpError);
    expect((error as ApiscpError).kind).toBe("unknown-outcome");
    expect(lastCall("admin_edit_site").return).toBeNull();
    // The peer did the work before answering null: exactly why the outcome must be read back.
    expect((await client.collect(["diskquota.quota"], null, ["site1"])).site1?.services).toStrictEqual({ diskquota: { quota: 8000 } });
  });

  it("false from a mutating call (no Abort-On honoured) is a fault without a faultstring from PHP", async () => {
    await script("admin_activate_site", { kind: "false" });
    const error = await rejection(client.activateSite("site1"));
    expect(error).toBeInstanceOf(SoapFaultError);
    expect((error as SoapFaultError).faultCode).toBe("");
    expect(lastCall("admin_activate_site").return).toBe(false);
  });

  it("admin_get_domains keyed 0..n-1 arrives as a PHP list and still reads as id → domain", async () => {
    await script("admin_get_domains", { kind: "value", value: { "0": "zero.example.com", "1": "one.example.com" } });
    const got = await client.getDomains();
    // PHP's json_decode made [0 => …, 1 => …], a list: that is what went on the wire.
    expect(phpReturned("admin_get_domains")).toStrictEqual(["zero.example.com", "one.example.com"]);
    expect(got).toStrictEqual(new Map([[0, "zero.example.com"], [1, "one.example.com"]]));
  });
});
