/**
 * What the three panels' clients say when a connection fails for a reason siteform.yaml
 * settles: an https URL answered in plain HTTP (the wrong port or scheme, not a certificate
 * problem), a call that outlives its time limit, an unreadable CA file. Every message names
 * siteform.yaml's own fields (`ca_file`, `insecure_tls`, `timeout_seconds`, `url`), never the
 * option names of the code, and a refused connection delivers nothing to the server.
 */
import http from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiscpClient, TransportError } from "../../src/providers/apiscp/index.js";
import { BillmgrClient } from "../../src/providers/billmgr/index.js";
import { WhmClient } from "../../src/providers/whm/index.js";

const KEY = "0123456789abcdef".repeat(4);

/** The Error a call fails with (each panel has its own error classes); fails the test when it succeeds. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Error) return err;
    throw err;
  }
  throw new Error("expected the call to fail");
}
const CAMEL_CASE = /caFile|insecureTls|timeoutMs|timeoutSeconds/;

/** Each panel's client against `url`, and one of its reads (and, for ApisCP, a change too). */
const CLIENTS = [
  {
    panel: "ApisCP",
    calls: (url: string, timeoutMs?: number) => {
      const c = new ApiscpClient({ url: `${url}/soap`, key: KEY, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
      return { close: () => c.close(), read: () => c.whoami(), change: () => c.addSite("a.example", "a", {}) };
    },
  },
  {
    panel: "WHM",
    calls: (url: string, timeoutMs?: number) => {
      const c = new WhmClient({ url: `${url}/json-api`, user: "root", token: KEY, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
      return { close: () => c.close(), read: () => c.version(), change: null };
    },
  },
  {
    panel: "BILLmanager",
    calls: (url: string, timeoutMs?: number) => {
      const c = new BillmgrClient({ url: `${url}/billmgr`, user: "siteform", password: KEY, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
      return { close: () => c.close(), read: () => c.services("vds"), change: null };
    },
  },
] as const;

describe("an https URL answered in plain HTTP", () => {
  let server: http.Server;
  let port = 0;
  let requests = 0;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      requests++;
      res.end("plain");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    port = typeof address === "object" && address !== null ? address.port : 0;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(CLIENTS)("$panel: says so plainly, without OpenSSL's words or a CA hint, and nothing reaches the server", async ({ calls }) => {
    const client = calls(`https://127.0.0.1:${port}`);
    try {
      const err = await failure(client.read());
      expect(err.message).toContain("the server answered plain HTTP on an https URL: use http:// or the server's TLS port in its `url`");
      expect(err.message).toContain("[ENOTTLS]");
      expect(err.message).not.toMatch(/wrong version number|ssl3_get_record|EPROTO|ca_file|insecure_tls|CA/);
      expect(err.message).not.toContain(KEY);
      expect(requests).toBe(0);
    } finally {
      client.close();
    }
  });

  it("a change that met it is known not to have happened: a transport error, not an unknown outcome", async () => {
    const client = CLIENTS[0].calls(`https://127.0.0.1:${port}`);
    try {
      const err = await failure(client.change());
      expect(err).toBeInstanceOf(TransportError);
      expect(err.message).toMatch(/the request could not be sent: the server answered plain HTTP/);
      expect(requests).toBe(0);
    } finally {
      client.close();
    }
  });
});

describe("a server that does not answer in time", () => {
  let server: Server;
  let port = 0;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    server = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    port = typeof address === "object" && address !== null ? address.port : 0;
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each(CLIENTS)("$panel: names the time limit and the field that sets it", async ({ calls }) => {
    const client = calls(`http://127.0.0.1:${port}`, 150);
    try {
      const err = await failure(client.read());
      expect(err.message).toMatch(/(no complete answer within|the connection was silent for) 150 ms \[ETIMEDOUT\]/);
      expect(err.message).toContain("raise its `timeout_seconds` in siteform.yaml");
      expect(err.message).not.toMatch(CAMEL_CASE);
    } finally {
      client.close();
    }
  });
});

describe("an unreadable CA file", () => {
  it.each(CLIENTS)("$panel: names the file and the field to check", ({ panel }) => {
    const build = (): unknown => {
      const caFile = "/nonexistent/siteform-ca.pem";
      if (panel === "ApisCP") return new ApiscpClient({ url: "https://127.0.0.1:1/soap", key: KEY, caFile });
      if (panel === "WHM") return new WhmClient({ url: "https://127.0.0.1:1/json-api", user: "root", token: KEY, caFile });
      return new BillmgrClient({ url: "https://127.0.0.1:1/billmgr", user: "siteform", password: KEY, caFile });
    };
    expect(build).toThrow(/^cannot read the CA file \/nonexistent\/siteform-ca\.pem \(ENOENT\): check the server's `ca_file` in siteform\.yaml/);
  });
});
