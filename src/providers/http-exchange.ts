/**
 * One HTTP request and its whole answer, as every provider's transport needs it: a deadline for
 * the complete answer (a socket timeout only catches silence), a size limit, and a failure that
 * says whether the request had been handed to the network in full (so a lost answer to a change
 * is told from a change that was never sent) and whether a pooled keep-alive socket was found
 * dead before anything came back (the one failure a read may simply try again). No retries and
 * no meaning here: each provider decides what an answer or a failure is. It does word what a
 * connection failure asks the operator to change (failureHint, the plain-HTTP answer to an
 * https URL), in siteform.yaml's field names, so that every provider says it alike.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";

/** What came back: the answer (its body as the reader made it, text by default) or the failure. */
export type Exchange<Body = string> =
  | { kind: "response"; status: number; contentType: string | undefined; body: Body }
  | {
      kind: "failure";
      /** True when the whole request had been handed to the network before the failure. */
      sent: boolean;
      /** A system/TLS error code, or ETIMEDOUT / ERESPONSETOOLARGE / ERESPONSEABORTED / ENOTTLS of ours. */
      code: string;
      detail: string;
      cause: unknown;
    };

export interface ExchangeRequest {
  /** The endpoint; its protocol, host and port are used. */
  url: URL;
  /** Path and query to request. */
  path: string;
  method: "GET" | "POST";
  headers: http.OutgoingHttpHeaders;
  body?: Buffer;
  agent: http.Agent;
  timeoutMs: number;
  maxReplyBytes: number;
}

/**
 * Takes an answer's body as it arrives, chunk by chunk, so that a large answer can be decoded
 * while it is read instead of being held whole first. Never throws: what went wrong in the
 * body is part of what `end` returns.
 */
export interface BodyReader<Body> {
  write(chunk: Buffer): void;
  end(): Body;
}

/** The body as UTF-8 text: what most answers need. */
function textReader(): BodyReader<string> {
  const chunks: Buffer[] = [];
  return { write: (chunk) => chunks.push(chunk), end: () => Buffer.concat(chunks).toString("utf8") };
}

/** Sends one request; never throws: every failure comes back as an Exchange. */
export function exchangeOnce(request: ExchangeRequest): Promise<{ exchange: Exchange; staleSocket: boolean }> {
  return exchangeStreamed(request, textReader);
}

/** exchangeOnce, with the answer's body read by a fresh `reader()` as it arrives. */
export function exchangeStreamed<Body>(request: ExchangeRequest, reader: () => BodyReader<Body>): Promise<{ exchange: Exchange<Body>; staleSocket: boolean }> {
  const { url, timeoutMs, maxReplyBytes } = request;
  const lib = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    let sent = false;
    let answered = false;
    let settled = false;
    const settle = (exchange: Exchange<Body>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const staleSocket = exchange.kind === "failure" && req.reusedSocket && !answered && /^(ECONNRESET|EPIPE)$/.test(exchange.code);
      resolve({ exchange, staleSocket });
    };
    const fail = (code: string, detail: string, cause: unknown): void => settle({ kind: "failure", sent, code, detail, cause });
    // Everything read so far (the answer's head and each chunk): how a late verdict tells an
    // answer that was waiting to be read from a server that is really slow.
    let progress = 0;
    /**
     * A deadline is the network's, not the time this single thread spent elsewhere (decoding
     * another server's answer): when it expires the verdict waits one turn of the event loop,
     * and again for as long as each turn reads more of the answer, since those bytes arrived
     * while siteform was busy. A server that sends nothing in a turn is out of time.
     */
    const expire = (detail: string): void => {
      let seen = progress;
      const decide = (): void => {
        if (settled) return;
        if (progress !== seen) {
          seen = progress;
          setImmediate(decide);
          return;
        }
        fail("ETIMEDOUT", detail, undefined);
        req.destroy();
      };
      setImmediate(decide);
    };

    const req = lib.request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: url.port === "" ? undefined : Number(url.port),
      path: request.path,
      method: request.method,
      agent: request.agent,
      timeout: timeoutMs,
      headers: request.body === undefined ? request.headers : { ...request.headers, "Content-Length": request.body.length },
    });
    const timer = setTimeout(() => expire(`no complete answer within ${duration(timeoutMs)}`), timeoutMs);
    req.on("timeout", () => expire(`the connection was silent for ${duration(timeoutMs)}`));
    req.on("finish", () => {
      sent = true;
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      // OpenSSL's words for it ("wrong version number") point at certificates; the cause is a URL with the wrong scheme or port.
      if (url.protocol === "https:" && isPlainHttpAnswer(err)) {
        // A fresh connection whose handshake failed delivered nothing: the request never reached the panel.
        if (!req.reusedSocket) sent = false;
        fail(NOT_TLS, PLAIN_HTTP_ON_HTTPS, err);
      } else fail(err.code ?? "EUNKNOWN", err.message, err);
    });
    req.on("response", (res) => {
      answered = true;
      progress += 1;
      const body = reader();
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        progress += 1;
        size += chunk.length;
        if (size > maxReplyBytes) {
          fail("ERESPONSETOOLARGE", `the answer exceeded ${maxReplyBytes} bytes`, undefined);
          req.destroy();
          return;
        }
        body.write(chunk);
      });
      res.on("end", () => {
        if (!settled) settle({ kind: "response", status: res.statusCode ?? 0, contentType: res.headers["content-type"], body: body.end() });
      });
      res.on("error", (err: NodeJS.ErrnoException) => fail(err.code ?? "ERESPONSEABORTED", err.message, err));
      res.on("close", () => {
        if (!res.complete) fail("ERESPONSEABORTED", "the connection closed in the middle of the answer", undefined);
      });
    });
    if (request.body === undefined) req.end();
    else req.end(request.body);
  });
}

/** The PEM of a configured CA file; a TypeError naming the file (never its content) when it cannot be read. */
export function readCa(caFile: string | undefined): Buffer | undefined {
  if (caFile === undefined) return undefined;
  try {
    return readFileSync(caFile);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new TypeError(`cannot read the CA file ${caFile} (${code}): check the server's \`ca_file\` in siteform.yaml (a path relative to the inventory directory)`, { cause: err });
  }
}

/** Our code for an https URL answered by a server that does not speak TLS there. */
export const NOT_TLS = "ENOTTLS";

const PLAIN_HTTP_ON_HTTPS = "the server answered plain HTTP on an https URL: use http:// or the server's TLS port in its `url`";

/**
 * What OpenSSL says when the bytes that came back are not a TLS record: most often an HTTP
 * answer (port 80, or a panel's plain-HTTP port), which is not a certificate problem at all.
 */
const NOT_TLS_RECORD = /wrong version number|packet length too long|unknown protocol|record layer failure|http request/i;

function isPlainHttpAnswer(err: NodeJS.ErrnoException): boolean {
  return /^ERR_SSL_(WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST|UNKNOWN_PROTOCOL)$/.test(err.code ?? "") || (err.code === "EPROTO" && NOT_TLS_RECORD.test(err.message));
}

/** Certificate and handshake failures: what `ca_file` or `insecure_tls` settle. */
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|EPROTO/;

/**
 * What to change in siteform.yaml after a failure with this code, in its own field names, as
 * " (…)" to append to a message; "" when there is nothing to change there.
 */
export function failureHint(code: string): string {
  if (code === NOT_TLS) return "";
  if (code === "ETIMEDOUT") return " (if the server is only slow, raise its `timeout_seconds` in siteform.yaml)";
  if (TLS_CODES.test(code)) {
    return " (TLS: name the server's CA certificate, or its self-signed certificate, with `ca_file` in siteform.yaml; for a lab only, `insecure_tls: true` skips the check)";
  }
  return "";
}

/** A time limit as people read it: seconds when whole, else milliseconds. */
function duration(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
