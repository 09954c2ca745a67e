/**
 * What one exchange with BILLmanager amounts to: a document, a refused session (`doc.error` of
 * type `auth`: the session expired or was never valid, and nothing was done, which the session
 * layer cures by logging in again), or one of the typed errors. BILLmanager answers its
 * refusals with HTTP 200, so `doc.error` is read whatever the status; the status only matters
 * when the body says nothing. Every text that came from outside passes the redactor.
 */
import { decodeEnvelope, isNode, isOk, docId, type Node } from "./envelope.js";
import {
  BillmgrAuthError,
  BillmgrProtocolError,
  BillmgrRejectedError,
  BillmgrTransportError,
  BillmgrUnknownOutcomeError,
  type BillmgrError,
  type ErrorContext,
  type Secrets,
} from "./errors.js";
import { failureHint } from "../http-exchange.js";
import type { Exchange } from "./transport.js";

export type Answer = { kind: "doc"; doc: Node } | { kind: "session-refused"; msg: string };

export function interpret(context: ErrorContext, mutating: boolean, exchange: Exchange, secrets: Secrets): Answer {
  if (exchange.kind === "failure") throw failureError(context, mutating, exchange, secrets);
  const { status } = exchange;
  // BILLmanager itself never answers 401/403; a proxy or web server in front of it does.
  if (status === 401 || status === 403) throw new BillmgrAuthError(context, `the server refused the request with HTTP ${status}`);
  const envelope = decodeEnvelope(exchange.body);
  if (envelope.kind === "error") {
    if (envelope.type === "auth") return { kind: "session-refused", msg: secrets.redact(envelope.msg) };
    throw new BillmgrRejectedError(context, envelope.type, envelope.object === null ? null : secrets.redact(envelope.object), secrets.redact(envelope.msg));
  }
  const ok = status >= 200 && status < 300;
  if (ok && envelope.kind === "doc") return { kind: "doc", doc: envelope.doc };
  const what = `HTTP ${status} with ${envelope.kind === "doc" ? "a document" : secrets.redact(envelope.detail)}`;
  // 503 and 429 mean "not now": nothing was done. Any other 5xx after a full request may hide work done.
  if (status === 503 || status === 429 || (status >= 500 && !mutating)) throw new BillmgrTransportError(context, `the server answered ${what}`, { status });
  if (status >= 500 || (ok && mutating)) throw new BillmgrUnknownOutcomeError(context, `the server answered ${what}`);
  throw new BillmgrProtocolError(context, `the server answered ${what}; is the URL BILLmanager's endpoint (https://HOST:1500/billmgr)?`);
}

/**
 * A mutation's document must say it was done: `doc.ok`, a new `doc.id`, or one of `results`
 * (e.g. `newexpiredate` after a renewal). A document without any of them neither refuses nor
 * confirms, so the work may or may not have happened.
 */
export function requireDone(context: ErrorContext, doc: Node, results: readonly string[] = []): void {
  if (isOk(doc) || docId(doc) !== undefined) return;
  if (results.some((name) => doc[name] !== undefined || (isNode(doc.doc) && doc.doc[name] !== undefined))) return;
  throw new BillmgrUnknownOutcomeError(context, "the server answered without doc.ok or a result");
}

function failureError(context: ErrorContext, mutating: boolean, failure: Extract<Exchange, { kind: "failure" }>, secrets: Secrets): BillmgrError {
  const detail = `${secrets.redact(failure.detail)} [${failure.code}]`;
  if (mutating && failure.sent) {
    return new BillmgrUnknownOutcomeError(context, `the request was sent but no answer came back: ${detail}`, { code: failure.code });
  }
  const phase = failure.sent ? "the answer was lost" : "the request could not be sent";
  return new BillmgrTransportError(context, `${phase}: ${detail}${failureHint(failure.code)}`, { code: failure.code });
}

