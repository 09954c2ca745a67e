/**
 * Every way a BILLmanager call can fail, as typed errors the provider can act on without
 * parsing messages: `kind` says what happened, `retryable` whether trying again as is is safe.
 * The one that matters most is BillmgrUnknownOutcomeError: a mutating call (an order, a renewal)
 * that was sent but whose answer was lost may have done its work and charged the balance, so
 * it must be read back (by `remoteid`), never blindly repeated.
 *
 * No error here may carry the password or a session id: `endpoint` is the URL without query or
 * credentials, and any text that came from the server or the network passes through the
 * Secrets redactor before it is stored.
 */
import { CallError, SAYS_TRY_AGAIN } from "../call-error.js";
import { Redactor } from "../redactor.js";

export type BillmgrErrorKind = "auth" | "rejected" | "transport" | "unknown-outcome" | "protocol";

export interface ErrorContext {
  /** The BILLmanager function, e.g. `v2.vds.order.param`. */
  fn: string;
  /** The endpoint without query string, fragment or userinfo. */
  endpoint: string;
}

export abstract class BillmgrError extends CallError<BillmgrErrorKind> {
  readonly fn: string;

  protected constructor(context: ErrorContext, message: string, options?: { cause?: unknown }) {
    super(context.fn, context.endpoint, message, options);
    this.fn = context.fn;
  }
}

/**
 * The user and password were refused, or a fresh session was refused at once (`doc.error` of
 * type `auth` that re-authenticating did not cure, or HTTP 401/403 from a proxy in front).
 * Retrying with the same credentials won't help.
 */
export class BillmgrAuthError extends BillmgrError {
  override readonly name = "BillmgrAuthError";
  readonly kind = "auth";
  readonly retryable = false;

  constructor(context: ErrorContext, what: string) {
    super(context, `${what}; check the BILLmanager user and password`);
  }
}

/**
 * BILLmanager answered `doc.error`: it refused the call and said why. `type` is its error type
 * (`exist`, `value`, `missed`, `access`, …, as written), `object` what it was about (a field,
 * `elid`, …). Nothing was done. `access` is a refusal too, not an auth error: the login works
 * but this user may not call the function (several are admin-only).
 */
export class BillmgrRejectedError extends BillmgrError {
  override readonly name = "BillmgrRejectedError";
  readonly kind = "rejected";
  readonly retryable: boolean;

  constructor(
    context: ErrorContext,
    readonly type: string,
    readonly object: string | null,
    /** `doc.error.msg.$`, redacted. */
    readonly msg: string,
  ) {
    super(context, `BILLmanager refused it (error type ${type}${object === null ? "" : `, object ${object}`}): ${msg}`);
    this.retryable = SAYS_TRY_AGAIN.test(msg);
  }

  /** The balance does not cover the order or renewal: topping it up is the fix, not retrying. */
  get notEnoughMoney(): boolean {
    return NO_MONEY_TYPE.test(this.type) || NO_MONEY_MSG.test(this.msg);
  }
}

const NO_MONEY_TYPE = /money|balance|funds/i;
const NO_MONEY_MSG = /not enough (money|funds)|insufficient (funds|balance)|top up/i;

/**
 * The call did not get through and did nothing: refused or reset connection, TLS failure,
 * timeout before the request was sent, HTTP 503 or 429, or any HTTP 5xx on a read. Safe to retry.
 */
export class BillmgrTransportError extends BillmgrError {
  override readonly name = "BillmgrTransportError";
  readonly kind = "transport";
  readonly retryable = true;

  constructor(
    context: ErrorContext,
    message: string,
    readonly detail: { code?: string; status?: number; cause?: unknown } = {},
  ) {
    super(context, message, detail.cause === undefined ? undefined : { cause: detail.cause });
  }
}

/**
 * A mutating call was sent in full but no usable answer came back (timeout or reset after
 * sending, an HTTP error that may hide work done, an answer that neither refuses nor confirms):
 * the work, and its charge, may or may not have happened.
 */
export class BillmgrUnknownOutcomeError extends BillmgrError {
  override readonly name = "BillmgrUnknownOutcomeError";
  readonly kind = "unknown-outcome";
  readonly retryable = false;

  constructor(
    context: ErrorContext,
    what: string,
    readonly detail: { code?: string; cause?: unknown } = {},
  ) {
    super(
      context,
      `${what}; the work may have happened: read the service back (by its remoteid for an order) before trying again`,
      detail.cause === undefined ? undefined : { cause: detail.cause },
    );
  }
}

/** The server answered, but not with anything this client can read as the function's result. */
export class BillmgrProtocolError extends BillmgrError {
  override readonly name = "BillmgrProtocolError";
  readonly kind = "protocol";
  readonly retryable = false;

  constructor(context: ErrorContext, message: string) {
    super(context, message);
  }
}

/**
 * Removes the secrets of one BILLmanager login from text: the password, and every session id
 * the client has held (an old one may still be echoed after re-authenticating). Each is
 * replaced whole, as written and form-encoded (a server may echo the request body), before the
 * shared Redactor takes out fragments of it; the whole-value step matters for a password with
 * dashes or spaces, which the Redactor ignores inside a secret.
 */
export class Secrets {
  private readonly values: string[] = [];
  private readonly redactors: Redactor[] = [];

  constructor(password: string) {
    this.add(password);
  }

  /** Redacts `sessionId` from now on. */
  addSession(sessionId: string): void {
    this.add(sessionId);
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.values) out = out.split(value).join(REDACTED);
    return this.redactors.reduce((redacted, redactor) => redactor.redact(redacted), out);
  }

  private add(secret: string): void {
    if (secret === "") return;
    // Longest first, so that a form-encoded copy is not half-replaced by its plain form.
    const forms = new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]);
    this.values.push(...forms);
    this.values.sort((a, b) => b.length - a.length);
    this.redactors.push(new Redactor(secret, { grouped: false }));
  }
}

const REDACTED = "[REDACTED]";
