/**
 * WhmProvider: the Provider interface over one WHM server. It owns the client for that server
 * and joins the parts: observe.ts reads account rows, execute.ts carries out ops,
 * provider-error.ts words failures. Reads cost one `listaccts` per server however many
 * accounts are asked for, plus `showbw` only when bandwidth is read and `listpkgs` for the
 * packages. The everyday actions (usage, a one-time login, a password, the service-info view)
 * are actions.ts. It never logs, never retries a mutation, and holds the token only inside the
 * client and the redactor that scrubs every message it hands out; a password it sets is scrubbed
 * from its messages too, and a login URL never enters one.
 */
import type { Op } from "../../model/op.js";
import type { FieldValues, ObservedResource, ObservedServer, ObservedValue } from "../../model/resource.js";
import {
  ProviderError,
  type CollectRequest,
  type ExecuteResult,
  type LoginLink,
  type Provider,
  type ResourceInfo,
  type ResourceRead,
  type ResourceRef,
  type ResourceUsage,
} from "../provider.js";
import { accountInfo, accountUsage, accountUser, locateAccount, loginLink } from "./actions.js";
import { WhmClient } from "./client.js";
import { Redactor } from "./errors.js";
import { executeOp } from "./execute.js";
import { ACCOUNT_KIND } from "./kinds.js";
import { LIMITS, readLimit, readPackageSwitch } from "./limits.js";
import { needsBandwidth, observedAccount, observedAccounts, readFields, wantFor } from "./observe.js";
import { opAccountLabel } from "./op-calls.js";
import { failureText, toProviderError, type ErrorWording } from "./provider-error.js";
import type { AccountRow, BandwidthRow } from "./results.js";
import { normalizeToken, type WhmConnection } from "./transport.js";

export interface WhmProviderOptions {
  /** The server's name in siteform.yaml, used in every message. */
  server: string;
  connection: WhmConnection;
  /** The environment variables the token and the user came from, named when they are refused. */
  keyEnv?: string;
  userEnv?: string;
  /** Milliseconds: the clock a deletion's grace period is measured on. Date.now by default. */
  now?: () => number;
}

export class WhmProvider implements Provider {
  readonly server: string;
  readonly callTimeoutMs: number;
  private readonly client: WhmClient;
  private readonly wording: ErrorWording;
  private readonly now: () => number;

  constructor(options: WhmProviderOptions) {
    this.server = options.server;
    this.client = new WhmClient(options.connection);
    this.callTimeoutMs = this.client.timeoutMs;
    this.now = options.now ?? Date.now;
    this.wording = {
      server: options.server,
      keyEnv: options.keyEnv ?? null,
      userEnv: options.userEnv ?? null,
      redactor: new Redactor(normalizeToken(options.connection.token), { grouped: false }),
    };
  }

  async collect(request: CollectRequest): Promise<ObservedServer> {
    const fields = [...new Set(request.fields[ACCOUNT_KIND] ?? [])].sort();
    const read = readFields(fields);
    try {
      const [rows, packages, bandwidth] = await Promise.all([
        this.client.listaccts({ want: wantFor(read) }),
        this.client.listpkgs(),
        needsBandwidth(read) ? this.client.showbw() : Promise.resolve(null),
      ]);
      return {
        server: this.server,
        ok: true,
        resources: observedAccounts(this.server, rows, bandwidth, read),
        templates: { [ACCOUNT_KIND]: packages.map((p) => p.name) },
        fields: { [ACCOUNT_KIND]: fields },
      };
    } catch (err) {
      return { server: this.server, ok: false, error: failureText(err, "cannot read its accounts", this.wording) };
    }
  }

  async readResource(request: ResourceRead): Promise<ObservedResource | null> {
    const [found] = await this.readResources([request]);
    return found ?? null;
  }

  /**
   * One `listaccts` for every request (narrowed to the one domain when that is all that is
   * asked), plus `showbw` when bandwidth is read; accounts are matched by uid, else by domain.
   */
  async readResources(requests: readonly ResourceRead[]): Promise<Array<ObservedResource | null>> {
    if (requests.length === 0) return [];
    const fields = readFields(requests.flatMap((r) => r.fields));
    const only = requests.length === 1 ? requests[0] : undefined;
    const byName = only !== undefined && only.id === null ? only.name : null;
    const what = only === undefined ? `read back ${requests.length} accounts` : `read back ${only.id === null ? only.name : `uid ${only.id}`}`;
    try {
      const rowsPromise = this.client.listaccts({ want: wantFor(fields), ...(byName !== null && { search: byName, searchtype: "domain", searchmethod: "exact" }) });
      // Many accounts: the whole month's list at once. One: its own line, once its user is known.
      const bandwidthPromise = needsBandwidth(fields) && only === undefined ? this.client.showbw() : Promise.resolve(null);
      const [rows, bandwidth] = await Promise.all([rowsPromise, bandwidthPromise]);
      const found = requests.map((r) => findAccount(rows, r));
      let lines = bandwidth;
      const single = found[0];
      if (needsBandwidth(fields) && only !== undefined && single !== undefined && single !== null) lines = await this.client.showbw(single.user);
      const byUser = new Map((lines ?? []).map((b): [string, BandwidthRow] => [b.user, b]));
      return found.map((row, i) => (row === null ? null : observedAccount(this.server, row, byUser.get(row.user), requests[i]?.fields ?? [])));
    } catch (err) {
      throw toProviderError(err, what, this.wording);
    }
  }

  async execute(op: Op, options?: { signal?: AbortSignal }): Promise<ExecuteResult> {
    const what = `${op.action} ${opAccountLabel(op)}`;
    if (options?.signal?.aborted === true) throw this.refusal("transport", `${what}: not sent, the run was interrupted`);
    if (op.kind !== ACCOUNT_KIND) throw this.refusal("rejected", `${what}: a WHM server has no ${op.kind}`);
    try {
      const result = await executeOp({ client: this.client, now: this.now }, op);
      return result.note === undefined ? result : { ...result, note: this.wording.redactor.redact(result.note) };
    } catch (err) {
      throw toProviderError(err, what, this.wording);
    }
  }

  /** A package's limits and shell access, as an account on it without limits of its own has them. */
  async templateDefaults(kind: string, pkg: string): Promise<FieldValues<ObservedValue>> {
    if (kind !== ACCOUNT_KIND) throw this.refusal("rejected", `a WHM server has no ${kind}`);
    let found;
    try {
      found = (await this.client.listpkgs()).find((p) => p.name === pkg);
    } catch (err) {
      throw toProviderError(err, `read the limits of package ${pkg}`, this.wording);
    }
    if (found === undefined) throw this.refusal("rejected", `there is no package ${JSON.stringify(pkg)}`);
    const limits: Record<string, ObservedValue> = {};
    for (const spec of LIMITS) {
      const value = readLimit(spec, found.raw[spec.packageField]);
      if (value !== null) limits[spec.field.slice("limits.".length)] = value;
    }
    const shell = readPackageSwitch(found.raw.HASSHELL);
    return { limits, ...(shell !== null && { shell: { enabled: shell } }) };
  }

  /** Disk and bandwidth of every account (managed or not), or of `targets`, in bytes: one `listaccts` and one `showbw`. */
  async usage(targets?: readonly ResourceRef[]): Promise<readonly ResourceUsage[]> {
    try {
      return await accountUsage(this.client, targets);
    } catch (err) {
      throw toProviderError(err, "read disk and bandwidth usage", this.wording);
    }
  }

  /** A one-time login URL into the account's cPanel (`create_user_session`); the URL is a credential and enters no message. */
  async login(target: ResourceRef, options: { user: string | null; app: string | null }): Promise<LoginLink> {
    const what = `log in to ${label(target)}`;
    this.checkKind(target, what);
    try {
      return await loginLink(this.client, await locateAccount(this.client, target), options.user, options.app);
    } catch (err) {
      throw toProviderError(err, what, this.wording);
    }
  }

  /** Sets the account's cPanel password (`passwd`); WHM's refusal (a weak password) comes back in WHM's words, without the password. */
  async setPassword(target: ResourceRef, options: { user: string | null; password: string }): Promise<void> {
    const what = `set the password of ${label(target)}`;
    this.checkKind(target, what);
    try {
      const row = await locateAccount(this.client, target);
      await this.client.passwd(accountUser(row, options.user), options.password);
    } catch (err) {
      const mapped = toProviderError(err, what, this.wording);
      if (mapped instanceof ProviderError) throw new ProviderError(mapped.kind, withoutSecret(mapped.message, options.password), mapped.retryable);
      throw mapped;
    }
  }

  /** The service-info view: cPanel's address for the account, deep links into its apps, its IP, package and user. */
  async describe(target: ResourceRef): Promise<ResourceInfo> {
    const what = `describe ${label(target)}`;
    this.checkKind(target, what);
    try {
      return accountInfo(await locateAccount(this.client, target), this.client.endpoint);
    } catch (err) {
      throw toProviderError(err, what, this.wording);
    }
  }

  /** The server's cPanel version: a check of the URL, the user and the token that changes nothing. */
  async version(): Promise<string> {
    try {
      return await this.client.version();
    } catch (err) {
      throw toProviderError(err, "check the connection", this.wording);
    }
  }

  close(): void {
    this.client.close();
  }

  private checkKind(target: ResourceRef, what: string): void {
    if (target.kind !== ACCOUNT_KIND) throw this.refusal("rejected", `${what}: a WHM server has no ${target.kind}`);
  }

  /** A failure the provider decides itself, not retryable; scrubbed like every other message, since it may quote what the caller passed. */
  private refusal(kind: "transport" | "rejected", text: string): ProviderError {
    return new ProviderError(kind, this.wording.redactor.redact(`${this.server}: ${text}`), false);
  }
}

function label(target: ResourceRef): string {
  return target.id === "" ? target.name : `${target.name} (uid ${target.id})`;
}

/** `text` without `secret` anywhere in it (as given or as a query string encodes it), nor any 12-character run of a long one. */
function withoutSecret(text: string, secret: string): string {
  if (secret === "") return text;
  let whole = text;
  for (const form of new Set([secret, encodeURIComponent(secret)])) whole = whole.split(form).join("[REDACTED]");
  return secret.length >= 12 ? new Redactor(secret, { grouped: false }).redact(whole) : whole;
}

/** The requested account among the rows: by uid, else the one whose primary domain is the name. */
function findAccount(rows: readonly AccountRow[], request: ResourceRead): AccountRow | null {
  if (request.id !== null) return rows.find((r) => r.uid === request.id) ?? null;
  const name = request.name.toLowerCase();
  return rows.find((r) => r.domain.toLowerCase() === name) ?? null;
}
