/**
 * The connection settings every panel's transport shares: the per-call deadline, one bounded
 * keep-alive pool per server with the TLS trust siteform.yaml gives it, and the URL as messages
 * may show it. Each transport still owns its URL rules and its request (ApisCP's key header,
 * WHM's query, BILLmanager's form body); http-exchange.ts makes the request itself.
 */
import http from "node:http";
import https from "node:https";
import type { ServerConfig } from "../model/server-config.js";
import { readCa } from "./http-exchange.js";

/**
 * Per call, covering connect, send and the whole answer. A minute is generous for any panel,
 * even for a BILLmanager order, which runs its processing module before it answers.
 */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** Concurrent connections per server; the applier's parallelism is bounded by this too. */
const MAX_SOCKETS = 16;
/** Idle pooled sockets are closed sooner than servers usually close them (Apache: 5 s), so a call rarely meets a dead one. */
const IDLE_SOCKET_MS = 4_000;

/** A server's TLS trust as siteform.yaml gives it: its own CA file, or (`insecure_tls`) none at all. */
export interface TlsTrust {
  caFile?: string | undefined;
  insecureTls?: boolean | undefined;
}

/** What every transport takes from a server's entry in siteform.yaml besides its URL and credentials. */
export function connectionOf(server: ServerConfig): TlsTrust & { insecureTls: boolean; timeoutMs: number } {
  return { ...(server.caFile !== null && { caFile: server.caFile }), insecureTls: server.insecureTls, timeoutMs: server.timeoutSeconds * 1000 };
}

/** The URL as errors may show it: no query (where ApisCP's `?authkey=` would be), fragment or userinfo. */
export function publicEndpoint(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** The per-call deadline configured, or the default; anything but a positive number of milliseconds is a caller's mistake. */
export function callTimeout(timeoutMs: number | undefined): number {
  const ms = timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(ms > 0)) throw new TypeError("timeoutMs must be a positive number of milliseconds");
  return ms;
}

/** A bounded keep-alive pool for one server at `url` (http: or https:, checked by the caller). */
export function pooledAgent(url: URL, trust: TlsTrust): http.Agent {
  const pool = { keepAlive: true, maxSockets: MAX_SOCKETS, maxFreeSockets: MAX_SOCKETS, timeout: IDLE_SOCKET_MS };
  return url.protocol === "https:" ? new https.Agent({ ...pool, ca: readCa(trust.caFile), rejectUnauthorized: trust.insecureTls !== true }) : new http.Agent(pool);
}
