/**
 * The typed WHM API 1 client: one method per function siteform calls, each sending its
 * parameters as WHM documents them and reading the answer defensively. Every failure becomes
 * one of the typed errors in errors.ts, using the function table to decide what a lost answer
 * means (a read can be retried; a mutation has an unknown outcome). It never logs, retries
 * only a read whose pooled socket was dead, and never lets the token into a message.
 */
import { decodeEnvelope } from "./envelope.js";
import {
  Redactor,
  WhmAuthError,
  WhmProtocolError,
  WhmRejectedError,
  WhmTransportError,
  WhmUnknownOutcomeError,
  type ErrorContext,
  type WhmError,
} from "./errors.js";
import { FUNCTIONS, type WhmFunction } from "./functions.js";
import {
  ResultShapeError,
  readAccounts,
  readBandwidth,
  readPackages,
  readUserSession,
  readVersion,
  type AccountRow,
  type BandwidthRow,
  type PackageRow,
  type UserSession,
} from "./results.js";
import { failureHint } from "../http-exchange.js";
import { WhmTransport, normalizeToken, type Exchange, type Query, type WhmConnection } from "./transport.js";

/** `listaccts`' filters: a PCRE or exact `search` on one field, and the fields wanted (all when absent). */
export interface AccountQuery {
  search?: string;
  searchtype?: "domain" | "owner" | "user" | "ip" | "package";
  searchmethod?: "exact" | "regex";
  /** Fields to return; WHM returns every field when absent. */
  want?: readonly string[];
}

export interface NewAccount {
  username: string;
  domain: string;
  /** The package; WHM's `default` when absent. */
  plan?: string;
  contactemail?: string;
}

/** `modifyacct`'s parameters besides `user`: `newuser`, `DNS`, `contactemail`, `MAX*`, `HASSHELL` (case matters to WHM). */
export type AccountChanges = Readonly<Record<string, string | number | boolean>>;

export class WhmClient {
  private readonly transport: WhmTransport;
  private readonly redactor: Redactor;

  constructor(connection: WhmConnection) {
    this.redactor = new Redactor(normalizeToken(connection.token), { grouped: false });
    this.transport = new WhmTransport(connection);
  }

  /** The API base calls go to, without query string or credentials. */
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

  /** The server's cPanel version; a cheap check of the URL, the user and the token. */
  async version(): Promise<string> {
    return this.read("version", {}, readVersion);
  }

  async listaccts(query: AccountQuery = {}): Promise<AccountRow[]> {
    const params = { search: query.search, searchtype: query.searchtype, searchmethod: query.searchmethod, want: query.want?.join(",") };
    return this.read("listaccts", params, readAccounts);
  }

  /** One account by user or by domain; WHM refuses (result 0) when there is none. */
  async accountsummary(by: { user: string } | { domain: string }): Promise<AccountRow[]> {
    return this.read("accountsummary", by, readAccounts);
  }

  async listpkgs(): Promise<PackageRow[]> {
    return this.read("listpkgs", {}, readPackages);
  }

  /** This month's bandwidth, for every account or the one `user`. */
  async showbw(user?: string): Promise<BandwidthRow[]> {
    return this.read("showbw", user === undefined ? {} : { search: user, searchtype: "user" }, readBandwidth);
  }

  async createacct(account: NewAccount): Promise<void> {
    await this.call("createacct", { username: account.username, domain: account.domain, plan: account.plan, contactemail: account.contactemail });
  }

  /** Removes the account with its files, databases, mail and DNS zone. */
  async removeacct(username: string): Promise<void> {
    await this.call("removeacct", { username });
  }

  async suspendacct(user: string, reason?: string): Promise<void> {
    await this.call("suspendacct", { user, reason });
  }

  async unsuspendacct(user: string): Promise<void> {
    await this.call("unsuspendacct", { user });
  }

  async changepackage(user: string, pkg: string): Promise<void> {
    await this.call("changepackage", { user, pkg });
  }

  async modifyacct(user: string, changes: AccountChanges): Promise<void> {
    await this.call("modifyacct", { ...changes, user });
  }

  /** The disk quota in MB; 0 is unlimited. */
  async editquota(user: string, quotaMb: number): Promise<void> {
    await this.call("editquota", { user, quota: quotaMb });
  }

  /** The monthly bandwidth limit in MB; 0 is unlimited. */
  async limitbw(user: string, bwlimitMb: number): Promise<void> {
    await this.call("limitbw", { user, bwlimit: bwlimitMb });
  }

  /**
   * A one-time login into cPanel (service `cpaneld`) for the account's user, opening `app` when
   * given (a cPanel application name such as `FileManager_Home`). The answer's URL is a
   * credential: it goes to the caller and nowhere else.
   */
  async createUserSession(user: string, app?: string): Promise<UserSession> {
    return this.read("create_user_session", { user, service: "cpaneld", app }, readUserSession);
  }

  /**
   * Sets the account's password (WHM also changes its MySQL password, its default). WHM takes
   * it as a query parameter, over the same TLS as the token; it reaches no message here.
   */
  async passwd(user: string, password: string): Promise<void> {
    await this.call("passwd", { user, password });
  }

  /** One call, answered with `data` (undefined for actions without any). */
  async call(fn: WhmFunction, params: Query): Promise<unknown> {
    const context: ErrorContext = { fn, endpoint: this.transport.endpoint };
    const { mutating } = FUNCTIONS[fn];
    const exchange = await this.transport.get(fn, params, { mutating });
    if (exchange.kind === "failure") throw this.failureError(context, mutating, exchange);
    return this.answer(context, mutating, exchange);
  }

  private async read<T>(fn: WhmFunction, params: Query, shape: (data: unknown) => T): Promise<T> {
    const data = await this.call(fn, params);
    try {
      return shape(data);
    } catch (err) {
      if (err instanceof ResultShapeError) throw new WhmProtocolError({ fn, endpoint: this.transport.endpoint }, this.redactor.redact(err.message));
      throw err;
    }
  }

  /** The `data` of an HTTP answer, or the error it amounts to. */
  private answer(context: ErrorContext, mutating: boolean, exchange: Extract<Exchange, { kind: "response" }>): unknown {
    const { status } = exchange;
    if (status === 401 || status === 403) throw new WhmAuthError(context, status);
    const envelope = decodeEnvelope(exchange.body);
    // WHM's own refusal says what happened, whatever the status it came with.
    if (envelope.kind === "refused") throw new WhmRejectedError(context, this.redactor.redact(envelope.reason));
    const ok = status >= 200 && status < 300;
    if (ok && envelope.kind === "ok") return envelope.data;
    if (ok && envelope.kind === "api0") {
      // WHM answers in API 0's shape when it ignored api.version=1, but it still ran the function:
      // a change may have happened, so it is read back like a lost answer, never called final.
      const detail = `${envelope.detail}; is the URL WHM's json-api endpoint?`;
      throw mutating ? new WhmUnknownOutcomeError(context, detail) : new WhmProtocolError(context, detail);
    }
    const what = `HTTP ${status} with ${envelope.kind === "ok" ? "a result" : this.redactor.redact(envelope.detail)}`;
    // 503 and 429 mean "not now": nothing was done. Any other 5xx after a full request may hide work done.
    if (status === 503 || status === 429 || (status >= 500 && !mutating)) throw new WhmTransportError(context, `the server answered ${what}`, { status });
    if (status >= 500 || (ok && mutating)) throw new WhmUnknownOutcomeError(context, `the server answered ${what}`);
    throw new WhmProtocolError(context, `the server answered ${what}; is the URL WHM's json-api endpoint (https://HOST:2087)?`);
  }

  private failureError(context: ErrorContext, mutating: boolean, failure: Extract<Exchange, { kind: "failure" }>): WhmError {
    const detail = `${this.redactor.redact(failure.detail)} [${failure.code}]`;
    if (mutating && failure.sent) {
      return new WhmUnknownOutcomeError(context, `the request was sent but no answer came back: ${detail}`, { code: failure.code, cause: failure.cause });
    }
    const phase = failure.sent ? "the answer was lost" : "the request could not be sent";
    return new WhmTransportError(context, `${phase}: ${detail}${failureHint(failure.code)}`, { code: failure.code, cause: failure.cause });
  }
}

