import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type {
  ApiscpError} from "../../../src/providers/apiscp/index.js";
import {
  ApiscpClient,
  AuthError,
  ProtocolError,
  SoapFaultError,
  TransportError,
  UnknownOutcomeError,
} from "../../../src/providers/apiscp/index.js";
import { encodeFault } from "../../../src/providers/apiscp/wire/index.js";
import { fault, result, sendXml, startFakeServer, status, type FakeServer, type Handler } from "./fake-server.js";
import { failure } from "../../support/failure.js";

const KEY = "f00dfeedcafebabe".repeat(4);

let server: FakeServer;
let client: ApiscpClient;

beforeAll(async () => {
  server = await startFakeServer(result(true));
  client = new ApiscpClient({ url: server.url, key: KEY.match(/.{1,8}/g)?.join("-") ?? KEY, timeoutMs: 5_000 });
});
afterEach(() => server.handle(result(true)));
afterAll(async () => {
  client.close();
  await server.stop();
});


/** The key must not appear anywhere an error could be shown or logged. */
function expectNoKey(err: ApiscpError): void {
  for (const form of [KEY, KEY.toUpperCase(), KEY.slice(0, 32)]) {
    expect(err.message).not.toContain(form);
    expect(err.stack ?? "").not.toContain(form);
    expect(JSON.stringify(err)).not.toContain(form);
    expect(String(err)).not.toContain(form);
  }
  expect(err.endpoint).toBe(server.url);
}

describe("classifying answers", () => {
  const cases: [string, Handler, (c: ApiscpClient) => Promise<unknown>, new (...a: never[]) => ApiscpError, string, boolean][] = [
    ["a fault (HTTP 500, as PHP sends it)", fault("Site a.com already exists"), (c) => c.addSite("a.com", "u", {}), SoapFaultError, "fault", false],
    ["a fault with HTTP 200", (_req, res) => sendXml(res, 200, encodeFault({ code: "SOAP-ENV:Server", message: "x" })), (c) => c.whoami(), SoapFaultError, "fault", false],
    ["an auth fault", fault("Invalid API key", "SOAP-ENV:Client"), (c) => c.whoami(), AuthError, "auth", false],
    ["a rate-limit fault", fault("Too many failed authentication attempts from 127.0.0.1"), (c) => c.whoami(), AuthError, "auth", false],
    ["HTTP 401", status(401), (c) => c.collect(null), AuthError, "auth", false],
    ["HTTP 403 even for a mutating call", status(403, "<html/>", "text/html"), (c) => c.activateSite("s"), AuthError, "auth", false],
    ["null from a mutating call", result(null), (c) => c.editSite("s", {}), UnknownOutcomeError, "unknown-outcome", false],
    ["a non-true answer to a mutating call", result("ok"), (c) => c.editSite("s", {}), UnknownOutcomeError, "unknown-outcome", false],
    ["false from a mutating call", result(false), (c) => c.deleteSite("s"), SoapFaultError, "fault", false],
    ["HTTP 503 without SOAP", status(503), (c) => c.addSite("a.com", "u", {}), TransportError, "transport", true],
    ["HTTP 502 for a read", status(502, "Bad Gateway"), (c) => c.listPlans(), TransportError, "transport", true],
    ["HTTP 502 for a mutating call", status(502, "Bad Gateway"), (c) => c.addSite("a.com", "u", {}), UnknownOutcomeError, "unknown-outcome", false],
    ["HTTP 500 with HTML for a mutating call", status(500, "<html>Fatal error</html>", "text/html"), (c) => c.activateSite("s"), UnknownOutcomeError, "unknown-outcome", false],
    ["HTTP 404", status(404, "Not Found"), (c) => c.whoami(), ProtocolError, "protocol", false],
    ["an unreadable 200 for a read", status(200, "<html>hi</html>"), (c) => c.whoami(), ProtocolError, "protocol", false],
    ["an unreadable 200 for a mutating call", status(200, "garbage"), (c) => c.activateSite("s"), UnknownOutcomeError, "unknown-outcome", false],
    ["a result of the wrong shape", result("basic"), (c) => c.listPlans(), ProtocolError, "protocol", false],
    ["a collect row without active", result({ site1: { siteinfo: { domain: "a" }, domain: "a" } }), (c) => c.collect(null), ProtocolError, "protocol", false],
  ];

  it.each(cases)("%s", async (_name, handler, invoke, type, kind, retryable) => {
    server.handle(handler);
    const err = await failure(invoke(client));
    expect(err).toBeInstanceOf(type);
    expect(err.kind).toBe(kind);
    expect(err.retryable).toBe(retryable);
    expect(err.method).toMatch(/^(admin|common)_/);
    expectNoKey(err);
  });

  it("a fault error carries the server's text, code and the method", async () => {
    server.handle(fault('Site "ü.com" <exists> & more', "SOAP-ENV:Client"));
    const err = (await failure(client.addSite("ü.com", "u", {}))) as SoapFaultError;
    expect(err.faultString).toBe('Site "ü.com" <exists> & more');
    expect(err.faultCode).toBe("SOAP-ENV:Client");
    expect(err.message).toContain("admin_add_site");
    expect(err.message).toContain('Site "ü.com" <exists> & more');
  });

  it("a fault saying the service is briefly unavailable is retryable", async () => {
    server.handle(fault("Service temporarily unavailable, try again later"));
    const err = await failure(client.whoami());
    expect(err).toBeInstanceOf(SoapFaultError);
    expect(err.retryable).toBe(true);
  });

  it("an unknown outcome tells the caller to read back before retrying", async () => {
    server.handle(result(null));
    const err = await failure(client.addSite("a.com", "u", {}));
    expect(err.message).toMatch(/may have happened.*read the site back before retrying/);
  });
});

describe("the key never leaks", () => {
  const echoes: [string, Handler][] = [
    ["a fault quoting the key", fault(`bad request with key ${KEY}`)],
    ["a fault quoting the key with dashes and upper case", fault(`key ${KEY.toUpperCase().match(/.{1,4}/g)?.join("-")}`)],
    ["an auth fault quoting the key", fault(`Invalid API key ${KEY}`)],
    ["a fault code quoting the key", fault("x", `SOAP-ENV:${KEY}`)],
    ["an unreadable body quoting the key", status(200, `<${KEY}>`)],
    ["a 500 page quoting the key", status(500, `Fatal: ${KEY}`)],
    ["a truncated echo of the key", status(200, `<x${KEY.slice(0, 40)}>`)],
  ];

  it.each(echoes)("%s", async (_name, handler) => {
    server.handle(handler);
    for (const invoke of [() => client.whoami(), () => client.activateSite("s")]) {
      const err = await failure(invoke());
      expectNoKey(err);
      if (err instanceof SoapFaultError || err instanceof AuthError) expect(err.message + (err.faultString ?? "")).not.toContain(KEY);
    }
  });
});
