/**
 * The emulator's transport over real sockets: WSDL, authentication and its brute-force block,
 * the request shapes PHP clients send, faults, Abort-On, HTTP edges, hijack sessions, HTTPS
 * and stopping. Requests are raw HTTP built with the shared codec (or by hand where PHP's shape
 * matters), so what is asserted is what travels on the wire. Knobs, the state file and the CLI
 * have their own files.
 */
import { Agent } from "node:http";
import { XMLParser } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import type { AdminApi, EmulatorState } from "../../src/emulator/apiscp/api.js";
import { ApiFault } from "../../src/emulator/apiscp/api.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/apiscp/server/index.js";
import { decodeReply, encodeCall } from "../../src/providers/apiscp/wire/index.js";
import { call, envelope, post, result, send } from "../unit/emulator-server/support/soap-http.js";
import { emulatorPool } from "../support/emulator-pool.js";

const emulator = emulatorPool();

const dashed = (key: string): string => key.toUpperCase().replace(/(.{16})(?!$)/g, "$1-");

describe("WSDL", () => {
  let e: RunningEmulator;
  beforeAll(async () => {
    e = await emulator();
  });

  it("is served without a key, as XML naming the endpoint", async () => {
    const res = await send(e.wsdlUrl);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/xml; charset=utf-8");
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" }).parse(res.body) as {
      definitions: { service: { port: { "soap:address": { "@location": string } } } };
    };
    expect(doc.definitions.service.port["soap:address"]["@location"]).toBe(e.url);
    expect(e.url).not.toContain(e.key);
    expect(res.body).toContain('<part name="admin_user" type="xsd:anyType"/>');
  });

  it("is also at /soap?wsdl, answers HEAD, and is not counted as a call", async () => {
    const res = await send(`${e.url}?wsdl`);
    expect(res.status).toBe(200);
    const head = await send(e.wsdlUrl, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(Number(head.headers["content-length"])).toBe(Buffer.byteLength(res.body));
    expect(e.calls.total).toBe(0);
  });
});

describe("authentication", () => {
  it("accepts the key in Auth-Key and in ?authkey=, with dashes and in upper case", async () => {
    const e = await emulator();
    expect(await result(e.url, "common_whoami", [], { key: e.key })).toBe("admin");
    expect(await result(e.url, "common_whoami", [], { key: dashed(e.key), keyInQuery: true })).toBe("admin");
    expect(await result(e.url, "common_whoami", [], { key: dashed(e.key) })).toBe("admin");
  });

  it("uses the key it was given, normalised", async () => {
    const key = "ab".repeat(32);
    const e = await emulator({ key: dashed(key) });
    expect(e.key).toBe(key);
    expect(await result(e.url, "common_whoami", [], { key })).toBe("admin");
    await expect(startEmulator({ key: "not-a-key" })).rejects.toThrow(/64 hexadecimal digits/);
  });

  it("refuses a wrong or missing key with a readable Client fault, HTTP 500, even without Abort-On", async () => {
    const e = await emulator();
    const wrong = await call(e.url, "common_whoami", [], { key: "0".repeat(64), abortOn: false });
    expect(wrong.response.status).toBe(500);
    expect(wrong.response.headers["content-type"]).toBe("text/xml; charset=utf-8");
    expect(wrong.reply).toEqual({ kind: "fault", fault: { code: "SOAP-ENV:Client", message: "Invalid API key" } });
    const missing = await call(e.url, "common_whoami", []);
    expect(missing.reply).toMatchObject({ kind: "fault", fault: { message: expect.stringMatching(/Invalid API key.*Auth-Key/) } });
    // The key is the emulator's secret: no answer repeats it, not even a fault.
    expect(wrong.response.body).not.toContain(e.key);
  });

  it("blocks an address after too many failures, even for the right key, on the emulator's clock", async () => {
    let now = 1_000_000;
    const e = await emulator({ authLimit: { limit: 3, windowSeconds: 60 }, clock: () => now });
    for (let i = 0; i < 3; i++) {
      expect((await call(e.url, "common_whoami", [], { key: "1".repeat(64) })).reply.kind).toBe("fault");
    }
    const blocked = await call(e.url, "common_whoami", [], { key: e.key });
    expect(blocked.reply).toMatchObject({ kind: "fault", fault: { message: expect.stringMatching(/Too many failed/) } });
    now += 59;
    expect((await call(e.url, "common_whoami", [], { key: e.key })).reply.kind).toBe("fault");
    e.setClock(() => now + 1);
    expect(await result(e.url, "common_whoami", [], { key: e.key })).toBe("admin");
    expect(e.calls.count("common_whoami")).toBe(6); // refused calls count too
  });

  it("accepts a hijacked session's esprit_id cookie, but not for admin methods", async () => {
    const e = await emulator();
    expect(await result(e.url, "admin_add_site", ["hj.example.com", "hjadmin", {}, {}], { key: e.key })).toBe(true);
    const id = await result(e.url, "admin_hijack", ["hj.example.com", null, "SOAP"], { key: e.key });
    expect(typeof id).toBe("string");
    expect(id).toMatch(/^[0-9a-f]{32}$/); // random, not the model's guessable counter
    const whoami = await call(e.url, "common_whoami", [], { cookie: `lang=en; esprit_id=${String(id)}` });
    expect(whoami.reply.kind).toBe("result");
    const admin = await call(e.url, "admin_collect", [null, {}, []], { cookie: `esprit_id=${String(id)}` });
    expect(admin.reply).toMatchObject({ kind: "fault", fault: { message: expect.stringMatching(/access denied/) } });
    const bogus = await call(e.url, "common_whoami", [], { cookie: "esprit_id=deadbeef" });
    expect(bogus.reply).toMatchObject({ kind: "fault", fault: { code: "SOAP-ENV:Client", message: expect.stringMatching(/session/) } });
  });

  it("opens the panel at /apps/APP once for a UI session, and never for a SOAP one, an unknown id or a bad app name", async () => {
    const e = await emulator();
    expect(await result(e.url, "admin_add_site", ["ui.example.com", "uiadmin", {}, {}], { key: e.key })).toBe(true);
    const ui = String(await result(e.url, "admin_hijack", ["ui.example.com", null, "UI"], { key: e.key }));
    const soap = String(await result(e.url, "admin_hijack", ["ui.example.com", null, "SOAP"], { key: e.key }));
    const origin = new URL(e.url).origin;
    const first = await send(`${origin}/apps/filemanager?esprit_id=${ui}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatch(/Signed in to site\d+ as uiadmin: filemanager\./);
    expect(first.body).not.toContain(ui);
    const again = await send(`${origin}/apps/filemanager?esprit_id=${ui}`);
    expect(again.status).toBe(403);
    expect(again.body).toBe("Invalid or expired session (esprit_id): sign in again\n");
    expect((await send(`${origin}/apps/dashboard?esprit_id=${soap}`)).status).toBe(403);
    expect((await send(`${origin}/apps/dashboard?esprit_id=deadbeef`)).status).toBe(403);
    expect((await send(`${origin}/apps/dashboard`)).status).toBe(403);
    expect((await send(`${origin}/apps/..%2Fsoap?esprit_id=${soap}`)).status).toBe(404);
    // A site session may not change a password through the API; the admin key may.
    const viaSession = await call(e.url, "auth_change_password", ["Long-Enough-1", "uiadmin", "ui.example.com"], { cookie: `esprit_id=${soap}` });
    expect(viaSession.reply).toMatchObject({ kind: "fault", fault: { message: expect.stringMatching(/with the API key only/) } });
  });
});

describe("requests as PHP sends them", () => {
  let e: RunningEmulator;
  beforeAll(async () => {
    e = await emulator();
  });

  const str = (name: string, value: string): string => `<${name} xsi:type="xsd:string">${value}</${name}>`;
  const emptyArrays = '<opts SOAP-ENC:arrayType="xsd:ur-type[0]" xsi:type="SOAP-ENC:Array"/><flags SOAP-ENC:arrayType="xsd:ur-type[0]" xsi:type="SOAP-ENC:Array"/>';

  it("binds positional param0… arguments (SoapClient without WSDL)", async () => {
    const body = envelope(
      "admin_add_site",
      `${str("param0", "pos.example.com")}${str("param1", "posadmin")}` +
        '<param2 SOAP-ENC:arrayType="xsd:ur-type[0]" xsi:type="SOAP-ENC:Array"/>',
    );
    const res = await post(e.url, body, { key: e.key });
    expect(decodeReply(res.body)).toEqual({ kind: "result", value: true });
    expect(await result(e.url, "admin_get_site_id_from_domain", ["pos.example.com"], { key: e.key })).toEqual(expect.any(Number));
  });

  it("binds named parts by position, whatever the names (SoapClient with the WSDL)", async () => {
    const body = envelope("admin_add_site", `${str("domain", "named.example.com")}${str("whatever", "namedadmin")}${emptyArrays}`);
    expect(decodeReply((await post(e.url, body, { key: e.key })).body)).toEqual({ kind: "result", value: true });
    const collected = await result(e.url, "admin_collect", [["siteinfo.admin_user"], { "siteinfo.domain": "named.example.com" }, null], {
      key: e.key,
    });
    expect(Object.values(collected as Record<string, unknown>)).toEqual([
      expect.objectContaining({ siteinfo: { admin_user: "namedadmin" } }),
    ]);
  });

  it("matches the operation by local name in any namespace and ignores SOAPAction", async () => {
    const body = envelope("common_whoami", "", "urn:net.apnscp.soap");
    const res = await post(e.url, body, { key: e.key, headers: { SOAPAction: '"urn:something#else"' } });
    expect(decodeReply(res.body)).toEqual({ kind: "result", value: "admin" });
  });

  it("answers malformed XML with a Client fault, after checking the key", async () => {
    const bad = await post(e.url, "<SOAP-ENV:Envelope><unclosed>", { key: e.key, abortOn: false });
    expect(bad.status).toBe(500);
    expect(decodeReply(bad.body)).toMatchObject({ kind: "fault", fault: { code: "SOAP-ENV:Client", message: expect.stringMatching(/Malformed/) } });
    const stranger = await post(e.url, "<not-soap/>", { key: "2".repeat(64) });
    expect(decodeReply(stranger.body)).toMatchObject({ kind: "fault", fault: { message: "Invalid API key" } });
  });

  it("faults on an unknown operation", async () => {
    const { reply } = await call(e.url, "admin_frobnicate", [], { key: e.key });
    expect(reply).toMatchObject({ kind: "fault", fault: { code: "SOAP-ENV:Server", message: expect.stringMatching(/unknown method/) } });
  });
});

describe("Abort-On", () => {
  let e: RunningEmulator;
  beforeAll(async () => {
    e = await emulator();
    await result(e.url, "admin_add_site", ["dup.example.com", "dupadmin", {}, {}], { key: e.key });
  });

  it("with it, errors are Server faults carrying ApisCP's message", async () => {
    const { response, reply } = await call(e.url, "admin_add_site", ["dup.example.com", "other", {}, {}], { key: e.key });
    expect(response.status).toBe(500);
    expect(reply).toMatchObject({ kind: "fault", fault: { code: "SOAP-ENV:Server", message: expect.stringContaining("dup.example.com") } });
  });

  it("without it, a failed mutating call answers false and a failed read answers nil", async () => {
    const add = await call(e.url, "admin_add_site", ["dup.example.com", "other", {}, {}], { key: e.key, abortOn: false });
    expect(add.response.status).toBe(200);
    expect(add.response.body).toContain('<return xsi:type="xsd:boolean">false</return>');
    const plan = await call(e.url, "admin_get_plan", ["no-such-plan"], { key: e.key, abortOn: false });
    expect(plan.response.status).toBe(200);
    expect(plan.response.body).toContain('<return xsi:nil="true"/>');
    // Abort-On: fatal is laxer than error: the same quiet answer.
    const fatal = await call(e.url, "admin_get_plan", ["no-such-plan"], { key: e.key, abortOn: false, headers: { "Abort-On": "fatal" } });
    expect(fatal.reply).toEqual({ kind: "result", value: null });
  });
});

describe("errors inside the emulator", () => {
  const stub = (invoke: AdminApi["invoke"]): AdminApi => ({
    invoke,
    snapshot: (): EmulatorState => ({ version: 1, nextSiteId: 1, plans: {}, sites: [] }),
  });

  it("answer 'internal error' without leaking the arguments, and are logged", async () => {
    const lines: string[] = [];
    const e = await emulator({
      api: stub(() => {
        throw new TypeError("boom");
      }),
      log: (l) => lines.push(l),
    });
    const { reply, response } = await call(e.url, "admin_add_site", ["x.example.com", "x", { "auth.tpasswd": "hunter2" }, {}], {
      key: e.key,
      abortOn: false,
    });
    expect(reply).toEqual({ kind: "fault", fault: { code: "SOAP-ENV:Server", message: "internal error" } });
    expect(response.body).not.toContain("boom");
    expect(lines.join("\n")).toMatch(/internal error in admin_add_site: TypeError: boom/);
    expect(lines.join("\n")).not.toContain("hunter2");
    expect(lines.join("\n")).not.toContain(e.key);
  });

  it("treat a null answer to a mutating call as a bug, never as null on the wire", async () => {
    const e = await emulator({ api: stub(() => null), log: () => undefined });
    const { reply } = await call(e.url, "admin_edit_site", ["site1", {}, {}], { key: e.key });
    expect(reply).toMatchObject({ kind: "fault", fault: { message: "internal error" } });
    const read = await call(e.url, "admin_get_site_id_from_domain", ["a.example.com"], { key: e.key });
    expect(read.reply).toEqual({ kind: "result", value: null });
  });

  it("pass an ApiFault through as the Server fault's message", async () => {
    const e = await emulator({
      api: stub(() => {
        throw new ApiFault("site `site9' out of bounds");
      }),
    });
    const { reply } = await call(e.url, "admin_activate_site", ["site9"], { key: e.key });
    expect(reply).toEqual({ kind: "fault", fault: { code: "SOAP-ENV:Server", message: "site `site9' out of bounds" } });
  });
});

describe("HTTP edges", () => {
  let e: RunningEmulator;
  beforeAll(async () => {
    e = await emulator({ maxBodyBytes: 64 * 1024 });
  });

  it("404s other paths and 405s the wrong method", async () => {
    expect((await send(e.url.replace("/soap", "/soap2"))).status).toBe(404);
    expect((await send(e.url.replace("/soap", "/"), { method: "POST", body: "x" })).status).toBe(404);
    const get = await send(e.url);
    expect(get.status).toBe(405);
    expect(get.headers["allow"]).toBe("POST");
  });

  it("413s a body over the limit, declared or streamed", async () => {
    const big = envelope("common_whoami", `<param0>${"x".repeat(70 * 1024)}</param0>`);
    expect((await post(e.url, big, { key: e.key })).status).toBe(413);
    const chunked = await send(e.url, {
      method: "POST",
      headers: { "Auth-Key": e.key, "Transfer-Encoding": "chunked" },
      body: big,
    });
    expect(chunked.status).toBe(413);
  });

  it("counts every POST, the unreadable ones in the total only, and resets", async () => {
    e.calls.reset();
    await post(e.url, "garbage", { key: e.key });
    await call(e.url, "common_whoami", [], { key: "3".repeat(64) });
    await call(e.url, "common_whoami", [], { key: e.key });
    expect(e.calls.total).toBe(3);
    expect(e.calls.byMethod()).toEqual({ common_whoami: 2 });
    e.calls.reset();
    expect(e.calls.total).toBe(0);
  });

  it("refuses to listen off loopback unless allowed", async () => {
    await expect(startEmulator({ host: "0.0.0.0" })).rejects.toThrow(/loopback only/);
    await expect(startEmulator({ port: 70000 })).rejects.toThrow(/port/);
  });

  it("listens on IPv6 loopback with a bracketed URL", async () => {
    const v6 = await emulator({ host: "::1" });
    expect(v6.url).toBe(`http://[::1]:${v6.port}/soap`);
    expect(await result(v6.url, "common_whoami", [], { key: v6.key })).toBe("admin");
  });
});

describe("HTTPS", () => {
  it("serves with a generated certificate that verifies against caCert, by IP and by name", async () => {
    const e = await emulator({ tls: true });
    expect(e.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/soap$/);
    expect(e.caCert).toMatch(/-----BEGIN CERTIFICATE-----/);
    const ca = e.caCert!;
    expect(await result(e.url, "common_whoami", [], { key: e.key, ca })).toBe("admin");
    expect(await result(e.url.replace("127.0.0.1", "localhost"), "common_whoami", [], { key: e.key, ca })).toBe("admin");
    expect((await send(e.wsdlUrl, { ca })).body).toContain(`location="${e.url}"`);
    // Without the CA pinned, verification fails: the certificate is not trusted by accident.
    await expect(send(e.wsdlUrl)).rejects.toThrow(/self-signed|self signed/);
  });

  it("serves a certificate it was given, and then offers no caCert", async () => {
    const first = await emulator({ tls: true });
    const keyPem = await import("../../src/emulator/apiscp/server/tls.js").then((m) => m.generateLoopbackCertificate());
    const e = await emulator({ tls: keyPem });
    expect(e.caCert).toBeUndefined();
    expect(await result(e.url, "common_whoami", [], { key: e.key, ca: keyPem.cert })).toBe("admin");
    expect(first.caCert).not.toBe(keyPem.cert);
  });
});

describe("stop()", () => {
  it("closes idle keep-alive sockets instead of waiting for them, and is idempotent", async () => {
    const e = await startEmulator();
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    await Promise.all([0, 1, 2].map(() => result(e.url, "common_whoami", [], { key: e.key, agent })));
    const sockets = Object.values(agent.freeSockets).flat();
    expect(sockets.length).toBeGreaterThan(0);
    const closed = Promise.all(sockets.map((s) => new Promise((r) => s!.once("close", r))));
    // The server's keep-alive timeout is 5 s; a stop that waited for it would lose this race.
    const outcome = await Promise.race([
      Promise.all([e.stop(), e.stop(), closed]).then(() => "stopped"),
      new Promise((r) => setTimeout(() => r("hung"), 4_000)),
    ]);
    expect(outcome).toBe("stopped");
    await expect(send(e.wsdlUrl)).rejects.toThrow(/ECONNREFUSED/);
    agent.destroy();
  });

  it("cancels a call that is still sleeping, without doing its work", async () => {
    const e = await startEmulator({ knobs: { latencyMs: { admin_add_site: 60_000 } } });
    const pending = post(e.url, encodeCall("admin_add_site", ["late.example.com", "late", {}, {}]), { key: e.key });
    pending.catch(() => undefined);
    while (e.calls.total === 0) await new Promise((r) => setTimeout(r, 5));
    await e.stop();
    await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(e.api.snapshot().sites).toEqual([]);
  });
});
