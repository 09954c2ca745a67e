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

export interface Provider extends ResourceActions {
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

/**
 * The everyday actions a support desk takes on one resource outside git (`siteform usage`,
 * `login`, `password`, `show RESOURCE`). Each is optional: a provider offers what its panel
 * can, and the command says plainly when a panel has no such call. None of them changes what
 * a plan manages.
 */

/** A resource the operator named, resolved by the core against the inventory and the server. */
export interface ResourceRef {
  kind: string;
  /** The panel's id. */
  id: string;
  /** The value of the kind's name key (a site's domain, an account's user). */
  name: string;
}

/** An amount used against its limit, both in bytes; `limit` null when the panel sets none (unlimited). */
export interface UsageFigure {
  used: number;
  limit: number | null;
}

/** Disk and bandwidth of one resource; a figure is null when the panel does not report it for this kind. */
export interface ResourceUsage {
  kind: string;
  id: string;
  name: string;
  disk: UsageFigure | null;
  bandwidth: UsageFigure | null;
}

/** A one-time login into a resource's panel. The URL is a credential: never logged, never in a report. */
export interface LoginLink {
  url: string;
  /** When the panel says the link stops working (ISO 8601), or null when it does not say. */
  expires: string | null;
  /**
   * The part of `url` that is the credential (a session id or token), which the core then masks
   * in every other output. Optional: without it the core masks the whole URL only.
   */
  secret?: string;
}

/** A deep link into a panel app; no credentials in it. */
export interface ResourceLink {
  label: string;
  url: string;
  /** The `siteform login --app` value that opens the same app signed in, when there is one. */
  app?: string;
}

/** The service-info view's panel-specific part: where to go and what the panel says of the resource. */
export interface ResourceInfo {
  /** The panel's address for this resource's owner (no credentials in it). */
  panelUrl: string | null;
  /** Deep links into the panel's apps (file manager, mail, databases, terminal), by label; no credentials. */
  links: readonly ResourceLink[];
  /** Labelled facts the panel reports (IP, tariff, expiry, auto-renewal), in display order; no secrets. */
  facts: ReadonlyArray<{ label: string; value: string }>;
}

export interface ResourceActions {
  /**
   * Disk and bandwidth for every resource on the server that has them, managed or not; with
   * `targets`, for those resources (a panel that cannot narrow its read may answer more, and the
   * core picks). Throws ProviderError.
   */
  usage?(targets?: readonly ResourceRef[]): Promise<readonly ResourceUsage[]>;
  /** A one-time login URL for `user` (the resource's own login by default), opening `app` when given. Throws ProviderError. */
  login?(target: ResourceRef, options: { user: string | null; app: string | null }): Promise<LoginLink>;
  /** Sets `user`'s (by default the resource's own login's) password; a refusal is a `rejected` ProviderError worded as the panel worded it. */
  setPassword?(target: ResourceRef, options: { user: string | null; password: string }): Promise<void>;
  /** The service-info view's panel part. Throws ProviderError. */
  describe?(target: ResourceRef): Promise<ResourceInfo>;
}
