/**
 * The WHM emulator's HTTP side, shaped like cpsrvd on port 2087: `GET /json-api/<function>`
 * with the parameters in the query string, JSON answers, 404 for any other path and 405 for
 * other methods. It reads requests and writes what the dispatcher decided; the listener's
 * lifecycle is shared by every emulator.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Router } from "../../shared/listener.js";
import { header, notAllowed, notFound, plain, send } from "../../shared/response.js";
import type { WhmDispatcher } from "./dispatch.js";
import { JSON_TYPE } from "./envelope.js";

export const API_PATH = "/json-api";

export function whmRouter(dispatcher: WhmDispatcher): Router {
  return async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const fn = functionOf(url.pathname);
    if (fn === undefined) return notFound(req, res);
    if (req.method !== "GET") return notAllowed(req, res, "GET");
    req.resume();
    const outcome = await dispatcher.handle({ fn, query: url.searchParams, authorization: header(req, "authorization") }, signal);
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
