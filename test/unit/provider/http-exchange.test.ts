/**
 * The deadline of one HTTP exchange covers the network, not the time siteform's single thread
 * spends elsewhere: an answer that arrived while the event loop was busy (decoding another
 * server's answer) is taken, not declared late; a server that really is silent still times out.
 */
import { createServer, type Server } from "node:http";
import { Agent } from "node:http";
import { readFile } from "node:fs";
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { exchangeOnce } from "../../../src/providers/http-exchange.js";

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<URL> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return new URL(`http://127.0.0.1:${address.port}/soap`);
}

/** Blocks the event loop, as a long synchronous decode of another answer does. */
function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spin
  }
}

const request = (url: URL, timeoutMs: number) => ({ url, path: url.pathname, method: "POST" as const, headers: {}, body: Buffer.from("x"), agent: new Agent(), timeoutMs, maxReplyBytes: 1_000_000 });

/**
 * A server on its own thread (so it answers while this thread is busy) that answers every
 * request after `delayMs`; its URL and a stop function.
 */
async function threadServer(delayMs: number): Promise<{ url: URL; stop: () => Promise<number> }> {
  const worker = new Worker(
    `const { parentPort } = require("node:worker_threads");
     const server = require("node:http").createServer((req, res) => { req.resume(); setTimeout(() => res.end("answer"), ${delayMs}); });
     server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));`,
    { eval: true },
  );
  const port = await new Promise<number>((resolve) => worker.once("message", resolve));
  return { url: new URL(`http://127.0.0.1:${port}/soap`), stop: () => worker.terminate() };
}

describe("exchangeOnce's deadline", () => {
  it("takes an answer that arrived while the event loop was busy past the deadline", async () => {
    const remote = await threadServer(50);
    try {
      const pending = exchangeOnce(request(remote.url, 150));
      // The request goes out; the answer comes back 50 ms later, while this thread is busy until
      // well past the deadline in an I/O callback, as when it decodes another server's answer:
      // the next turn of the loop runs the expired timer before it reads the waiting answer.
      await new Promise<void>((resolve) => {
        readFile(import.meta.filename ?? "", () => {
          busy(400);
          resolve();
        });
      });
      const { exchange } = await pending;
      expect(exchange).toMatchObject({ kind: "response", status: 200, body: "answer" });
    } finally {
      await remote.stop();
    }
  });

  it("still times out a server that is silent", async () => {
    const url = await listen(() => undefined);
    const { exchange } = await exchangeOnce(request(url, 150));
    expect(exchange).toMatchObject({ kind: "failure", code: "ETIMEDOUT", sent: true });
  });

  it("still times out a server that answers in part and then stalls", async () => {
    const url = await listen((_req, res) => {
      res.writeHead(200, { "Content-Length": "100" });
      res.write("part of it");
    });
    const { exchange } = await exchangeOnce(request(url, 150));
    expect(exchange).toMatchObject({ kind: "failure", code: "ETIMEDOUT" });
  });
});
