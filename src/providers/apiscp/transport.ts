/**
 * One HTTP(S) POST of a SOAP envelope to an ApisCP endpoint, over node:http/node:https with a
 * bounded keep-alive pool. It owns the connection settings (TLS trust, timeouts, the key
 * header) and reports what happened as data, including the one fact the client needs to
 * classify a failure: whether the request had been sent in full before things went wrong.
 * It does not interpret bodies and never puts the key anywhere but the `Auth-Key` header.
 */
import type http from "node:http";
import { exchangeStreamed, type Exchange } from "../http-exchange.js";
import { callTimeout, pooledAgent, publicEndpoint } from "../http-connection.js";
import { replyReader, type ReadReply } from "./wire/index.js";

export interface ApiscpConnection {
  /** The SOAP endpoint, e.g. `https://host:2083/soap`. An `authkey` query parameter is dropped, never sent. */
  url: string;
  /** The API key; dashes and whitespace are ignored. */
  key: string;
  /** PEM file of the CA (or self-signed certificate) to trust instead of the system store. */
  caFile?: string;
  /** Skip certificate verification entirely. For labs only. */
  insecureTls?: boolean;
  /** Per call, covering connect, send and the whole answer. 60 s by default: add_site can take tens of seconds. */
  timeoutMs?: number;
  /** The operation namespace, `urn:apnscp.api.soap` by default. */
  namespace?: string;
}

/** A reply bigger than this is not an ApisCP answer; refuse rather than exhaust memory. */
const MAX_REPLY_BYTES = 256 * 1024 * 1024;

/** An answer decoded as it arrived, or the failure. */
export type SoapExchange = Exchange<ReadReply>;

/** Strips dashes and whitespace people paste keys with; refuses what cannot go in a header. */
export function normalizeApiKey(key: string): string {
  const normalized = key.replace(/[-\s]/g, "");
  // Never quote the key in the message: it may be nearly right.
  if (normalized === "") throw new TypeError("the ApisCP API key is empty");
  if (!/^[\x21-\x7e]+$/.test(normalized)) throw new TypeError("the ApisCP API key contains characters that cannot be sent in a header");
  return normalized;
}

export class HttpTransport {
  readonly endpoint: string;
  private readonly url: URL;
  private readonly agent: http.Agent;
  /** Per call, covering connect, send and the whole answer. */
  readonly timeoutMs: number;
  private closed = false;

  constructor(
    connection: ApiscpConnection,
    private readonly key: string,
  ) {
    let url: URL;
    try {
      url = new URL(connection.url);
    } catch {
      throw new TypeError("the ApisCP endpoint is not a valid URL (expected e.g. https://host:2083/soap)");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new TypeError(`the ApisCP endpoint must be http: or https:, not ${url.protocol}`);
    }
    for (const name of [...url.searchParams.keys()]) if (name.toLowerCase() === "authkey") url.searchParams.delete(name);
    url.username = "";
    url.password = "";
    url.hash = "";
    this.url = url;
    this.endpoint = publicEndpoint(url);
    this.timeoutMs = callTimeout(connection.timeoutMs);
    this.agent = pooledAgent(url, connection);
  }

  /**
   * Posts one envelope. A read whose pooled keep-alive socket turns out to be dead is tried
   * once more on a fresh one; a mutating call is not, because a reset could also mean the
   * server did the work and died before answering.
   */
  async post(soapAction: string, xml: string, options: { mutating: boolean }): Promise<SoapExchange> {
    // Using a closed client is a bug in the caller, not a network condition.
    if (this.closed) throw new Error("this ApisCP client has been closed");
    const first = await this.once(soapAction, xml);
    // Closed on purpose (an interrupt) looks like a dead socket too; that read is not wanted any more.
    if (!options.mutating && first.staleSocket && !this.closed) return (await this.once(soapAction, xml)).exchange;
    return first.exchange;
  }

  /** Ends every pooled connection; calls in flight fail, later calls throw. */
  close(): void {
    this.closed = true;
    this.agent.destroy();
  }

  private once(soapAction: string, xml: string): Promise<{ exchange: SoapExchange; staleSocket: boolean }> {
    return exchangeStreamed(
      {
        url: this.url,
        path: `${this.url.pathname}${this.url.search}`,
        method: "POST",
        agent: this.agent,
        timeoutMs: this.timeoutMs,
        maxReplyBytes: MAX_REPLY_BYTES,
        body: Buffer.from(xml, "utf8"),
        headers: {
          "Content-Type": "text/xml; charset=utf-8",
          SOAPAction: `"${soapAction}"`,
          "Auth-Key": this.key,
          "Abort-On": "error",
          Accept: "text/xml",
          "User-Agent": "siteform",
        },
      },
      replyReader,
    );
  }
}
