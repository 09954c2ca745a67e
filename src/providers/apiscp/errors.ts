/**
 * Every way an ApisCP call can fail, as typed errors the applier can act on without parsing
 * messages: `kind` says what happened, `retryable` whether trying again is safe as is.
 * The one that matters most is UnknownOutcomeError: a mutating call whose request was sent but
 * whose answer was lost may have done its work, so it must be read back, never blindly retried.
 *
 * No error here may carry the API key: `endpoint` is the URL without query or credentials, and
 * any text that came from the server is passed through a Redactor before it is stored.
 */
import { CallError, SAYS_TRY_AGAIN } from "../call-error.js";

export type ApiscpErrorKind = "auth" | "fault" | "transport" | "unknown-outcome" | "protocol";

export interface ErrorContext {
  /** The wire operation, e.g. `admin_add_site`. */
  method: string;
  /** The endpoint URL without query string, fragment or userinfo. */
  endpoint: string;
}

export abstract class ApiscpError extends CallError<ApiscpErrorKind> {
  readonly method: string;

  protected constructor(context: ErrorContext, message: string, options?: { cause?: unknown }) {
    super(context.method, context.endpoint, message, options);
    this.method = context.method;
  }
}

/** The key was refused: HTTP 401/403, or a fault that says so. Retrying with the same key won't help. */
export class AuthError extends ApiscpError {
  override readonly name = "AuthError";
  readonly kind = "auth";
  readonly retryable = false;
  /** The HTTP status when the refusal was an HTTP one. */
  readonly status: number | undefined;
  /** The server's (redacted) fault text when the refusal was a SOAP fault. */
  readonly faultString: string | undefined;

  constructor(context: ErrorContext, detail: { status?: number; faultString?: string }) {
    const why = detail.faultString !== undefined ? `"${detail.faultString}"` : `HTTP ${detail.status ?? "?"}`;
    super(context, `the server refused the API key (${why}); check the key and that the admin API is enabled`);
    this.status = detail.status;
    this.faultString = detail.faultString;
  }
}

/** The server answered with a SOAP fault (or, for a mutating call, with `false`): the call failed. */
export class SoapFaultError extends ApiscpError {
  override readonly name = "SoapFaultError";
  readonly kind = "fault";
  /** True only when the server said it is briefly unavailable and to try again; other faults repeat. */
  readonly retryable: boolean;
  /** As sent, e.g. `SOAP-ENV:Server`; empty when the server answered `false` instead of faulting. */
  readonly faultCode: string;
  /** The server's message, with the API key redacted. */
  readonly faultString: string;

  constructor(context: ErrorContext, faultCode: string, faultString: string) {
    super(context, faultCode === "" ? faultString : `the server says: ${faultString} (${faultCode})`);
    this.faultCode = faultCode;
    this.faultString = faultString;
    this.retryable = SAYS_TRY_AGAIN.test(faultString);
  }
}

/**
 * The call did not get through and did nothing: refused or reset connection, TLS failure,
 * timeout before the request was sent, or an HTTP error without a SOAP answer. Safe to retry.
 */
export class TransportError extends ApiscpError {
  override readonly name = "TransportError";
  readonly kind = "transport";
  readonly retryable = true;
  /** The system or TLS error code when there was one (`ECONNREFUSED`, `ETIMEDOUT`, `DEPTH_ZERO_SELF_SIGNED_CERT`…). */
  readonly code: string | undefined;
  readonly status: number | undefined;

  constructor(context: ErrorContext, message: string, detail: { code?: string; status?: number; cause?: unknown } = {}) {
    super(context, message, detail.cause === undefined ? undefined : { cause: detail.cause });
    this.code = detail.code;
    this.status = detail.status;
  }
}

/**
 * A mutating call was sent in full but no usable answer came back (timeout or reset after
 * sending, a null answer, an unreadable reply): the work may or may not have happened.
 */
export class UnknownOutcomeError extends ApiscpError {
  override readonly name = "UnknownOutcomeError";
  readonly kind = "unknown-outcome";
  readonly retryable = false;
  readonly code: string | undefined;

  constructor(context: ErrorContext, what: string, detail: { code?: string; cause?: unknown } = {}) {
    super(
      context,
      `${what}; the work may have happened: read the site back before retrying`,
      detail.cause === undefined ? undefined : { cause: detail.cause },
    );
    this.code = detail.code;
  }
}

/** The server answered, but not with anything this client can read as the method's result. */
export class ProtocolError extends ApiscpError {
  override readonly name = "ProtocolError";
  readonly kind = "protocol";
  readonly retryable = false;

  constructor(context: ErrorContext, message: string) {
    super(context, message);
  }
}

export { Redactor } from "../redactor.js";
