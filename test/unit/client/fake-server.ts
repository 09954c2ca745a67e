/**
 * A throwaway HTTP(S) server for the client's unit tests: it records every request (method,
 * URL, headers, decoded SOAP call, which connection it came on) and answers with whatever the
 * test's handler says, built with the project's own codec. It exists to test client-only
 * behaviour (headers, timeouts, resets, TLS); API semantics are the emulator's business.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import { generate } from "selfsigned";
import { decodeCall, encodeFault, encodeResult } from "../../../src/providers/apiscp/wire/index.js";
import type { SoapCall, SoapValue } from "../../../src/providers/apiscp/wire/value.js";

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  call: SoapCall | undefined;
  /** 1-based number of the TCP connection the request came on. */
  connection: number;
}

export type Handler = (request: Received, res: ServerResponse) => void;

export interface FakeServer {
  url: string;
  port: number;
  received: Received[];
  /** Replaces how the server answers from now on. */
  handle(handler: Handler): void;
  /** Destroys every open connection (as a server crash would). */
  dropConnections(): void;
  stop(): Promise<void>;
}

/** Answers the decoded call's operation with `value`. */
export function result(value: SoapValue): Handler {
  return (req, res) => sendXml(res, 200, encodeResult(req.call?.operation ?? "unknown", value));
}

/** Answers with a fault, with HTTP 500 as PHP's SoapServer does. */
export function fault(message: string, code = "SOAP-ENV:Server"): Handler {
  return (_req, res) => sendXml(res, 500, encodeFault({ code, message }));
}

export function status(code: number, body = "", type = "text/plain"): Handler {
  return (_req, res) => {
    res.writeHead(code, { "Content-Type": type });
    res.end(body);
  };
}

/** Reads the whole request, then destroys the connection without a word. */
export const resetAfterRequest: Handler = (_req, res) => res.socket?.destroy();

/** Reads the whole request and never answers. */
export const silence: Handler = () => undefined;

export function sendXml(res: ServerResponse, code: number, xml: string): void {
  res.writeHead(code, { "Content-Type": "text/xml; charset=utf-8" });
  res.end(xml);
}

export interface Tls {
  cert: string;
  key: string;
}

export async function selfSignedLoopback(): Promise<Tls> {
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

export async function startFakeServer(initial: Handler, tls?: Tls): Promise<FakeServer> {
  let handler = initial;
  const received: Received[] = [];
  const sockets = new Map<Socket, number>();
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let call: SoapCall | undefined;
      try {
        call = decodeCall(body);
      } catch {
        call = undefined;
      }
      const entry: Received = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, call, connection: sockets.get(req.socket) ?? 0 };
      received.push(entry);
      handler(entry, res);
    });
  };
  const server: Server = tls === undefined ? createHttpServer(listener) : createHttpsServer({ cert: tls.cert, key: tls.key }, listener);
  server.on(tls === undefined ? "connection" : "secureConnection", (socket: Socket) => {
    sockets.set(socket, sockets.size + 1);
  });
  // TLS failures on the server side are expected in the TLS tests.
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `${tls === undefined ? "http" : "https"}://127.0.0.1:${port}/soap`,
    port,
    received,
    handle: (h) => {
      handler = h;
    },
    dropConnections: () => {
      for (const socket of sockets.keys()) socket.destroy();
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
