/**
 * Turns the WHM client's typed errors into the core's ProviderError, worded for the person
 * reading a plan or an apply report: which server, which account, what went wrong and what to
 * do. Every message passes through the token's Redactor once more, so nothing built here can
 * carry the token even if a lower layer slipped.
 */
import { ProviderError, type ProviderErrorKind } from "../provider.js";
import { kindHint } from "../kind-hint.js";
import { WhmError, WhmRejectedError, type Redactor } from "./errors.js";
import { ActionRefusal } from "./actions.js";
import { AccountMissing, DeletionRefusal, PartlyDoneError } from "./execute.js";

/** What the provider knows about where it talks, for messages. */
export interface ErrorWording {
  server: string;
  /** The environment variables holding the token and the user, named when they are refused. */
  keyEnv: string | null;
  userEnv: string | null;
  redactor: Redactor;
}

/**
 * `what` names the work, e.g. `suspend acme.example (uid 1001)`. A refusal keeps WHM's own
 * words; other failures keep the client's message, which names the function and endpoint.
 */
export function toProviderError(err: unknown, what: string, wording: ErrorWording): unknown {
  const word = (kind: ProviderErrorKind, detail: string, retryable = kind === "transport"): ProviderError =>
    new ProviderError(kind, wording.redactor.redact(`${wording.server}: ${what}: ${detail}${kindHint(kind, "the user and token", [wording.userEnv, wording.keyEnv])}`), retryable);
  if (err instanceof ProviderError) return new ProviderError(err.kind, wording.redactor.redact(err.message), err.retryable);
  if (err instanceof DeletionRefusal || err instanceof AccountMissing || err instanceof ActionRefusal) return word("rejected", err.message);
  if (err instanceof PartlyDoneError) {
    const advice = err.advice === "" ? "" : `; ${err.advice}`;
    // A final one (a create whose createacct is done) is never retried: that would send createacct
    // again. Otherwise, reported as its own failure, the op may be retried as that failure may.
    const retryable = !err.final && err.kind === err.failure.kind && mayRetry(err.failure);
    return word(err.kind, `${err.done.join(", ")} done, then ${detailOf(err.failure)}${advice}`, retryable);
  }
  if (!(err instanceof WhmError)) return err;
  return word(err.kind, detailOf(err), mayRetry(err));
}

/** Transport failures did nothing; so did a refusal that says "try again later". No other refusal may be retried. */
function mayRetry(err: WhmError): boolean {
  return err.kind === "transport" || (err.kind === "rejected" && err.retryable);
}

/** A refusal in WHM's own words; anything else with the client's message, which names the function and endpoint. */
function detailOf(err: WhmError): string {
  return err instanceof WhmRejectedError ? `WHM refused ${err.fn}: ${err.reason}` : err.message;
}

/** The same wording for a collect, which reports failures as text rather than throwing. */
export function failureText(err: unknown, what: string, wording: ErrorWording): string {
  const mapped = toProviderError(err, what, wording);
  if (mapped instanceof ProviderError) return mapped.message;
  const text = mapped instanceof Error ? mapped.message : String(mapped);
  return wording.redactor.redact(`${wording.server}: ${what}: ${text}`);
}
