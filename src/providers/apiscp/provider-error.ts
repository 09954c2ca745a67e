/**
 * Turns the ApisCP client's typed errors into the core's ProviderError, worded for the person
 * reading a plan or an apply report: which server, which site, what went wrong and what to do.
 * Every message passes through the key's Redactor once more, so nothing built here can carry
 * the key even if a lower layer slipped. It decides nothing about retrying beyond the kind.
 */
import { ProviderError, type ProviderErrorKind } from "../provider.js";
import { kindHint } from "../kind-hint.js";
import { ApiscpError, SoapFaultError, type Redactor } from "./errors.js";

/** What the provider knows about where it talks, for messages. */
export interface ErrorWording {
  server: string;
  /** The environment variable holding the key, named in the hint of an auth failure. */
  keyEnv: string | null;
  redactor: Redactor;
}

const KIND: Readonly<Record<ApiscpError["kind"], ProviderErrorKind>> = {
  auth: "auth",
  fault: "rejected",
  transport: "transport",
  "unknown-outcome": "unknown-outcome",
  protocol: "protocol",
};

/**
 * `what` names the work, e.g. `suspend acme.example (site3)`. A SOAP fault keeps the server's
 * own words; other failures keep the client's message, which names the method and endpoint.
 */
export function toProviderError(err: unknown, what: string, wording: ErrorWording): unknown {
  if (!(err instanceof ApiscpError)) return err;
  const kind = KIND[err.kind];
  const detail = err instanceof SoapFaultError ? `the server refused it: ${err.faultString}` : err.message;
  const message = wording.redactor.redact(`${wording.server}: ${what}: ${detail}${kindHint(kind, "the key", [wording.keyEnv])}`);
  const retryable = kind === "transport" || (kind === "rejected" && err.retryable);
  return new ProviderError(kind, message, retryable);
}

/** The same wording for a collect, which reports failures as text rather than throwing. */
export function failureText(err: unknown, what: string, wording: ErrorWording): string {
  const mapped = toProviderError(err, what, wording);
  if (mapped instanceof ProviderError) return mapped.message;
  const text = mapped instanceof Error ? mapped.message : String(mapped);
  return wording.redactor.redact(`${wording.server}: ${what}: ${text}`);
}

/** Faults that mean "the site named in the call does not exist" (the emulator: `unknown site 'x'`). */
const NO_SUCH_SITE = /unknown site|no such site|site .*(does not exist|not found)|invalid site/i;

export function isNoSuchSite(err: unknown): boolean {
  return err instanceof SoapFaultError && NO_SUCH_SITE.test(err.faultString);
}
