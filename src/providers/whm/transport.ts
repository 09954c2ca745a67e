/**
 * One HTTP(S) GET of a WHM API 1 function, over node:http/node:https with a bounded keep-alive
 * pool. It owns the connection settings (TLS trust, timeouts, the `Authorization: whm` header)
 * and the query: `api.version=1` always, booleans as 1/0. It reports what happened as data,
 * including the one fact the client needs to classify a failure: whether the request had been
 * sent in full before things went wrong. It does not interpret bodies, and the token goes
 * nowhere but the header: never the URL, never a message.
 */
import type http from "node:http";
import { exchangeOnce, type Exchange } from "../http-exchange.js";
import { callTimeout, pooledAgent, publicEndpoint } from "../http-connection.js";

export interface WhmConnection {
  /** The API base, e.g. `https://host:2087/json-api`; the function name is appended to its path. */
  url: string;
  /** The WHM user the token belongs to (`root`, or a reseller). */
  user: string;
  /** The API token. */
  token: string;
  /** PEM file of the CA (or self-signed certificate) to trust instead of the system store. */
  caFile?: string;
  /** Skip certificate verification entirely. For labs only. */
  insecureTls?: boolean;
  /** Per call, covering connect, send and the whole answer. 60 s by default: createacct can take tens of seconds. */
  timeoutMs?: number;
}

/** A query value as siteform sends it; undefined leaves the parameter out. */
export type QueryValue = string | number | boolean | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

/** A reply bigger than this is not a WHM answer (10,000 accounts are a few MB); refuse rather than exhaust memory. */
const MAX_REPLY_BYTES = 256 * 1024 * 1024;

export type { Exchange } from "../http-exchange.js";

/** The token without the whitespace people paste it with; refuses what cannot go in a header. Never quotes it. */
export function normalizeToken(token: string): string {
  const normalized = token.trim();
  if (normalized === "") throw new TypeError("the WHM API token is empty");
  if (!/^[\x21-\x7e]+$/.test(normalized)) throw new TypeError("the WHM API token contains characters that cannot be sent in a header");
  return normalized;
}

/** The WHM user as the header carries it: `USER:TOKEN` leaves no room for a colon or a space in it. */
export function normalizeUser(user: string): string {
  const normalized = user.trim();
  if (normalized === "") throw new TypeError("the WHM user is empty");
  if (!/^[A-Za-z0-9._-]+$/.test(normalized)) throw new TypeError(`the WHM user ${JSON.stringify(normalized)} is not a valid user name (letters, digits, . _ -)`);
  return normalized;
}

/** `api.version=1` first, then the parameters in the order given; booleans as 1/0 (WHM does not read true/false). */
export function queryString(params: Query): string {
  const parts = ["api.version=1"];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || name === "api.version") continue;
    const text = typeof value === "boolean" ? (value ? "1" : "0") : String(value);
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(text)}`);
  }
  return parts.join("&");
}

export class WhmTransport {
  /** The API base without query or credentials, for messages. */
  readonly endpoint: string;
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly authorization: string;
  readonly timeoutMs: number;
  private closed = false;

  constructor(connection: WhmConnection) {
    let url: URL;
    try {
      url = new URL(connection.url);
    } catch {
      throw new TypeError("the WHM endpoint is not a valid URL (expected e.g. https://host:2087)");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError(`the WHM endpoint must be http: or https:, not ${url.protocol}`);
    // A query or credentials in the configured URL would be sent to the server or shown in messages: neither is wanted.
    url.search = "";
    url.username = "";
    url.password = "";
    url.hash = "";
    url.pathname = url.pathname.replace(/\/+$/, "");
    this.url = url;
    this.endpoint = publicEndpoint(url);
    this.timeoutMs = callTimeout(connection.timeoutMs);
    this.authorization = `whm ${normalizeUser(connection.user)}:${normalizeToken(connection.token)}`;
    this.agent = pooledAgent(url, connection);
  }

  /**
   * Calls one function. A read whose pooled keep-alive socket turns out to be dead is tried
   * once more on a fresh one; a mutating call is not, because a reset could also mean the
   * server did the work and died before answering.
   */
  async get(fn: string, params: Query, options: { mutating: boolean }): Promise<Exchange> {
    // Using a closed client is a bug in the caller, not a network condition.
    if (this.closed) throw new Error("this WHM client has been closed");
    const path = `${this.url.pathname}/${encodeURIComponent(fn)}?${queryString(params)}`;
    const first = await this.once(path);
    // Closed on purpose (an interrupt) looks like a dead socket too; that read is not wanted any more.
    if (!options.mutating && first.staleSocket && !this.closed) return (await this.once(path)).exchange;
    return first.exchange;
  }

  /** Ends every pooled connection; calls in flight fail, later calls throw. */
  close(): void {
    this.closed = true;
    this.agent.destroy();
  }

  private once(path: string): Promise<{ exchange: Exchange; staleSocket: boolean }> {
    return exchangeOnce({
      url: this.url,
      path,
      method: "GET",
      agent: this.agent,
      timeoutMs: this.timeoutMs,
      maxReplyBytes: MAX_REPLY_BYTES,
      headers: { Authorization: this.authorization, Accept: "application/json", "User-Agent": "siteform" },
    });
  }
}
