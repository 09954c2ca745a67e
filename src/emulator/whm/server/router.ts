/**
 * The WHM emulator's HTTP side, shaped like cpsrvd on port 2087: `GET /json-api/<function>`
 * with the parameters in the query string, JSON answers, 404 for any other path and 405 for
 * other methods. It also answers the cPanel login URLs `create_user_session` hands out
 * (panel.ts), which the real server serves on port 2083. It reads requests and writes what the
 * dispatcher decided; the listener's lifecycle is shared by every emulator.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import type { Router } from "../../shared/listener.js";
import { header, notAllowed, notFound, plain, send } from "../../shared/response.js";
import type { WhmDispatcher } from "./dispatch.js";
import { JSON_TYPE } from "./envelope.js";
import { panelPath, servePanel } from "./panel.js";

export const API_PATH = "/json-api";

export function whmRouter(dispatcher: WhmDispatcher): Router {
  return async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> => {
    const origin = originOf(req);
    const url = new URL(req.url ?? "/", origin);
    const panel = panelPath(url.pathname);
    if (panel !== undefined) {
      if (req.method !== "GET") return notAllowed(req, res, "GET");
      return servePanel(dispatcher, req, res, url, panel);
    }
    const fn = functionOf(url.pathname);
    if (fn === undefined) return notFound(req, res);
    if (req.method !== "GET") return notAllowed(req, res, "GET");
    req.resume();
    const outcome = await dispatcher.handle({ fn, query: url.searchParams, authorization: header(req, "authorization"), origin }, signal);
    switch (outcome.kind) {
      case "json":
        return send(res, outcome.status, JSON_TYPE, outcome.body);
      case "empty":
        return send(res, outcome.status, outcome.status === 200 ? JSON_TYPE : undefined, "");
      case "error":
        return plain(res, 500, "Internal Server Error\n");
      case "drop":
        req.socket.destroy();
        return;
    }
  };
}

/**
 * The scheme and host the caller used (its Host header, as cpsrvd builds a session's URL from
 * HTTP_HOST), or the listening address when the header is missing or not a plain host[:port].
 */
function originOf(req: IncomingMessage): string {
  const scheme = (req.socket as Partial<TLSSocket>).encrypted === true ? "https" : "http";
  const host = header(req, "host");
  if (host !== undefined && /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host)) return `${scheme}://${host}`;
  const address = req.socket.localAddress ?? "127.0.0.1";
  return `${scheme}://${address.includes(":") ? `[${address}]` : address}:${req.socket.localPort ?? 0}`;
}

/** `listaccts` from `/json-api/listaccts`; undefined for any other path (or a malformed escape). */
function functionOf(pathname: string): string | undefined {
  const match = /^\/json-api\/([^/]+)$/.exec(pathname);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}
