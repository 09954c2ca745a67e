/**
 * Turns the BILLmanager client's typed errors, and the provider's own refusals, into the core's
 * ProviderError, worded for the person reading a plan or an apply report: which server, which
 * service, what went wrong and what to do. Every message passes through the login's Secrets
 * once more, so nothing built here can carry the password or a session id even if a lower
 * layer slipped.
 */
import { ProviderError, type ProviderErrorKind } from "../provider.js";
import { kindHint } from "../kind-hint.js";
import { BillmgrError, BillmgrRejectedError } from "./errors.js";
import { DeletionRefusal, RenewalShort, ServiceMissing } from "./execute.js";
import { OpShapeError, UnsupportedChange } from "./op-calls.js";

/** What the provider knows about where it talks, for messages. */
export interface ErrorWording {
  server: string;
  /** The environment variables holding the password and the user, named when they are refused. */
  keyEnv: string | null;
  userEnv: string | null;
  /** Removes the password and session ids (the client's Secrets). */
  redact: (text: string) => string;
}

/**
 * `what` names the work, e.g. `renew shop-vps (service 101)`. A refusal keeps BILLmanager's own
 * words (and says to top up the balance when that is what it means); other failures keep the
 * client's message, which names the function and endpoint.
 */
export function toProviderError(err: unknown, what: string, wording: ErrorWording): unknown {
  const word = (kind: ProviderErrorKind, detail: string, retryable = kind === "transport"): ProviderError =>
    new ProviderError(kind, wording.redact(`${wording.server}: ${what}: ${detail}${kindHint(kind, "the user and password", [wording.userEnv, wording.keyEnv])}`), retryable);
  if (err instanceof ProviderError) return new ProviderError(err.kind, wording.redact(err.message), err.retryable);
  if (err instanceof DeletionRefusal || err instanceof ServiceMissing || err instanceof UnsupportedChange || err instanceof RenewalShort) return word("rejected", err.message, false);
  if (err instanceof OpShapeError) return word("rejected", `siteform cannot send this op: ${err.message}`, false);
  if (!(err instanceof BillmgrError)) return err;
  if (err instanceof BillmgrRejectedError) {
    const money = err.notEnoughMoney ? "; nothing was charged: top up the account's balance, then apply again" : "";
    return word("rejected", `BILLmanager refused ${err.fn}: ${err.msg} (error type ${err.type})${money}`, err.retryable);
  }
  return word(err.kind, err.message, err.retryable);
}

/** The same wording for a collect, which reports failures as text rather than throwing. */
export function failureText(err: unknown, what: string, wording: ErrorWording): string {
  const mapped = toProviderError(err, what, wording);
  if (mapped instanceof ProviderError) return mapped.message;
  const text = mapped instanceof Error ? mapped.message : String(mapped);
  return wording.redact(`${wording.server}: ${what}: ${text}`);
}
