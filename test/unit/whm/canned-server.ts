/**
 * A throwaway HTTP server for the WHM client's unit tests: it records each request (URL,
 * headers) and answers as the test says, with statuses and bodies the emulator never sends
 * (API 0 shapes, HTML, a reset after the request). WHM's behaviour is the emulator's business;
 * this only exercises how the client classifies what comes back.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

export interface Received {
  url: string;
  headers: IncomingMessage["headers"];
}

export type Handler = (request: Received, res: ServerResponse) => void;

export interface CannedServer {
  /** The API base, `http://127.0.0.1:PORT/json-api`. */
  url: string;
  received: Received[];
  handle(handler: Handler): void;
  stop(): Promise<void>;
}

export function envelope(result: 0 | 1, reason: string, data?: unknown): string {
  return JSON.stringify({ metadata: { result, reason, version: 1 }, ...(data !== undefined && { data }) });
}

export function answer(status: number, body: string, type = "application/json"): Handler {
  return (_req, res) => {
    res.writeHead(status, { "Content-Type": type });
    res.end(body);
  };
}

/** Reads the request, then destroys the connection without a word. */
export const resetAfterRequest: Handler = (_req, res) => res.socket?.destroy();

/** Reads the request and never answers. */
export const silence: Handler = () => undefined;

export async function startCannedServer(): Promise<CannedServer> {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  let handler: Handler = answer(200, envelope(1, "OK"));
  const server = createServer((req, res) => {
    const request = { url: req.url ?? "", headers: req.headers };
    received.push(request);
    req.resume();
    req.on("end", () => handler(request, res));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    url: `http://127.0.0.1:${address.port}/json-api`,
    received,
    handle(next) {
      handler = next;
    },
    stop() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
