/**
 * The one interface between siteform's core and a control panel. A provider reads a server's
 * sites as ObservedSites and carries out Ops; it turns every panel failure into a
 * ProviderError (never logs, never retries a mutation, never exits). Only a provider's own
 * folder may name the panel's API methods.
 */
import type { ObservedServer, ObservedSite, ObservedValue } from "../model/observed-site.js";
import type { Op } from "../model/op.js";

export interface CollectRequest {
  /** `service.param` fields the inventory manages on this server; identity fields are added by the provider. */
  fields: readonly string[];
}

/** One site to read: by id, else by the domain it should have now. */
export interface SiteRead {
  siteId: string | null;
  domain: string;
  /**
   * Exactly the `service.param` fields to read (the domain and the state always come). An
   * identity value of the ObservedSite (admin user, aliases, billing, plan) is known only when
   * its field is asked for; it reads as empty otherwise. Fewer fields make a cheaper read.
   */
  fields: readonly string[];
}

/** What running an op produced. */
export interface ExecuteResult {
  /** The site's id after the op (looked up after a create). */
  siteId: string | null;
  /** A remark for the report, e.g. the server kept a site its deletion check excluded. */
  note?: string;
}

/**
 * What went wrong, in provider-neutral terms:
 * - `auth`: the key was refused; nothing on that server will work.
 * - `rejected`: the server refused the operation and said why (a SOAP fault); do not retry.
 * - `transport`: the request did not get an answer and was not processed (connection refused,
 *   reset before sending, TLS, HTTP 5xx); safe to retry.
 * - `unknown-outcome`: a mutating request may or may not have been carried out (timeout or
 *   dropped connection after sending, null answer); read back before anything else.
 * - `protocol`: the answer made no sense.
 */
export type ProviderErrorKind = "auth" | "rejected" | "transport" | "unknown-outcome" | "protocol";

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

export interface Provider {
  readonly server: string;
  /**
   * How long one call may take before its answer counts as lost (the configured per-call
   * timeout). After a lost answer the applier reads back for at least this long before it
   * calls the outcome unknown, since the server may still be carrying the call out.
   */
  readonly callTimeoutMs: number;
  /** Reads every site with the requested fields, and the server-side plan names. Never throws: failures come back as `ok: false`. */
  collect(request: CollectRequest): Promise<ObservedServer>;
  /** Reads one site back (by id, else by the domain it should now have): null when it is not there. Throws ProviderError. */
  readSite(request: SiteRead): Promise<ObservedSite | null>;
  /**
   * Reads several sites in as few calls as the panel allows; answers in the order asked, null
   * for a site that is not there. The applier's re-reads before each op go through this, so
   * ops started together cost one call per server, not one each. Throws ProviderError.
   */
  readSites(requests: readonly SiteRead[]): Promise<Array<ObservedSite | null>>;
  /** Carries out one op. Throws ProviderError. */
  execute(op: Op, options?: { signal?: AbortSignal }): Promise<ExecuteResult>;
  /** The server-side plan's default service values (for import), service → param → value. Throws ProviderError. */
  planDefaults(plan: string): Promise<Readonly<Record<string, Readonly<Record<string, ObservedValue>>>>>;
  /** Releases connections. */
  close(): void;
}
