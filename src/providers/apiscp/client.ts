/**
 * The typed ApisCP client: one method per API call siteform makes, each encoding its
 * arguments the way the billing modules do and reading the answer defensively. It turns every
 * failure into one of the typed errors in errors.ts, using the method table to decide what a
 * lost answer means (a read can be retried; a mutating call has an unknown outcome). It never
 * logs, retries only a read whose pooled socket was dead, and never lets the key into a message.
 */
import { APISCP_NAMESPACE, METHODS, type MethodName } from "./methods.js";
import {
  AuthError,
  ProtocolError,
  Redactor,
  SoapFaultError,
  TransportError,
  UnknownOutcomeError,
  type ApiscpError,
  type ErrorContext,
} from "./errors.js";
import {
  ResultShapeError,
  readBandwidthUsage,
  readCollect,
  readDomains,
  readServices,
  readSiteId,
  readStorageUsage,
  readStringList,
  asString,
  type BandwidthUsage,
  type CollectedSite,
  type StorageUsage,
} from "./results.js";
import { failureHint } from "../http-exchange.js";
import { HttpTransport, normalizeApiKey, type ApiscpConnection, type SoapExchange } from "./transport.js";
import { encodeCall } from "./wire/index.js";
import type { SoapMap, SoapValue } from "./wire/value.js";

/** `admin_collect`'s query: field → wanted value (dotted, comma or nested forms; `active`). */
export type CollectQuery = SoapMap;

export interface AddSiteFlags {
  plan?: string;
  force?: boolean;
  bootstrap?: boolean;
  notify?: boolean;
}

export interface EditSiteFlags {
  reset?: boolean;
  /** Sent as `dry-run`. */
  dryRun?: boolean;
  backup?: boolean;
  force?: boolean;
  reconfig?: boolean;
  plan?: string;
}

export interface DeactivateSiteFlags {
  reason?: string;
  template?: string;
}

export interface DeleteSiteFlags {
  /** `now`, a relative time such as `30 days ago`, or unix seconds. */
  since?: string | number;
  /** A regex on the suspension reason. */
  match?: string;
  force?: boolean;
  /** Sent as `dry-run`. */
  dryRun?: boolean;
}

/** Faults whose text means the key (or session) was refused rather than the call failing. */
const AUTH_FAULT = /invalid (api )?key|authenticat|unauthori[sz]ed|login failed|permission denied/i;

export class ApiscpClient {
  private readonly transport: HttpTransport;
  private readonly redactor: Redactor;
  private readonly namespace: string;

  constructor(connection: ApiscpConnection) {
    const key = normalizeApiKey(connection.key);
    this.redactor = new Redactor(key);
    this.transport = new HttpTransport(connection, key);
    this.namespace = connection.namespace ?? APISCP_NAMESPACE;
  }

  /** The endpoint calls go to, without query string or credentials. */
  get endpoint(): string {
    return this.transport.endpoint;
  }

  /** The time limit of one call (connect, send and the whole answer), as configured. */
  get timeoutMs(): number {
    return this.transport.timeoutMs;
  }

  /** Closes pooled connections. Calls still in flight fail; later calls throw. */
  close(): void {
    this.transport.close();
  }

  async collect(params: string[] | null, query?: CollectQuery | null, sites?: string[] | null): Promise<Record<string, CollectedSite>> {
    return this.read("admin_collect", [params, query, sites], readCollect);
  }

  async addSite(domain: string, adminUser: string, opts: SoapMap, flags?: AddSiteFlags): Promise<void> {
    await this.mutate("admin_add_site", [domain, adminUser, opts, flags === undefined ? undefined : flagMap(flags)]);
  }

  async editSite(site: string, opts: SoapMap, flags?: EditSiteFlags): Promise<void> {
    await this.mutate("admin_edit_site", [site, opts, flags === undefined ? undefined : flagMap(flags)]);
  }

  /** Suspends the site; suspending a suspended site succeeds. */
  async deactivateSite(site: string, flags?: DeactivateSiteFlags): Promise<void> {
    await this.mutate("admin_deactivate_site", [site, flags === undefined ? undefined : flagMap(flags)]);
  }

  async activateSite(site: string): Promise<void> {
    await this.mutate("admin_activate_site", [site]);
  }

  /** `site` null with `since`/`match` deletes every site suspended long enough (deferred cancellation). */
  async deleteSite(site: string | null, flags?: DeleteSiteFlags): Promise<void> {
    await this.mutate("admin_delete_site", [site, flags === undefined ? undefined : flagMap(flags)]);
  }

  async listPlans(): Promise<string[]> {
    return this.read("admin_list_plans", [], (v) => readStringList(v, "the plan list"));
  }

  async getPlan(name: string): Promise<Record<string, Record<string, SoapValue>>> {
    return this.read("admin_get_plan", [name], (v) => readServices(v, "the plan"));
  }

  async getDomains(): Promise<Map<number, string>> {
    return this.read("admin_get_domains", [], readDomains);
  }

  async getSiteIdFromDomain(domain: string): Promise<number | null> {
    return this.read("admin_get_site_id_from_domain", [domain], readSiteId);
  }

  getUsage(field: "storage", sites?: string[] | null): Promise<Record<string, StorageUsage>>;
  getUsage(field: "bandwidth", sites?: string[] | null): Promise<Record<string, BandwidthUsage>>;
  async getUsage(field: "storage" | "bandwidth", sites?: string[] | null): Promise<Record<string, StorageUsage | BandwidthUsage>> {
    const shape: (v: SoapValue) => Record<string, StorageUsage | BandwidthUsage> = field === "storage" ? readStorageUsage : readBandwidthUsage;
    return this.read("admin_get_usage", [field, sites], shape);
  }

  /** A session id for `user` (the site admin by default); `gate` `UI` is for browser SSO. */
  async hijack(site: string, user?: string, gate?: "SOAP" | "UI"): Promise<string> {
    return this.read("admin_hijack", [site, user, gate], (v) => {
      const id = asString(v, "the session id");
      if (id === "") throw new ResultShapeError("expected a session id, got an empty string");
      return id;
    });
  }

  /**
   * Sets `user`'s password on the site whose primary domain is `domain` (as the server admin, both
   * must be named: without them the call would change the admin's own password). The panel
   * refuses a weak one with a fault in its own words.
   */
  async changePassword(password: string, user: string, domain: string): Promise<void> {
    await this.mutate("auth_change_password", [password, user, domain]);
  }

  /** The authenticated user; a cheap connection and key check. */
  async whoami(): Promise<string> {
    return this.read("common_whoami", [], (v) => asString(v, "the result"));
  }

  /**
   * One call, answered with the decoded value. Arguments are positional; trailing `undefined`s
   * are not sent (so PHP's defaults apply) and inner ones are sent as null. For a mutating
   * method a null answer is an UnknownOutcomeError and `false` a SoapFaultError.
   */
  async call(method: MethodName, args: (SoapValue | undefined)[]): Promise<SoapValue> {
    const context: ErrorContext = { method, endpoint: this.transport.endpoint };
    const { mutating } = METHODS[method];
    const xml = encodeCall({ operation: method, args: positional(args) }, { namespace: this.namespace });
    const exchange = await this.transport.post(`${this.namespace}#${method}`, xml, { mutating });
    if (exchange.kind === "failure") throw this.failureError(context, mutating, exchange);
    const value = this.answer(context, mutating, exchange);
    if (mutating && value === null) throw new UnknownOutcomeError(context, "the server answered null instead of true");
    if (mutating && value === false) {
      throw new SoapFaultError(context, "", "server returned false: the call failed without saying why (was the Abort-On header dropped?)");
    }
    return value;
  }

  private async read<T>(method: MethodName, args: (SoapValue | undefined)[], shape: (value: SoapValue) => T): Promise<T> {
    const value = await this.call(method, args);
    try {
      return shape(value);
    } catch (err) {
      if (err instanceof ResultShapeError) throw new ProtocolError({ method, endpoint: this.transport.endpoint }, this.redactor.redact(err.message));
      throw err;
    }
  }

  private async mutate(method: MethodName, args: (SoapValue | undefined)[]): Promise<void> {
    const value = await this.call(method, args);
    if (value !== true) {
      const context = { method, endpoint: this.transport.endpoint };
      throw new UnknownOutcomeError(context, `the server answered ${describeValue(value)} instead of true`);
    }
  }

  /** The value of an HTTP answer, or the error it amounts to. */
  private answer(context: ErrorContext, mutating: boolean, exchange: Extract<SoapExchange, { kind: "response" }>): SoapValue {
    const { status } = exchange;
    if (status === 401 || status === 403) throw new AuthError(context, { status });
    // Decoded while it arrived (transport.ts): an answer of 10,000 sites is never held as text.
    const { reply, problem, blank } = exchange.body;
    const unreadable = this.redactor.redact(problem);
    if (reply?.kind === "fault") {
      const faultString = this.redactor.redact(reply.fault.message);
      if (AUTH_FAULT.test(faultString)) throw new AuthError(context, { faultString });
      throw new SoapFaultError(context, this.redactor.redact(reply.fault.code), faultString);
    }
    if (reply !== undefined && status >= 200 && status < 300) return reply.value;
    const what =
      reply !== undefined
        ? `HTTP ${status} with a result`
        : blank
          ? `HTTP ${status} with an empty body`
          : `HTTP ${status} with an unreadable body (${unreadable})`;
    // 503 means "not now": nothing was done. Any other 5xx after a full request may hide work done.
    if (status === 503 || (status >= 500 && !mutating) || status === 429) {
      throw new TransportError(context, `the server answered ${what}`, { status });
    }
    if (status >= 500 || (status >= 200 && status < 300 && mutating)) throw new UnknownOutcomeError(context, `the server answered ${what}`);
    throw new ProtocolError(context, `the server answered ${what}; is the endpoint URL right?`);
  }

  private failureError(context: ErrorContext, mutating: boolean, failure: Extract<SoapExchange, { kind: "failure" }>): ApiscpError {
    const detail = `${this.redactor.redact(failure.detail)} [${failure.code}]`;
    if (mutating && failure.sent) {
      return new UnknownOutcomeError(context, `the request was sent but no answer came back: ${detail}`, { code: failure.code, cause: failure.cause });
    }
    const phase = failure.sent ? "the answer was lost" : "the request could not be sent";
    return new TransportError(context, `${phase}: ${detail}${failureHint(failure.code)}`, { code: failure.code, cause: failure.cause });
  }
}

/** Trailing undefined arguments are left off so PHP applies its defaults; inner ones become null. */
function positional(args: (SoapValue | undefined)[]): SoapValue[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return args.slice(0, end).map((a) => a ?? null);
}

const WIRE_FLAG_NAMES: Readonly<Record<string, string>> = { dryRun: "dry-run" };

/** Flags as the wire map: only those given, under their wire names. */
function flagMap(flags: object): SoapMap {
  const out: SoapMap = {};
  for (const [name, value] of Object.entries(flags) as [string, SoapValue | undefined][]) {
    if (value !== undefined) out[WIRE_FLAG_NAMES[name] ?? name] = value;
  }
  return out;
}

function describeValue(value: SoapValue): string {
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value !== null && typeof value === "object") return "a map";
  return typeof value === "string" ? "a string" : String(value);
}

