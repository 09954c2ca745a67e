/**
 * What every panel's typed call errors share (apiscp/errors.ts, whm/errors.ts,
 * billmgr/errors.ts): `kind` says what happened, `retryable` whether trying the call again as
 * is is safe, and the message starts with the call and the endpoint (the URL without query or
 * credentials). Each panel names its own kinds, its call (`method`, `fn`) and its advice.
 */
export abstract class CallError<Kind extends string> extends Error {
  abstract readonly kind: Kind;
  abstract readonly retryable: boolean;
  readonly endpoint: string;

  protected constructor(call: string, endpoint: string, message: string, options?: { cause?: unknown }) {
    super(`${call} at ${endpoint}: ${message}`, options);
    this.endpoint = endpoint;
  }
}

/** How a panel says it is briefly unavailable and to try again: then, and only then, a refusal may be retried. */
export const SAYS_TRY_AGAIN = /temporarily unavailable|service unavailable|try again later/i;
