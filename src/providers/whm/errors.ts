/**
 * Every way a WHM call can fail, as typed errors the provider can act on without parsing
 * messages: `kind` says what happened, `retryable` whether trying again as is is safe. The
 * one that matters most is WhmUnknownOutcomeError: a mutating call that was sent but whose
 * answer was lost may have done its work, so it must be read back, never blindly retried.
 *
 * No error here may carry the API token: `endpoint` is the URL without query or credentials,
 * and any text that came from the server passes through a Redactor before it is stored.
 */
import { CallError, SAYS_TRY_AGAIN } from "../call-error.js";

export type WhmErrorKind = "auth" | "rejected" | "transport" | "unknown-outcome" | "protocol";

export interface ErrorContext {
  /** The WHM function, e.g. `createacct`. */
  fn: string;
  /** The API base URL without query string, fragment or userinfo. */
  endpoint: string;
}

export abstract class WhmError extends CallError<WhmErrorKind> {
  readonly fn: string;

  protected constructor(context: ErrorContext, message: string, options?: { cause?: unknown }) {
    super(context.fn, context.endpoint, message, options);
    this.fn = context.fn;
  }
}

/** The user or token was refused (HTTP 401/403). Retrying with the same token won't help. */
export class WhmAuthError extends WhmError {
  override readonly name = "WhmAuthError";
  readonly kind = "auth";
  readonly retryable = false;

  constructor(
    context: ErrorContext,
    readonly status: number,
  ) {
    super(context, `the server refused the user and token (HTTP ${status}); check both, and that the token may call ${context.fn}`);
  }
}

/**
 * WHM answered `metadata.result: 0`: it refused the call and said why (`metadata.reason`).
 * Retryable only when WHM says it is briefly unavailable and to try again: nothing was done
 * then, while any other refusal would repeat.
 */
export class WhmRejectedError extends WhmError {
  override readonly name = "WhmRejectedError";
  readonly kind = "rejected";
  readonly retryable: boolean;

  constructor(
    context: ErrorContext,
    /** `metadata.reason`, redacted. */
    readonly reason: string,
  ) {
    super(context, `the server refused it: ${reason}`);
    this.retryable = SAYS_TRY_AGAIN.test(reason);
  }
}

/**
 * The call did not get through and did nothing: refused or reset connection, TLS failure,
 * timeout before the request was sent, HTTP 503, or any HTTP 5xx on a read. Safe to retry.
 */
export class WhmTransportError extends WhmError {
  override readonly name = "WhmTransportError";
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
 * sending, an HTTP error that may hide work done, an unreadable reply): the work may or may
 * not have happened.
 */
export class WhmUnknownOutcomeError extends WhmError {
  override readonly name = "WhmUnknownOutcomeError";
  readonly kind = "unknown-outcome";
  readonly retryable = false;

  constructor(
    context: ErrorContext,
    what: string,
    readonly detail: { code?: string; cause?: unknown } = {},
  ) {
    super(context, `${what}; the work may have happened: read the account back before retrying`, detail.cause === undefined ? undefined : { cause: detail.cause });
  }
}

/** The server answered, but not with anything this client can read as the function's result. */
export class WhmProtocolError extends WhmError {
  override readonly name = "WhmProtocolError";
  readonly kind = "protocol";
  readonly retryable = false;

  constructor(context: ErrorContext, message: string) {
    super(context, message);
  }
}

export { Redactor } from "../redactor.js";
