/**
 * ApiscpProvider: the Provider interface over one ApisCP server. It owns the client for that
 * server and joins the parts: observe.ts reads collect rows, execute.ts carries out ops,
 * provider-error.ts words failures. It never logs, never retries a mutation, and holds the key
 * only inside the client and the redactor that scrubs every message it hands out.
 */
import type { Op } from "../../model/op.js";
import type { FieldValues, ObservedResource, ObservedServer, ObservedValue } from "../../model/resource.js";
import { ProviderError, type CollectRequest, type ExecuteResult, type LoginLink, type Provider, type ResourceInfo, type ResourceRead, type ResourceRef, type ResourceUsage } from "../provider.js";
import { describeSite, setSitePassword, siteLogin, siteUsage, type ActionContext } from "./actions.js";
import { ApiscpClient } from "./client.js";
import { Redactor } from "./errors.js";
import { executeOp } from "./execute.js";
import { byIdOrder, collectParams, observedSite, observedSites, requestedFields } from "./observe.js";
import { SITE_KIND } from "./kinds.js";
import type { CollectedSite } from "./results.js";
import { opSiteLabel } from "./op-calls.js";
import { failureText, isNoSuchSite, toProviderError, type ErrorWording } from "./provider-error.js";
import { normalizeApiKey, type ApiscpConnection } from "./transport.js";

export interface ApiscpProviderOptions {
  /** The server's name in siteform.yaml, used in every message. */
  server: string;
  connection: ApiscpConnection;
  /** The environment variable the key came from, named when the key is refused. */
  keyEnv?: string;
}

/**
 * The `params` of a read of single sites: exactly the fields asked for. admin_collect reads an
 * empty list as its default set of five fields, so a read that needs none (the domain and the
 * state come with every row) asks for the domain alone.
 */
function readParams(fields: readonly string[]): string[] {
  return fields.length === 0 ? ["siteinfo.domain"] : [...fields];
}

export class ApiscpProvider implements Provider {
  readonly server: string;
  readonly callTimeoutMs: number;
  private readonly client: ApiscpClient;
  private readonly wording: ErrorWording;

  constructor(options: ApiscpProviderOptions) {
    this.server = options.server;
    this.client = new ApiscpClient(options.connection);
    this.callTimeoutMs = this.client.timeoutMs;
    this.wording = {
      server: options.server,
      keyEnv: options.keyEnv ?? null,
      redactor: new Redactor(normalizeApiKey(options.connection.key)),
    };
  }

  async collect(request: CollectRequest): Promise<ObservedServer> {
    const fields = requestedFields(request.fields[SITE_KIND] ?? []);
    try {
      const params = collectParams(fields);
      const [rows, plans] = await Promise.all([this.client.collect(params, null, null), this.client.listPlans()]);
      return { server: this.server, ok: true, resources: observedSites(this.server, rows, params), templates: { [SITE_KIND]: plans }, fields: { [SITE_KIND]: fields } };
    } catch (err) {
      return { server: this.server, ok: false, error: failureText(err, "cannot read its sites", this.wording) };
    }
  }

  async readResources(requests: readonly ResourceRead[]): Promise<Array<ObservedResource | null>> {
    if (requests.length <= 1) return Promise.all(requests.map((r) => this.readResource(r)));
    const fields = requestedFields([...new Set(requests.flatMap((r) => r.fields))].sort());
    let rows;
    try {
      rows = await this.client.collect(readParams(fields), null, requests.map((r) => r.id ?? r.name));
    } catch (err) {
      // One site of the list that is not there faults the whole call: ask for each on its own.
      if (isNoSuchSite(err)) return Promise.all(requests.map((r) => this.readResource(r)));
      throw toProviderError(err, `read back ${requests.length} sites`, this.wording);
    }
    const answered = rows;
    return requests.map((request) => this.siteIn(answered, request, fields));
  }

  async readResource(request: ResourceRead): Promise<ObservedResource | null> {
    const spec = request.id ?? request.name;
    const fields = requestedFields(request.fields);
    let rows;
    try {
      rows = await this.client.collect(readParams(fields), null, [spec]);
    } catch (err) {
      // Naming a site that is not there is a fault, not an empty answer.
      if (isNoSuchSite(err)) return null;
      throw toProviderError(err, `read back ${spec}`, this.wording);
    }
    return this.siteIn(rows, request, fields);
  }

  /**
   * The requested site among collect's rows: by id, else the site that holds the domain. By
   * domain the server also matches aliases and invoices, which do not count.
   */
  private siteIn(rows: Readonly<Record<string, CollectedSite>>, request: ResourceRead, fields: readonly string[]): ObservedResource | null {
    const wanted = request.name.toLowerCase();
    const id =
      request.id ??
      Object.keys(rows)
        .sort(byIdOrder)
        .find((key) => rows[key]?.domain.toLowerCase() === wanted);
    const row = id === undefined || !Object.hasOwn(rows, id) ? undefined : rows[id];
    return id === undefined || row === undefined ? null : observedSite(this.server, id, row, fields);
  }

  async execute(op: Op, options?: { signal?: AbortSignal }): Promise<ExecuteResult> {
    const what = `${op.action} ${opSiteLabel(op)}`;
    if (options?.signal?.aborted === true) {
      throw new ProviderError("transport", `${this.server}: ${what}: not sent, the run was interrupted`, false);
    }
    try {
      const result = await executeOp(this.client, op);
      return result.note === undefined ? result : { ...result, note: this.wording.redactor.redact(result.note) };
    } catch (err) {
      throw toProviderError(err, what, this.wording);
    }
  }

  async templateDefaults(_kind: string, plan: string): Promise<FieldValues<ObservedValue>> {
    try {
      return await this.client.getPlan(plan);
    } catch (err) {
      throw toProviderError(err, `read the defaults of plan ${plan}`, this.wording);
    }
  }

  // The everyday actions outside git (actions.ts).
  usage(targets?: readonly ResourceRef[]): Promise<readonly ResourceUsage[]> {
    return siteUsage(this.actions, targets);
  }

  login(target: ResourceRef, options: { user: string | null; app: string | null }): Promise<LoginLink> {
    return siteLogin(this.actions, target, options);
  }

  setPassword(target: ResourceRef, options: { user: string | null; password: string }): Promise<void> {
    return setSitePassword(this.actions, target, options);
  }

  describe(target: ResourceRef): Promise<ResourceInfo> {
    return describeSite(this.actions, target);
  }

  private get actions(): ActionContext {
    return { client: this.client, wording: this.wording };
  }

  close(): void {
    this.client.close();
  }
}
