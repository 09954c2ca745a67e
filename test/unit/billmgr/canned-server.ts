/**
 * A throwaway HTTP server for the BILLmanager client's unit tests: it records each request
 * (method, path, headers, form body) and answers as the test says, including answers the
 * emulator never gives (a doc without ok, HTML, an order confirmed without an id, a reset
 * after the request). BILLmanager's behaviour is the emulator's business; this only exercises
 * what the client sends and how it classifies what comes back.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  /** The raw body as sent. */
  body: string;
  form: URLSearchParams;
}

export type Handler = (request: Received, res: ServerResponse) => void;

export interface CannedServer {
  /** The endpoint, `http://127.0.0.1:PORT/billmgr`. */
  url: string;
  received: Received[];
  /** Requests other than func=auth. */
  calls(): Received[];
  handle(handler: Handler): void;
  stop(): Promise<void>;
}

export function doc(content: Record<string, unknown>): string {
  return JSON.stringify({ doc: content });
}

export function errorDoc(type: string, msg: string, object?: string): string {
  return doc({ error: { $type: type, ...(object !== undefined && { $object: object }), msg: { $: msg } } });
}

export const OK = doc({ ok: {} });

export function answer(status: number, body: string, type = "application/json"): Handler {
  return (_req, res) => {
    res.writeHead(status, { "Content-Type": type });
    res.end(body);
  };
}

/** Answers func=auth with a session (`SESSION-<n>` for the n-th login) and everything else with `rest`. */
export function withLogin(rest: Handler, sessionId: (n: number) => string = (n) => `SESSION${n}ABCDEF0123456789`): Handler {
  let logins = 0;
  return (req, res) => {
    if (req.form.get("func") === "auth") {
      logins += 1;
      const id = sessionId(logins);
      answer(200, doc({ auth: { $id: id, $level: "16", $: id } }))(req, res);
      return;
    }
    rest(req, res);
  };
}

/** Reads the request, then destroys the connection without a word. */
export const resetAfterRequest: Handler = (_req, res) => res.socket?.destroy();

/** Reads the request and never answers. */
export const silence: Handler = () => undefined;

export async function startCannedServer(): Promise<CannedServer> {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  let handler: Handler = withLogin(answer(200, OK));
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, form: new URLSearchParams(body) };
      received.push(request);
      handler(request, res);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    url: `http://127.0.0.1:${address.port}/billmgr`,
    received,
    calls: () => received.filter((r) => r.form.get("func") !== "auth"),
    handle(next) {
      handler = next;
    },
    stop() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
