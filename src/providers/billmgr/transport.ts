/**
 * One form POST to BILLmanager's endpoint, over node:http/node:https with a bounded keep-alive
 * pool. It owns the connection settings (TLS trust, the per-call deadline, a size limit) and
 * the body: `func` first, `out=json` always, every parameter form-encoded in the body and none
 * in the URL, because the body carries the password (to `func=auth`) and the session id (on
 * every other call), and URLs end up in proxy logs. It reports what happened as data,
 * including whether the request had been sent in full before things went wrong; it does not
 * interpret bodies, and nothing it reports quotes the body it sent.
 */
import type http from "node:http";
import { exchangeOnce, type Exchange } from "../http-exchange.js";
import { callTimeout, pooledAgent, publicEndpoint } from "../http-connection.js";

export interface BillmgrConnection {
  /** The endpoint, e.g. `https://host:1500/billmgr`. */
  url: string;
  /** The BILLmanager user siteform logs in as. */
  user: string;
  /** That user's password: sent only in the body of `func=auth`. */
  password: string;
  /** PEM file of the CA (or self-signed certificate) to trust instead of the system store. */
  caFile?: string;
  /** Skip certificate verification entirely. For labs only. */
  insecureTls?: boolean;
  /** Per call, covering connect, send and the whole answer. */
  timeoutMs?: number;
}

/** A form value as siteform sends it; undefined leaves the parameter out. */
export type FormValue = string | number | undefined;
export type Form = Readonly<Record<string, FormValue>>;

/** Far beyond any list of one client's services; a bigger reply is refused rather than buffered. */
export const MAX_REPLY_BYTES = 64 * 1024 * 1024;

export type { Exchange } from "../http-exchange.js";

/** `func`, then `out=json`, then the parameters in the order given, form-encoded. */
export function formBody(fn: string, params: Form): string {
  const parts = [`func=${encodeURIComponent(fn)}`, "out=json"];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || name === "func" || name === "out") continue;
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  }
  return parts.join("&");
}

export class BillmgrTransport {
  /** The endpoint without query or credentials, for messages. */
  readonly endpoint: string;
  readonly timeoutMs: number;
  private readonly url: URL;
  private readonly agent: http.Agent;
  private closed = false;

  constructor(connection: Pick<BillmgrConnection, "url" | "caFile" | "insecureTls" | "timeoutMs">) {
    let url: URL;
    try {
      url = new URL(connection.url);
    } catch {
      throw new TypeError("the BILLmanager endpoint is not a valid URL (expected e.g. https://host:1500/billmgr)");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError(`the BILLmanager endpoint must be http: or https:, not ${url.protocol}`);
    // A query (authinfo=…) or userinfo in the configured URL would be sent or shown in messages: neither is wanted.
    url.search = "";
    url.username = "";
    url.password = "";
    url.hash = "";
    url.pathname = url.pathname.replace(/\/+$/, "") || "/";
    this.url = url;
    this.endpoint = publicEndpoint(url);
    this.timeoutMs = callTimeout(connection.timeoutMs);
    this.agent = pooledAgent(url, connection);
  }

  /**
   * Posts one call. A read whose pooled keep-alive socket turns out to be dead is tried once
   * more on a fresh one; a mutating call is not, because a reset could also mean the server
   * did the work and died before answering.
   */
  async post(fn: string, params: Form, options: { mutating: boolean }): Promise<Exchange> {
    if (this.closed) throw new Error("this BILLmanager client has been closed");
    const body = Buffer.from(formBody(fn, params), "utf8");
    const first = await this.once(body);
    if (!options.mutating && first.staleSocket && !this.closed) return (await this.once(body)).exchange;
    return first.exchange;
  }

  /** Ends every pooled connection; calls in flight fail, later calls throw. */
  close(): void {
    this.closed = true;
    this.agent.destroy();
  }

  private once(body: Buffer): Promise<{ exchange: Exchange; staleSocket: boolean }> {
    return exchangeOnce({
      url: this.url,
      path: this.url.pathname,
      method: "POST",
      agent: this.agent,
      timeoutMs: this.timeoutMs,
      maxReplyBytes: MAX_REPLY_BYTES,
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", Accept: "application/json", "User-Agent": "siteform" },
    });
  }
}
