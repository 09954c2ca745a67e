/**
 * The one interface between siteform's core and a control panel. A provider reads a server's
 * resources as ObservedResources and carries out Ops; it turns every panel failure into a
 * ProviderError (never logs, never retries a mutation, never exits). Only a provider's own
 * folder may name the panel's API methods.
 */
import type { Op } from "../model/op.js";
import type { FieldValues, ObservedResource, ObservedServer, ObservedValue } from "../model/resource.js";

export interface CollectRequest {
  /** Per kind, the `group.field` fields the inventory manages on this server; the kind's identity fields are added by the provider. */
  fields: Readonly<Record<string, readonly string[]>>;
}

/** One resource to read: by id, else by the name it should have now. */
export interface ResourceRead {
  kind: string;
  id: string | null;
  name: string;
  /**
   * Exactly the `group.field` fields to read (the name and the state always come). A key or
   * relation is known only when its field is asked for; it reads as absent otherwise. Fewer
   * fields make a cheaper read.
   */
  fields: readonly string[];
}

/** What running an op produced. */
export interface ExecuteResult {
  /** The resource's id after the op (looked up after a create). */
  id: string | null;
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

export interface ExecuteOptions {
  signal?: AbortSignal;
  /**
   * Called while an op waits for the panel to finish what it started (a service being set up),
   * with what it is waiting for: for progress output, never for decisions.
   */
  progress?: (message: string) => void;
}

export interface Provider {
  readonly server: string;
  /**
   * How long one call may take before its answer counts as lost (the configured per-call
   * timeout). After a lost answer the applier reads back for at least this long before it
   * calls the outcome unknown, since the server may still be carrying the call out.
   */
  readonly callTimeoutMs: number;
  /** Reads every resource of its kinds with the requested fields, and the templates that exist. Never throws: failures come back as `ok: false`. */
  collect(request: CollectRequest): Promise<ObservedServer>;
  /** Reads one resource back (by id, else by the name it should now have): null when it is not there. Throws ProviderError. */
  readResource(request: ResourceRead): Promise<ObservedResource | null>;
  /**
   * Reads several resources in as few calls as the panel allows; answers in the order asked,
   * null for one that is not there. The applier's re-reads before each op go through this, so
   * ops started together cost one call per server, not one each. Throws ProviderError.
   */
  readResources(requests: readonly ResourceRead[]): Promise<Array<ObservedResource | null>>;
  /** Carries out one op. Throws ProviderError. */
  execute(op: Op, options?: ExecuteOptions): Promise<ExecuteResult>;
  /**
   * For a paid op, what the panel says it will cost and buy, asked without charging anything
   * (a price preview): lines the plan shows beside the op. Optional: a panel without paid
   * actions has none. Throws ProviderError.
   */
  quote?(op: Op): Promise<readonly string[]>;
  /** A server-side template's default field values (for import). Throws ProviderError. */
  templateDefaults(kind: string, template: string): Promise<FieldValues<ObservedValue>>;
  /** Releases connections. */
  close(): void;
}
