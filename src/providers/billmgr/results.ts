/**
 * The documents of the BILLmanager functions siteform reads, checked just enough to be used
 * safely: the service list of an item type (`doc.elem`, one row possibly written as a bare
 * object), the edit form's current values, the renewal preview and result, and a service's
 * history. Every cell is read as text with `$`; fields beyond those siteform relies on are kept
 * in `raw`. A shape that does not fit is a ResultShapeError, which the client turns into a
 * protocol error.
 */
import { attr, field, isNode, rows, text, type Node } from "./envelope.js";
import type { ItemType } from "./functions.js";

export class ResultShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ResultShapeError";
  }
}

/** 1 ordered, 2 active, 3 suspended, 4 deleted, 5 processing. */
export type ItemStatus = 1 | 2 | 3 | 4 | 5;

export const ITEM_STATUS = { ordered: 1, active: 2, suspended: 3, deleted: 4, processing: 5 } as const;

/** One service (or licence) as the list of its item type shows it. */
export interface ServiceRow {
  id: string;
  itemtype: ItemType;
  domain: string | null;
  ip: string | null;
  username: string | null;
  /** The licence name (`softexternal`). */
  licname: string | null;
  /** The tariff, as the list writes it (an id or a name). */
  pricelist: string | null;
  datacenter: string | null;
  createdate: string | null;
  /** `YYYY-MM-DD`, as BILLmanager writes it. */
  expiredate: string | null;
  /** Auto-renewal period in months; null when off. */
  autoprolong: number | null;
  itemStatus: ItemStatus;
  /** The sub-state after the status, e.g. `open` in `5_open`, when BILLmanager gives one. */
  itemSubstatus: string | null;
  statusMsg: string | null;
  cost: string | null;
  /**
   * The reseller's id given at order time. Not a documented list column: present only when the
   * installation shows it, so a missing one is null, not an error.
   */
  remoteid: string | null;
  /** Add-on values by add-on id, from `addon_<id>` cells when the list carries them. */
  addons: Readonly<Record<string, string>>;
  /** Every cell as text. */
  raw: Readonly<Record<string, string>>;
}

/** `<itemtype>.edit` without `sok`: the service's current values. */
export interface EditForm {
  /** Every top-level field with a text value, by name. */
  fields: Readonly<Record<string, string>>;
  /** Add-on values by add-on id (`addon_<id>`). */
  addons: Readonly<Record<string, string>>;
  autoprolong: number | null;
}

/** `service.prolong` without `sok`: what a renewal would do, nothing charged. */
export interface ProlongPreview {
  expiredate: string;
  newexpiredate: string;
  /** The price of the renewal as BILLmanager writes it, when it says. */
  price: string | null;
  /** The account's balance before it, when BILLmanager says. */
  balance: string | null;
}

/** An order form without `sok`: what the order would cost, nothing charged. */
export interface OrderPreview {
  /** The tariff as the form's `pricelist` select names it (`VPS S (10.00/month)`), when it does. */
  tariff: string | null;
  /** The price of the order for its period, when BILLmanager says. */
  cost: string | null;
  /** The account's balance, when BILLmanager says. */
  balance: string | null;
}

export interface HistoryRow {
  date: string;
  user: string;
  action: string;
  raw: Readonly<Record<string, string>>;
}

/** Every child of a node that has text, as text. */
function cells(node: Node): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(node)) {
    if (name.startsWith("$")) continue;
    const cell = text(value);
    if (cell !== undefined) out[name] = cell;
  }
  return out;
}

function optional(value: string | undefined): string | null {
  return value === undefined || value.trim() === "" ? null : value.trim();
}

function addonsOf(values: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const match = /^addon_(\d+)$/.exec(name);
    if (match?.[1] !== undefined) out[match[1]] = value;
  }
  return out;
}

const AUTOPROLONG_OFF = /^(|null|off|no|none|-|0)$/i;

/** Auto-renewal as months: `1`, `12`, `3 months`; off as empty, `null`, `off`, `0`. */
export function readAutoprolong(value: string | undefined, what: string): number | null {
  const cell = (value ?? "").trim();
  if (AUTOPROLONG_OFF.test(cell)) return null;
  const months = /^(\d+)\b/.exec(cell);
  if (months?.[1] !== undefined) return Number(months[1]) === 0 ? null : Number(months[1]);
  throw new ResultShapeError(`${what} has the autoprolong ${JSON.stringify(cell)}, not a number of months`);
}

function readStatus(value: string | undefined, what: string): { status: ItemStatus; sub: string | null } {
  const match = /^([1-5])(?:_(\w+))?$/.exec((value ?? "").trim());
  if (match?.[1] === undefined) throw new ResultShapeError(`${what} has the item_status ${JSON.stringify(value ?? null)}, not 1 to 5`);
  return { status: Number(match[1]) as ItemStatus, sub: match[2] ?? null };
}

/** The elements of a list document; an empty list has none. */
function elems(doc: Node, what: string): Node[] {
  return rows(doc.elem).map((item, index) => {
    if (!isNode(item)) throw new ResultShapeError(`${what} row ${index} is ${describe(item)}, not an element`);
    return item;
  });
}

export function readServices(doc: Node, itemtype: ItemType): ServiceRow[] {
  return elems(doc, `the ${itemtype} list`).map((elem, index) => {
    const raw = cells(elem);
    const what = `${itemtype} row ${index}`;
    const id = optional(raw.id);
    if (id === null || !/^\d+$/.test(id)) throw new ResultShapeError(`${what} has the id ${JSON.stringify(raw.id ?? null)}, not a number`);
    const { status, sub } = readStatus(raw.item_status, `${itemtype} ${id}`);
    return {
      id,
      itemtype,
      domain: optional(raw.domain),
      ip: optional(raw.ip),
      username: optional(raw.username),
      licname: optional(raw.licname),
      pricelist: optional(raw.pricelist),
      datacenter: optional(raw.datacentername ?? raw.datacenter),
      createdate: optional(raw.createdate),
      expiredate: optional(raw.expiredate),
      autoprolong: readAutoprolong(raw.autoprolong, `${itemtype} ${id}`),
      itemStatus: status,
      itemSubstatus: sub,
      statusMsg: optional(raw.status_msg),
      cost: optional(raw.cost),
      remoteid: optional(raw.remoteid),
      addons: addonsOf(raw),
      raw,
    };
  });
}

/** `doc.p_elems`: how many rows the whole list has, when BILLmanager says. */
export function readCount(doc: Node): number | null {
  const count = field(doc, "p_elems");
  if (count === undefined) return null;
  if (!/^\d+$/.test(count.trim())) throw new ResultShapeError(`the list has the row count p_elems ${JSON.stringify(count)}, not a number`);
  return Number(count.trim());
}

/** Top-level keys of a form document that are not fields. */
const NOT_FIELDS = new Set(["slist", "list", "metadata", "tparams", "messages", "ok", "page", "elid"]);

export function readEditForm(doc: Node, what: string): EditForm {
  const values = cells(doc);
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) if (!NOT_FIELDS.has(name)) fields[name] = value;
  return { fields, addons: addonsOf(fields), autoprolong: readAutoprolong(fields.autoprolong, what) };
}

export function readProlongPreview(doc: Node, what: string): ProlongPreview {
  const expiredate = optional(field(doc, "expiredate"));
  const newexpiredate = optional(field(doc, "newexpiredate"));
  if (expiredate === null || newexpiredate === null) throw new ResultShapeError(`the renewal preview of ${what} lacks expiredate or newexpiredate`);
  return { expiredate, newexpiredate, price: optional(field(doc, "price") ?? field(doc, "cost") ?? field(doc, "amount")), balance: optional(field(doc, "balance")) };
}

/** The order form's price and balance, and the name of the tariff `pricelist` among its select's options. */
export function readOrderPreview(doc: Node, pricelist: string): OrderPreview {
  const select = rows(doc.slist).find((s) => attr(s, "name") === "pricelist");
  const option = isNode(select) ? rows(select.val).find((v) => attr(v, "key") === pricelist) : undefined;
  return { tariff: optional(text(option)), cost: optional(field(doc, "cost") ?? field(doc, "price")), balance: optional(field(doc, "balance")) };
}

/** The new expiry after a renewal, when BILLmanager says (`doc.newexpiredate`, or `doc.doc.newexpiredate`). */
export function readProlongResult(doc: Node): { newexpiredate: string | null } {
  const nested = isNode(doc.doc) ? field(doc.doc, "newexpiredate") : undefined;
  return { newexpiredate: optional(field(doc, "newexpiredate") ?? nested) };
}

export function readHistory(doc: Node, what: string): HistoryRow[] {
  return elems(doc, `the history of ${what}`).map((elem) => {
    const raw = cells(elem);
    return { date: raw.date ?? "", user: raw.user ?? "", action: raw.action ?? raw.desc ?? "", raw };
  });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
