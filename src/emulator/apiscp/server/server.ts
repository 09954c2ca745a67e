/**
 * The emulator's HTTP(S) side, shaped like ApisCP behind its web server: GET /apnscp.wsdl (no
 * key), POST /soap, GET /apps/APP?esprit_id=ID (a browser's single sign-on with a `UI` session
 * from admin_hijack: accepted once, see model/sessions.ts), 404 elsewhere; bodies capped; every SOAP answer `text/xml; charset=utf-8`;
 * keep-alive on. It reads requests and writes what the dispatcher decided; the listener's
 * lifecycle (keep-alive, stopping for real) is shared by every emulator (emulator/shared/listener.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { listen as listenShared, type ListenerHandle } from "../../shared/listener.js";
import { clientAddress, header, notAllowed, notFound, plain, send } from "../../shared/response.js";
import type { TlsMaterial } from "../../shared/tls.js";
import type { Credentials } from "./auth.js";
import type { CallRequest, Outcome } from "./dispatch.js";

export const SOAP_PATH = "/soap";
export const WSDL_PATH = "/apnscp.wsdl";
/** Where the panel's apps live; `/apps/filemanager` and so on. */
export const APPS_PATH = "/apps/";
const APP_NAME = /^[a-z][a-z0-9_-]*$/i;
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
  /** A browser's entry with a session id: who it signs in as, or undefined to refuse. */
  openPanel: (session: string) => { site: string; user: string } | undefined;
  log: (line: string) => void;
}

export type HttpHandle = ListenerHandle;

export function listen(options: HttpOptions): Promise<HttpHandle> {
  return listenShared({
    host: options.host,
    port: options.port,
    tls: options.tls,
    route: (req, res, signal) => route(req, res, options, signal),
    log: options.log,
  });
}

async function route(req: IncomingMessage, res: ServerResponse, options: HttpOptions, signal: AbortSignal): Promise<void> {
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  const isWsdl = url.pathname === WSDL_PATH || (url.pathname === SOAP_PATH && url.searchParams.has("wsdl"));
  if (isWsdl) {
    if (req.method !== "GET" && req.method !== "HEAD") return notAllowed(req, res, "GET, HEAD");
    // For HEAD, node sends the headers (with the real Content-Length) and drops the body.
    return send(res, 200, XML_TYPE, options.wsdl());
  }
  if (url.pathname.startsWith(APPS_PATH)) return panelPage(req, res, url, options);
  if (url.pathname !== SOAP_PATH) return notFound(req, res);
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

/**
 * The panel in a browser, signed in by `esprit_id`: a small page naming the site, the user and
 * the app (the emulator has no real apps), or 403 for an id that is unknown, not a UI session,
 * or already used. The id is never echoed.
 */
function panelPage(req: IncomingMessage, res: ServerResponse, url: URL, options: HttpOptions): void {
  if (req.method !== "GET" && req.method !== "HEAD") return notAllowed(req, res, "GET, HEAD");
  const app = url.pathname.slice(APPS_PATH.length);
  if (!APP_NAME.test(app)) return notFound(req, res);
  const session = url.searchParams.get("esprit_id");
  const opened = session === null || session === "" ? undefined : options.openPanel(session);
  if (opened === undefined) return plain(res, 403, "Invalid or expired session (esprit_id): sign in again\n");
  res.setHeader("Cache-Control", "no-store");
  return send(res, 200, "text/html; charset=utf-8", `<!doctype html>\n<title>ApisCP emulator: ${app}</title>\n<p>Signed in to ${opened.site} as ${escapeHtml(opened.user)}: ${app}.</p>\n`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
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
