/**
 * WhmProvider: the Provider interface over one WHM server. It owns the client for that server
 * and joins the parts: observe.ts reads account rows, execute.ts carries out ops,
 * provider-error.ts words failures. Reads cost one `listaccts` per server however many
 * accounts are asked for, plus `showbw` only when bandwidth is read and `listpkgs` for the
 * packages. It never logs, never retries a mutation, and holds the token only inside the
 * client and the redactor that scrubs every message it hands out.
 */
import type { Op } from "../../model/op.js";
import type { FieldValues, ObservedResource, ObservedServer, ObservedValue } from "../../model/resource.js";
import { ProviderError, type CollectRequest, type ExecuteResult, type Provider, type ResourceRead } from "../provider.js";
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

  /** A failure the provider decides itself, not retryable; scrubbed like every other message, since it may quote what the caller passed. */
  private refusal(kind: "transport" | "rejected", text: string): ProviderError {
    return new ProviderError(kind, this.wording.redactor.redact(`${this.server}: ${text}`), false);
  }
}

/** The requested account among the rows: by uid, else the one whose primary domain is the name. */
function findAccount(rows: readonly AccountRow[], request: ResourceRead): AccountRow | null {
  if (request.id !== null) return rows.find((r) => r.uid === request.id) ?? null;
  const name = request.name.toLowerCase();
  return rows.find((r) => r.domain.toLowerCase() === name) ?? null;
}
