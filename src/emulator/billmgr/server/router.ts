/**
 * The BILLmanager emulator's HTTP side, shaped like the panel at `/billmgr`: GET with the
 * parameters in the query string, or POST with an `application/x-www-form-urlencoded` body (the
 * query string still read; the body's values win); JSON answers, 404 for any other path, 405
 * for other methods, 415 for another body type and 413 for a body over 1 MiB. It reads requests
 * and writes what the dispatcher decided; the listener's lifecycle is shared by every emulator.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Router } from "../../shared/listener.js";
import { header, notAllowed, notFound, plain, send } from "../../shared/response.js";
import type { BillmgrDispatcher } from "./dispatch.js";
import { JSON_TYPE } from "./envelope.js";

export const API_PATH = "/billmgr";
const MAX_BODY = 1024 * 1024;

export function billmgrRouter(dispatcher: BillmgrDispatcher): Router {
  return async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    if (url.pathname !== API_PATH) return notFound(req, res);
    if (req.method !== "GET" && req.method !== "POST") return notAllowed(req, res, "GET, POST");
    let form = url.searchParams;
    if (req.method === "POST") {
      const type = header(req, "content-type")?.split(";")[0]?.trim().toLowerCase();
      if (type !== undefined && type !== "application/x-www-form-urlencoded") {
        req.resume();
        return plain(res, 415, "Unsupported Media Type: send application/x-www-form-urlencoded\n");
      }
      const body = await readBody(req);
      if (body === undefined) return plain(res, 413, "Payload Too Large\n");
      form = new URLSearchParams([...new URLSearchParams(body), ...url.searchParams]);
    } else {
      req.resume();
    }
    const outcome = await dispatcher.handle(form, signal);
    switch (outcome.kind) {
      case "json":
        return send(res, 200, JSON_TYPE, outcome.body);
      case "unavailable":
        return send(res, 503, undefined, "");
      case "error":
        return plain(res, 500, "Internal Server Error\n");
      case "drop":
        req.socket.destroy();
        return;
    }
  };
}

/** The body as text, or undefined when it is larger than MAX_BODY (the rest is drained). */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY ? undefined : Buffer.concat(chunks).toString("utf8");
}
