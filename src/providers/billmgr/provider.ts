/**
 * BillmgrProvider: the Provider interface over one BILLmanager account. It owns the client for
 * that account and joins the parts: observe.ts reads service rows, execute.ts carries out ops,
 * provider-error.ts words failures. A read costs one list per item type of the kinds asked
 * (`vhost`, `vds`, `dedic` for services, `softexternal` for licences), plus one edit form per
 * service only when a field asked for is not in the list (the tariff and datacenter ids, the
 * add-ons, the OS template). Of the everyday actions it offers the service-info view
 * (describe.ts); BILLmanager has no client call for the others. It never logs, never retries a mutation, and holds the password
 * only inside the client, whose Secrets scrub every message it hands out.
 */
import type { Op } from "../../model/op.js";
import type { FieldValues, ObservedResource, ObservedServer, ObservedValue } from "../../model/resource.js";
import {
  ProviderError,
  type CollectRequest,
  type ExecuteOptions,
  type ExecuteResult,
  type Provider,
  type ResourceInfo,
  type ResourceRead,
  type ResourceRef,
} from "../provider.js";
import { BillmgrClient } from "./client.js";
import { serviceInfo } from "./describe.js";
import { executeOp, findRow, type ExecuteContext } from "./execute.js";
import { quoteOp } from "./quote.js";
import type { ItemType } from "./functions.js";
import { KINDS } from "./kinds.js";
import { byId, itemtypesOf, kindOf, needsForm, observedService, readFields } from "./observe.js";
import { opLabel } from "./op-calls.js";
import { failureText, toProviderError, type ErrorWording } from "./provider-error.js";
import type { EditForm, ServiceRow } from "./results.js";
import { normalizeUser } from "./session.js";
import type { BillmgrConnection } from "./transport.js";

export interface BillmgrProviderOptions {
  /** The server's name in siteform.yaml, used in every message. */
  server: string;
  connection: BillmgrConnection;
  /** The environment variables the password and the user came from, named when they are refused. */
  keyEnv?: string;
  userEnv?: string;
  /** Milliseconds: the clock a deletion's grace period is measured on. Date.now by default. */
  now?: () => number;
}

/** Edit forms read at once: enough to be quick, few enough not to crowd a panel. */
const FORM_CONCURRENCY = 4;

const KIND_IDS: readonly string[] = KINDS.map((k) => k.id);

export class BillmgrProvider implements Provider {
  readonly server: string;
  readonly callTimeoutMs: number;
  private readonly client: BillmgrClient;
  private readonly wording: ErrorWording;
  private readonly now: () => number;
  private readonly apiUser: string;
  /** Item types of the services seen, by id: a read back or an op lists one item type instead of all. */
  private readonly known = new Map<string, ItemType>();

  constructor(options: BillmgrProviderOptions) {
    this.server = options.server;
    this.client = new BillmgrClient(options.connection);
    this.callTimeoutMs = this.client.timeoutMs;
    this.now = options.now ?? Date.now;
    this.apiUser = normalizeUser(options.connection.user);
    const client = this.client;
    this.wording = { server: options.server, keyEnv: options.keyEnv ?? null, userEnv: options.userEnv ?? null, redact: (text) => client.redact(text) };
  }

  async collect(request: CollectRequest): Promise<ObservedServer> {
    const asked = KIND_IDS.filter((k) => request.fields[k] !== undefined);
    const kinds = asked.length === 0 ? KIND_IDS : asked;
    const fields = Object.fromEntries(kinds.map((k) => [k, readFields(k, request.fields[k] ?? [])]));
    try {
      const rows = await this.list(kinds.flatMap((k) => itemtypesOf(k)));
      const sorted = [...rows].sort(byId);
      const forms = await this.forms(sorted.map((row) => ({ row, fields: fields[kindOf(row.itemtype)] ?? [] })));
      return {
        server: this.server,
        ok: true,
        resources: sorted.map((row, i) => observedService(this.server, row, forms[i] ?? null, fields[kindOf(row.itemtype)] ?? [])),
        templates: Object.fromEntries(kinds.map((k) => [k, []])),
        fields,
      };
    } catch (err) {
      return { server: this.server, ok: false, error: failureText(err, "cannot read its services and licences", this.wording) };
    }
  }

  async readResource(request: ResourceRead): Promise<ObservedResource | null> {
    const [found] = await this.readResources([request]);
    return found ?? null;
  }

  /**
   * One list per item type the requests may be in (only the one an earlier read saw a service
   * in, when that is known), then an edit form for those whose asked fields need one; a service
   * is matched by id, else by the remoteid it was ordered with.
   */
  async readResources(requests: readonly ResourceRead[]): Promise<Array<ObservedResource | null>> {
    if (requests.length === 0) return [];
    const only = requests.length === 1 ? requests[0] : undefined;
    const what = only === undefined ? `read back ${requests.length} services` : `read back ${only.id === null ? only.name : `service ${only.id}`}`;
    try {
      const itemtypes = new Set<ItemType>();
      for (const r of requests) {
        const seen = r.id === null ? undefined : this.known.get(r.id);
        const all = itemtypesOf(r.kind);
        if (all.length === 0) throw new ProviderError("rejected", `${this.server}: a BILLmanager has no ${r.kind}`, false);
        for (const t of seen !== undefined && all.includes(seen) ? [seen] : all) itemtypes.add(t);
      }
      const rows = await this.list([...itemtypes]);
      const found = requests.map((r) => {
        const kinds = itemtypesOf(r.kind);
        return findRow(rows.filter((row) => kinds.includes(row.itemtype)), r.id, r.name) ?? null;
      });
      const forms = await this.forms(found.map((row, i) => (row === null ? null : { row, fields: readFields(requests[i]!.kind, requests[i]!.fields) })));
      return found.map((row, i) => (row === null ? null : observedService(this.server, row, forms[i] ?? null, requests[i]!.fields)));
    } catch (err) {
      throw toProviderError(err, what, this.wording);
    }
  }

  async execute(op: Op, options?: ExecuteOptions): Promise<ExecuteResult> {
    const what = `${op.action} ${opLabel(op)}`;
    if (options?.signal?.aborted === true) throw this.refusal("transport", `${what}: not sent, the run was interrupted`);
    try {
      // An order's set-up is waited for at most one call's timeout, and never past an interrupt.
      const context: ExecuteContext = { client: this.client, apiUser: this.apiUser, now: this.now, known: this.known, settleWaitMs: this.callTimeoutMs };
      if (options?.signal !== undefined) context.signal = options.signal;
      const progress = options?.progress;
      if (progress !== undefined) context.progress = (message) => progress(this.wording.redact(message));
      const result = await executeOp(context, op);
      return result.note === undefined ? result : { ...result, note: this.wording.redact(result.note) };
    } catch (err) {
      throw toProviderError(err, what, this.wording);
    }
  }

  async quote(op: Op): Promise<readonly string[]> {
    try {
      const lines = await quoteOp({ client: this.client, apiUser: this.apiUser, now: this.now, known: this.known }, op);
      return lines.map((line) => this.wording.redact(line));
    } catch (err) {
      throw toProviderError(err, `price preview of ${op.action} ${opLabel(op)}`, this.wording);
    }
  }

  /**
   * The service-info view: the tariff, expiry, auto-renewal, status, domain or licence name, IP
   * and datacenter the service list shows, and BILLmanager's client area as the panel. One list
   * of the service's item type.
   */
  async describe(target: ResourceRef): Promise<ResourceInfo> {
    const what = `describe ${target.name}${target.id === "" ? "" : ` (service ${target.id})`}`;
    if (itemtypesOf(target.kind).length === 0) throw this.refusal("rejected", `${what}: a BILLmanager has no ${target.kind}`);
    try {
      const info = await serviceInfo({ client: this.client, known: this.known }, target);
      return { ...info, facts: info.facts.map((f) => ({ label: f.label, value: this.wording.redact(f.value) })) };
    } catch (err) {
      throw toProviderError(err, what, this.wording);
    }
  }

  templateDefaults(kind: string, template: string): Promise<FieldValues<ObservedValue>> {
    return Promise.reject(this.refusal("rejected", `BILLmanager kinds have no templates (asked for ${kind} template ${JSON.stringify(template)})`));
  }

  close(): void {
    this.client.close();
  }

  /** Every row of these item types, one list each, remembering which item type each id is. */
  private async list(itemtypes: readonly ItemType[]): Promise<ServiceRow[]> {
    const lists = await Promise.all(itemtypes.map((t) => this.client.services(t)));
    const rows = lists.flat();
    for (const row of rows) this.known.set(row.id, row.itemtype);
    return rows;
  }

  /** The edit form of each row whose asked fields need one (null otherwise), a few at a time. */
  private async forms(items: ReadonlyArray<{ row: ServiceRow; fields: readonly string[] } | null>): Promise<Array<EditForm | null>> {
    const out: Array<EditForm | null> = items.map(() => null);
    const todo = items.flatMap((item, i) => (item !== null && needsForm(item.row, item.fields) ? [{ row: item.row, i }] : []));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < todo.length) {
        const job = todo[next++]!;
        out[job.i] = await this.client.editForm(job.row.itemtype, job.row.id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(FORM_CONCURRENCY, todo.length) }, worker));
    return out;
  }

  /** A failure the provider decides itself, not retryable; scrubbed like every other message, since it may quote what the caller passed. */
  private refusal(kind: "transport" | "rejected", text: string): ProviderError {
    return new ProviderError(kind, this.wording.redact(`${this.server}: ${text}`), false);
  }
}
