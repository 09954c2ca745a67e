import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiscpClient, TransportError, UnknownOutcomeError } from "../../../src/providers/apiscp/index.js";
import { resetAfterRequest, result, selfSignedLoopback, silence, startFakeServer, type FakeServer, type Tls } from "./fake-server.js";
import { failure } from "../../support/failure.js";

const KEY = "0123456789abcdef".repeat(4);


async function withClient<T>(options: Partial<ConstructorParameters<typeof ApiscpClient>[0]> & { url: string }, body: (c: ApiscpClient) => Promise<T>): Promise<T> {
  const client = new ApiscpClient({ key: KEY, ...options });
  try {
    return await body(client);
  } finally {
    client.close();
  }
}

/** A TCP listener that accepts and then says nothing, not even a TLS handshake. */
async function mute(): Promise<{ port: number; server: Server; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { port: typeof address === "object" && address !== null ? address.port : 0, server, sockets };
}

describe("connection failures", () => {
  let server: FakeServer;
  beforeAll(async () => {
    server = await startFakeServer(result(true));
  });
  afterAll(() => server.stop());

  it("a refused port is a retryable transport error, even for a mutating call", async () => {
    const { port, server: probe } = await mute();
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await withClient({ url: `http://127.0.0.1:${port}/soap` }, async (c) => {
      for (const call of [() => c.whoami(), () => c.addSite("a.com", "u", {})]) {
        const err = await failure(call());
        expect(err).toBeInstanceOf(TransportError);
        expect((err as TransportError).code).toBe("ECONNREFUSED");
        expect(err.retryable).toBe(true);
        expect(err.message).toContain("could not be sent");
      }
    });
  });

  it("a reset after the request: unknown outcome for a mutating call, transport error for a read", async () => {
    server.handle(resetAfterRequest);
    await withClient({ url: server.url }, async (c) => {
      const mutation = await failure(c.editSite("site1", { "diskquota.quota": 1 }));
      expect(mutation).toBeInstanceOf(UnknownOutcomeError);
      expect(mutation.retryable).toBe(false);
      expect(mutation.message).toContain("read the site back before retrying");
      const read = await failure(c.collect(null));
      expect(read).toBeInstanceOf(TransportError);
      expect(read.retryable).toBe(true);
    });
  });

  it("a timeout after the request: unknown outcome for a mutating call, transport error for a read", async () => {
    server.handle(silence);
    await withClient({ url: server.url, timeoutMs: 300 }, async (c) => {
      const started = Date.now();
      const mutation = await failure(c.addSite("a.com", "u", {}));
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(mutation).toBeInstanceOf(UnknownOutcomeError);
      expect((mutation as UnknownOutcomeError).code).toBe("ETIMEDOUT");
      const read = await failure(c.whoami());
      expect(read).toBeInstanceOf(TransportError);
      expect((read as TransportError).code).toBe("ETIMEDOUT");
    });
    server.dropConnections();
  });

  it("a timeout before the request was sent (TLS handshake never completes) is a transport error", async () => {
    const { port, server: quiet, sockets } = await mute();
    try {
      await withClient({ url: `https://127.0.0.1:${port}/soap`, timeoutMs: 300 }, async (c) => {
        const err = await failure(c.addSite("a.com", "u", {}));
        expect(err).toBeInstanceOf(TransportError);
        expect((err as TransportError).code).toBe("ETIMEDOUT");
      });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => quiet.close(() => resolve()));
    }
  });

  it("an answer cut off midway is lost, not misread", async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/xml", "Content-Length": "1000" });
      res.write("<?xml version");
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await withClient({ url: server.url }, async (c) => {
      expect(await failure(c.activateSite("s"))).toBeInstanceOf(UnknownOutcomeError);
      expect(await failure(c.whoami())).toBeInstanceOf(TransportError);
    });
  });

  it("a read on a pooled connection the server dropped is retried once on a fresh one", async () => {
    server.handle(result("admin"));
    await withClient({ url: server.url }, async (c) => {
      await c.whoami();
      const before = server.received.length;
      // The server kills the idle socket on its next request, as a server closing keep-alive would.
      server.handle((req, res) => {
        if (req.connection === server.received[before - 1]?.connection) res.socket?.destroy();
        else result("admin")(req, res);
      });
      expect(await c.whoami()).toBe("admin");
      const attempts = server.received.slice(before);
      expect(attempts).toHaveLength(2);
      expect(attempts[0]?.connection).not.toBe(attempts[1]?.connection);
    });
  });

  it("a mutating call on a pooled connection the server dropped is not retried", async () => {
    server.handle(result(true));
    await withClient({ url: server.url }, async (c) => {
      await c.activateSite("s");
      const before = server.received.length;
      server.handle((req, res) => {
        if (req.connection === server.received[before - 1]?.connection) res.socket?.destroy();
        else result(true)(req, res);
      });
      expect(await failure(c.activateSite("s"))).toBeInstanceOf(UnknownOutcomeError);
      expect(server.received.slice(before)).toHaveLength(1);
    });
  });

  it("close() fails calls in flight and refuses later ones", async () => {
    server.handle(silence);
    const c = new ApiscpClient({ url: server.url, key: KEY });
    const inFlight = c.activateSite("s");
    await new Promise((resolve) => setTimeout(resolve, 50));
    c.close();
    expect(await failure(inFlight)).toBeInstanceOf(UnknownOutcomeError);
    await expect(c.whoami()).rejects.toThrow(/closed/);
    server.dropConnections();
  });
});

describe("TLS", () => {
  let tls: Tls;
  let server: FakeServer;
  let dir: string;
  let caFile: string;

  beforeAll(async () => {
    tls = await selfSignedLoopback();
    server = await startFakeServer(result("admin"), tls);
    dir = mkdtempSync(join(tmpdir(), "siteform-client-tls-"));
    caFile = join(dir, "ca.pem");
    writeFileSync(caFile, tls.cert);
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("verifies certificates by default: a self-signed one is refused with a hint", async () => {
    await withClient({ url: server.url }, async (c) => {
      const err = await failure(c.whoami());
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
      expect(err.message).toMatch(/`ca_file` in siteform\.yaml.*`insecure_tls: true`/);
      expect(err.message).not.toMatch(/caFile|insecureTls/);
      expect(server.received).toHaveLength(0);
    });
  });

  it("trusts the certificate given as caFile", async () => {
    await withClient({ url: server.url, caFile }, async (c) => {
      expect(await c.whoami()).toBe("admin");
    });
  });

  it("accepts anything with insecureTls", async () => {
    await withClient({ url: server.url, insecureTls: true }, async (c) => {
      expect(await c.whoami()).toBe("admin");
    });
  });

});
