/**
 * Writing an emulator's HTTP answers: always a Content-Length (clients of real panels see one),
 * a content type only when there is a body worth typing, and the request drained before an
 * early refusal so a keep-alive connection stays usable. Panel-neutral; the body is the
 * emulator's business.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export function send(res: ServerResponse, status: number, type: string | undefined, body: string): void {
  const bytes = Buffer.from(body, "utf8");
  if (type !== undefined) res.setHeader("Content-Type", type);
  res.setHeader("Content-Length", bytes.length);
  res.writeHead(status);
  res.end(bytes);
}

export function plain(res: ServerResponse, status: number, text: string): void {
  send(res, status, "text/plain; charset=utf-8", text);
}

export function notAllowed(req: IncomingMessage, res: ServerResponse, allow: string): void {
  req.resume();
  res.setHeader("Allow", allow);
  plain(res, 405, "Method Not Allowed\n");
}

export function notFound(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  plain(res, 404, "Not Found\n");
}

/** One header as a string; repeated headers joined as node would for most fields. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** IPv4 clients on a dual-stack socket appear as ::ffff:a.b.c.d; one client, one address. */
export function clientAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? "unknown";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
