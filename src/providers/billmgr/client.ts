/**
 * The typed BILLmanager client: one method per operation siteform performs on services
 * (`vhost`, `vds`, `dedic`) and licences (`softexternal`), each sending its parameters as
 * BILLmanager documents them and reading the answer defensively. Every failure becomes one of
 * the typed errors in errors.ts; the function table decides what a lost answer means (a read
 * can be asked again; an order or a renewal has an unknown outcome and is read back by its
 * `remoteid`, never placed again). It never logs, and the password and session id reach no
 * message.
 */
import { requireDone } from "./answer.js";
import { docId, type Node } from "./envelope.js";
import { BillmgrProtocolError, BillmgrUnknownOutcomeError, Secrets, type ErrorContext } from "./errors.js";
import { LICENSE_ITEMTYPE, OPERATIONS, functionName, type ItemType, type Operation, type ServiceItemType } from "./functions.js";
import {
  ResultShapeError,
  readEditForm,
  readHistory,
  readOrderPreview,
  readProlongPreview,
  readCount,
  readProlongResult,
  readServices,
  type EditForm,
  type HistoryRow,
  type OrderPreview,
  type ProlongPreview,
  type ServiceRow,
} from "./results.js";
import { BillmgrSession, checkPassword, normalizeUser } from "./session.js";
import { BillmgrTransport, type BillmgrConnection, type Form } from "./transport.js";

/** Add-on values by add-on id (`addon_<id>` on the wire). */
export type Addons = Readonly<Record<string, string | number>>;

/** Auto-renewal in months; null switches it off. */
export type Autoprolong = number | null;

export interface ServiceOrder {
  itemtype: ServiceItemType;
  pricelist: string | number;
  /** Months. */
  period: number;
  datacenter?: string | number;
  /** BILLmanager makes one up when absent. */
  domain?: string;
  autoprolong?: Autoprolong;
  ostempl?: string;
  recipe?: string;
  addons?: Addons;
  /** The resource's stable key: how a lost answer is resolved by reading back. */
  remoteid: string;
}

export interface LicenseOrder {
  pricelist: string | number;
  /** Months. */
  period: number;
  ip: string;
  licname?: string;
  autoprolong?: Autoprolong;
  remoteid: string;
}

export interface ServiceChanges {
  autoprolong?: Autoprolong;
  addons?: Addons;
  /** Licences only. */
  licname?: string;
  /** Licences only. */
  ip?: string;
  /** Tags an existing service with siteform's key (adopting it), as resellers do on a reused licence. */
  remoteid?: string;
}

/** The fields of `<itemtype>.filter` siteform uses. */
export const FILTER_FIELDS = ["id", "ip", "domain", "licname", "pricelist", "datacenter", "status", "autoprolong"] as const;
export type ServiceFilter = Partial<Record<(typeof FILTER_FIELDS)[number], string | number>>;

/** Rows per list page; BILLmanager's own default may be smaller. */
const PAGE_SIZE = 1000;
/** A bound on the pages of one list: 1,000,000 services is far beyond any reseller. */
const MAX_PAGES = 1000;

export class BillmgrClient {
  private readonly transport: BillmgrTransport;
  private readonly session: BillmgrSession;
  private readonly secrets: Secrets;

  constructor(connection: BillmgrConnection) {
    const password = checkPassword(connection.password);
    const user = normalizeUser(connection.user);
    this.secrets = new Secrets(password);
    this.transport = new BillmgrTransport(connection);
    this.session = new BillmgrSession(this.transport, { user, password }, this.secrets);
  }

  /** The endpoint calls go to, without query string or credentials. */
  get endpoint(): string {
    return this.transport.endpoint;
  }

  /** The time limit of one call (connect, send and the whole answer), as configured. */
  get timeoutMs(): number {
    return this.transport.timeoutMs;
  }

  /** Redacts this client's password and session ids from text, for the provider's messages. */
  redact(text: string): string {
    return this.secrets.redact(text);
  }

  /** Closes pooled connections. Calls still in flight fail; later calls throw. */
  close(): void {
    this.transport.close();
  }

  /**
   * The services (or licences) of an item type, as far as the filter in force lets through.
   * Read page by page (`p_cnt`, `p_num`) until BILLmanager's count (`p_elems`) is reached: a
   * list cut short by a default page size would hide services, and a hidden service is one
   * the plan would order again.
   */
  async services(itemtype: ItemType): Promise<ServiceRow[]> {
    const byId = new Map<string, ServiceRow>();
    for (let page = 1; ; page++) {
      const { rows, total } = await this.read("list", itemtype, { p_cnt: PAGE_SIZE, p_num: page }, (doc) => ({
        rows: readServices(doc, itemtype),
        total: readCount(doc),
      }));
      for (const row of rows) byId.set(row.id, row);
      // Without a count, a page shorter than asked for is the last one.
      if (total === null ? rows.length < PAGE_SIZE : byId.size >= total) return [...byId.values()];
      if (rows.length === 0 || page >= MAX_PAGES) {
        throw new BillmgrProtocolError(
          this.context("list", itemtype),
          `the list stopped at ${byId.size}${total === null ? "" : ` of the ${total}`} services BILLmanager counts (page ${page}); it may be changing, read it again`,
        );
      }
    }
  }

  /**
   * Sets the list filter of an item type. BILLmanager keeps it for the session and applies it to
   * every later list until cleared; every field is sent, empty when not given, so none of an
   * earlier filter lingers.
   */
  async setFilter(itemtype: ItemType, filter: ServiceFilter): Promise<void> {
    const form: Record<string, string> = {};
    for (const name of FILTER_FIELDS) form[name] = filter[name] === undefined ? "" : String(filter[name]);
    form.sok = "ok";
    await this.call("filter", itemtype, form);
    this.session.remember(functionName("filter", itemtype), form);
  }

  /** Clears the list filter of an item type: an empty filter. */
  async clearFilter(itemtype: ItemType): Promise<void> {
    const form: Record<string, string> = {};
    for (const name of FILTER_FIELDS) form[name] = "";
    form.sok = "ok";
    await this.call("filter", itemtype, form);
    this.session.remember(functionName("filter", itemtype), null);
  }

  /** Orders a service, charged to the balance at once; the new service's id. */
  async orderService(order: ServiceOrder): Promise<string> {
    return this.order("orderService", order.itemtype, { ...serviceOrderForm(order), skipbasket: "on", sok: "ok" });
  }

  /** Orders a third-party licence bound to an IP, charged to the balance at once; its id. */
  async orderLicense(order: LicenseOrder): Promise<string> {
    return this.order("orderLicense", LICENSE_ITEMTYPE, { ...licenseOrderForm(order), skipbasket: "on", clicked_button: "finish", sok: "ok" });
  }

  /**
   * What an order would cost, from the order form BILLmanager answers without `sok`: the same
   * parameters as the order, nothing charged, nothing created.
   */
  async orderPreview(order: { service: ServiceOrder } | { license: LicenseOrder }): Promise<OrderPreview> {
    if ("service" in order) {
      const form = serviceOrderForm(order.service);
      return this.read("orderServicePreview", order.service.itemtype, form, (doc) => readOrderPreview(doc, String(order.service.pricelist)));
    }
    const form = licenseOrderForm(order.license);
    return this.read("orderLicensePreview", LICENSE_ITEMTYPE, form, (doc) => readOrderPreview(doc, String(order.license.pricelist)));
  }

  /** The service's current values as its edit form shows them (add-ons, auto-renewal, …). */
  async editForm(itemtype: ItemType, id: string): Promise<EditForm> {
    return this.read("editForm", itemtype, { elid: id }, (doc) => readEditForm(doc, `${itemtype} ${id}`));
  }

  /**
   * Changes auto-renewal, add-ons, or a licence's name and IP. A raised paid add-on is charged
   * at once (`skipbasket=on`) rather than left in the cart.
   */
  async edit(itemtype: ItemType, id: string, changes: ServiceChanges): Promise<void> {
    const form: Form = {
      elid: id,
      autoprolong: autoprolong(changes.autoprolong),
      ...addonFields(changes.addons),
      licname: changes.licname,
      ip: changes.ip,
      remoteid: changes.remoteid,
      skipbasket: "on",
      sok: "ok",
    };
    await this.act("edit", itemtype, form);
  }

  async suspend(itemtype: ItemType, ids: string | readonly string[]): Promise<void> {
    await this.act("suspend", itemtype, { elid: elid(ids) });
  }

  async resume(itemtype: ItemType, ids: string | readonly string[]): Promise<void> {
    await this.act("resume", itemtype, { elid: elid(ids) });
  }

  async delete(itemtype: ItemType, ids: string | readonly string[]): Promise<void> {
    await this.act("delete", itemtype, { elid: elid(ids), sok: "ok" });
  }

  /** What renewing for `period` months would do: the old and new expiry and the price. Nothing is charged. */
  async prolongPreview(id: string, period: number): Promise<ProlongPreview> {
    return this.read("prolongPreview", LICENSE_ITEMTYPE, { elid: id, period }, (doc) => readProlongPreview(doc, `service ${id}`));
  }

  /** Renews for `period` months, charged to the balance; the new expiry when BILLmanager says it. */
  async prolong(id: string, period: number): Promise<{ newexpiredate: string | null }> {
    const doc = await this.act("prolong", LICENSE_ITEMTYPE, { elid: id, period, skipbasket: "on", sok: "ok" }, ["newexpiredate"]);
    return readProlongResult(doc);
  }

  /** The service's history: who did what, when. */
  async history(id: string): Promise<HistoryRow[]> {
    return this.read("history", LICENSE_ITEMTYPE, { elid: id }, (doc) => readHistory(doc, `service ${id}`));
  }

  private context(operation: Operation, itemtype: ItemType): ErrorContext {
    return { fn: functionName(operation, itemtype), endpoint: this.transport.endpoint };
  }

  private call(operation: Operation, itemtype: ItemType, form: Form): Promise<Node> {
    return this.session.call(functionName(operation, itemtype), form, OPERATIONS[operation]);
  }

  private async read<T>(operation: Operation, itemtype: ItemType, form: Form, shape: (doc: Node) => T): Promise<T> {
    const doc = await this.call(operation, itemtype, form);
    try {
      return shape(doc);
    } catch (err) {
      if (err instanceof ResultShapeError) throw new BillmgrProtocolError(this.context(operation, itemtype), this.secrets.redact(err.message));
      throw err;
    }
  }

  /** A mutation, which must be confirmed by `doc.ok`, a new id, or one of `results`. */
  private async act(operation: Operation, itemtype: ItemType, form: Form, results: readonly string[] = []): Promise<Node> {
    const doc = await this.call(operation, itemtype, form);
    requireDone(this.context(operation, itemtype), doc, results);
    return doc;
  }

  private async order(operation: "orderService" | "orderLicense", itemtype: ItemType, form: Form): Promise<string> {
    const doc = await this.act(operation, itemtype, form);
    const id = docId(doc);
    // Confirmed but without the id: the order exists somewhere, and only reading back by remoteid finds it.
    if (id === undefined) throw new BillmgrUnknownOutcomeError(this.context(operation, itemtype), "the server confirmed the order without the new service's id (doc.id)");
    if (!/^\d+$/.test(id)) throw new BillmgrUnknownOutcomeError(this.context(operation, itemtype), `the server answered the order with the id ${JSON.stringify(this.secrets.redact(id))}, not a number`);
    return id;
  }
}

function serviceOrderForm(order: ServiceOrder): Form {
  return {
    pricelist: order.pricelist,
    datacenter: order.datacenter,
    order_period: order.period,
    domain: order.domain,
    autoprolong: autoprolong(order.autoprolong),
    ostempl: order.ostempl,
    recipe: order.recipe,
    ...addonFields(order.addons),
    remoteid: order.remoteid,
  };
}

function licenseOrderForm(order: LicenseOrder): Form {
  return {
    pricelist: order.pricelist,
    period: order.period,
    ip: order.ip,
    licname: order.licname,
    autoprolong: autoprolong(order.autoprolong),
    remoteid: order.remoteid,
  };
}

function autoprolong(value: Autoprolong | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return "null";
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`autoprolong must be a whole number of months (1 or more) or null, not ${value}`);
  return String(value);
}

function addonFields(addons: Addons | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, value] of Object.entries(addons ?? {})) {
    if (!/^\d+$/.test(id)) throw new TypeError(`add-on ids are numbers (addon_<id>), not ${JSON.stringify(id)}`);
    out[`addon_${id}`] = String(value);
  }
  return out;
}

/** One id, or several joined as BILLmanager's bulk actions take them: `1, 2`. */
function elid(ids: string | readonly string[]): string {
  const list = typeof ids === "string" ? [ids] : [...ids];
  if (list.length === 0) throw new TypeError("no service id given");
  for (const id of list) if (!/^\d+$/.test(id)) throw new TypeError(`service ids are numbers, not ${JSON.stringify(id)}`);
  return list.join(", ");
}
