/**
 * The emulator's HTTP(S) side, shaped like ApisCP behind its web server: GET /apnscp.wsdl (no
 * key), POST /soap, 404 elsewhere; bodies capped; every SOAP answer `text/xml; charset=utf-8`;
 * keep-alive on. It reads requests and writes what the dispatcher decided, and owns stopping:
 * no new connections, every socket (idle keep-alive ones too) closed, sleeping calls cancelled.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Credentials } from "./auth.js";
import type { CallRequest, Outcome } from "./dispatch.js";
import type { TlsMaterial } from "./tls.js";

export const SOAP_PATH = "/soap";
export const WSDL_PATH = "/apnscp.wsdl";
/** Large enough for any real call (a full admin_collect query is kilobytes), small enough to stop a runaway. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

const XML_TYPE = "text/xml; charset=utf-8";

export interface HttpOptions {
  host: string;
  port: number;
  tls: TlsMaterial | undefined;
  maxBodyBytes: number;
  wsdl: () => string;
  handleCall: (request: CallRequest, signal: AbortSignal) => Promise<Outcome>;
  log: (line: string) => void;
}

export interface HttpHandle {
  port: number;
  /** Idempotent. Resolves when the listener and every connection are closed and no call is running. */
  close(): Promise<void>;
}

export async function listen(options: HttpOptions): Promise<HttpHandle> {
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const done = route(req, res, options, stopping.signal).catch((err: unknown) => {
      options.log(`emulator: request failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) plain(res, 500, "Internal Server Error\n");
      else res.destroy();
    });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest)
    : createHttpServer(onRequest);
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: options.host, port: options.port, exclusive: true }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // A TLS handshake gone wrong (a client that distrusts the certificate) is the client's
  // business; without a listener node would treat it as an unhandled error.
  server.on("tlsClientError", () => undefined);

  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      closing ??= (async () => {
        stopping.abort();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // close() alone waits for idle keep-alive sockets to time out; these end them now.
        server.closeAllConnections();
        await Promise.allSettled([...inFlight]);
        await closed;
      })();
      return closing;
    },
  };
}

async function route(req: IncomingMessage, res: ServerResponse, options: HttpOptions, signal: AbortSignal): Promise<void> {
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  const isWsdl = url.pathname === WSDL_PATH || (url.pathname === SOAP_PATH && url.searchParams.has("wsdl"));
  if (isWsdl) {
    if (req.method !== "GET" && req.method !== "HEAD") return notAllowed(req, res, "GET, HEAD");
    // For HEAD, node sends the headers (with the real Content-Length) and drops the body.
    return send(res, 200, XML_TYPE, options.wsdl());
  }
  if (url.pathname !== SOAP_PATH) {
    req.resume();
    return plain(res, 404, "Not Found\n");
  }
  if (req.method !== "POST") return notAllowed(req, res, "POST");

  const body = await readBody(req, options.maxBodyBytes);
  if (body === undefined) {
    res.setHeader("Connection", "close");
    return plain(res, 413, `Request body larger than ${options.maxBodyBytes} bytes\n`);
  }
  const outcome = await options.handleCall(
    { body, credentials: credentialsOf(req, url), abortOn: header(req, "abort-on") },
    signal,
  );
  switch (outcome.kind) {
    case "reply":
      return send(res, outcome.status, XML_TYPE, outcome.xml);
    case "empty":
      return send(res, outcome.status, undefined, "");
    case "drop":
      req.socket.destroy();
      return;
  }
}

/** The body as text, or undefined when it exceeds `max` bytes (the rest is not read). */
async function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > max) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > max) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function credentialsOf(req: IncomingMessage, url: URL): Credentials {
  const key = header(req, "auth-key") ?? url.searchParams.get("authkey") ?? undefined;
  return { key, session: cookie(req, "esprit_id"), address: clientAddress(req) };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const pair of (header(req, "cookie") ?? "").split(";")) {
    const eq = pair.indexOf("=");
    if (eq > 0 && pair.slice(0, eq).trim() === name) return percentDecode(pair.slice(eq + 1).trim());
  }
  return undefined;
}

/** A malformed escape is kept as sent: it will simply not match any session. */
function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** IPv4 clients on a dual-stack socket appear as ::ffff:a.b.c.d; one client, one address. */
function clientAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? "unknown";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

function send(res: ServerResponse, status: number, type: string | undefined, body: string): void {
  const bytes = Buffer.from(body, "utf8");
  if (type !== undefined) res.setHeader("Content-Type", type);
  res.setHeader("Content-Length", bytes.length);
  res.writeHead(status);
  res.end(bytes);
}

function plain(res: ServerResponse, status: number, text: string): void {
  send(res, status, "text/plain; charset=utf-8", text);
}

function notAllowed(req: IncomingMessage, res: ServerResponse, allow: string): void {
  req.resume();
  res.setHeader("Allow", allow);
  plain(res, 405, "Method Not Allowed\n");
}
