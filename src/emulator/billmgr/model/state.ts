/**
 * The BILLmanager emulator's state as plain JSON (what `--state FILE` holds): datacenters, OS
 * templates, tariffs (pricelists) with their add-ons, the account's balance, the services with
 * their history, every charge made, and the next ids. Money is in currency units with two
 * decimals; dates are `YYYY-MM-DD`. The input form lets a test or a state file leave out what has
 * an obvious default; validation says exactly which entry is wrong and why.
 */
import { isDate } from "./dates.js";
import { ITEMTYPES, type Itemtype } from "./functions.js";
import { isMoney } from "./money.js";

export interface BillmgrDatacenter {
  id: number;
  name: string;
}

export interface BillmgrOsTemplate {
  /** The value `ostempl` takes, e.g. "ISPsystem__Debian-12-x86_64". */
  key: string;
  name: string;
}

export interface BillmgrAddon {
  /** The id in `addon_<id>`. */
  id: number;
  name: string;
  /** Per unit per month, above the units the tariff includes (`min`). */
  price: number;
  /** Units included in the tariff; the least that may be ordered. */
  min: number;
  max: number;
}

export interface BillmgrTariff {
  /** The pricelist id. */
  id: number;
  itemtype: Itemtype;
  name: string;
  /** Per month. */
  price: number;
  /** Periods in months that may be ordered or renewed. */
  periods: number[];
  addons: BillmgrAddon[];
}

/** 1 ordered, 2 active, 3 suspended, 4 deleted, 5 processing (panels-api.md §B.5). */
export type ItemStatus = 1 | 2 | 3 | 4 | 5;

/** Why a service is in status 5, as BILLmanager's `item_status_5_<reason>` keys name it. */
export type ProcessingReason = "open" | "suspend" | "resume" | "prolong" | "close" | "need_configure";

/** A service on its way to a status: the list reads it still shows each passing status for, then where it lands. */
export interface BillmgrProcessing {
  phases: { status: 1 | 5; reads: number }[];
  then: 2 | 3 | 4;
  reason: ProcessingReason;
}

export interface BillmgrHistoryEvent {
  /** `YYYY-MM-DD HH:MM:SS`, UTC. */
  date: string;
  /** Who did it: the API user, or whoever the state says (an operator in the panel). */
  user: string;
  action: "open" | "edit" | "suspend" | "resume" | "prolong" | "close";
  /** What changed, for edits and renewals. */
  desc?: string;
}

export interface BillmgrServiceRecord {
  id: number;
  itemtype: Itemtype;
  pricelist: number;
  /** Null for licences. */
  datacenter: number | null;
  domain: string;
  ip: string;
  username: string;
  /** The licence's name (softexternal); empty for other item types. */
  licname: string;
  /** The reselling system's own id for the service, as ordered; empty when none was sent. */
  remoteid: string;
  ostempl: string;
  recipe: string;
  /** Months ordered, and renewed by default, at a time. */
  period: number;
  createdate: string;
  expiredate: string;
  /** Auto-renewal period in months, or null when off. */
  autoprolong: number | null;
  /** The status the service has once any processing ends. */
  item_status: ItemStatus;
  processing: BillmgrProcessing | null;
  /** Units per add-on id (as a string key, the JSON way). */
  addons: Record<string, number>;
  history: BillmgrHistoryEvent[];
}

export interface BillmgrOrderRecord {
  id: number;
  kind: "order" | "prolong" | "addon";
  service: number;
  itemtype: Itemtype;
  pricelist: number;
  /** Months paid for (for an add-on increase: months left in the paid period). */
  period: number;
  /** Currency units charged. */
  amount: number;
  /** Unix seconds. */
  date: number;
}

export interface BillmgrState {
  version: 1;
  balance: number;
  nextId: number;
  nextOrderId: number;
  datacenters: BillmgrDatacenter[];
  ostemplates: BillmgrOsTemplate[];
  tariffs: BillmgrTariff[];
  services: BillmgrServiceRecord[];
  orders: BillmgrOrderRecord[];
}

export type BillmgrServiceInput = Pick<BillmgrServiceRecord, "itemtype" | "pricelist"> &
  Partial<Omit<BillmgrServiceRecord, "itemtype" | "pricelist">>;

/** What options.state and a state file may hold: anything left out gets its default. */
export interface BillmgrStateInput {
  version?: 1;
  balance?: number;
  nextId?: number;
  nextOrderId?: number;
  datacenters?: BillmgrDatacenter[];
  ostemplates?: BillmgrOsTemplate[];
  tariffs?: BillmgrTariff[];
  services?: BillmgrServiceInput[];
  orders?: BillmgrOrderRecord[];
}

export class BillmgrStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BillmgrStateError";
  }
}

/** Where vhost services live (a documentation address: nothing real answers there). */
export const SHARED_IP = "192.0.2.20";
export const FIRST_SERVICE_ID = 101;
export const PERIODS = [1, 3, 6, 12];

/** One datacenter, two OS templates, a tariff per item type (two licence types), a balance of 1000.00, no services. */
export function defaultBillmgrState(): BillmgrState {
  return {
    version: 1,
    balance: 1000,
    nextId: FIRST_SERVICE_ID,
    nextOrderId: 1,
    datacenters: [{ id: 1, name: "Frankfurt DC1" }],
    ostemplates: [
      { key: "ISPsystem__Debian-12-x86_64", name: "Debian 12" },
      { key: "ISPsystem__AlmaLinux-9-x86_64", name: "AlmaLinux 9" },
    ],
    tariffs: [
      { id: 11, itemtype: "vhost", name: "Hosting Start", price: 5, periods: [...PERIODS], addons: [{ id: 21, name: "Extra disk, GB", price: 0.5, min: 10, max: 200 }] },
      {
        id: 12,
        itemtype: "vds",
        name: "VPS 2",
        price: 20,
        periods: [...PERIODS],
        addons: [
          { id: 22, name: "Extra disk, 10 GB", price: 2, min: 0, max: 50 },
          { id: 23, name: "Extra IPv4 address", price: 3, min: 1, max: 8 },
        ],
      },
      { id: 13, itemtype: "dedic", name: "Dedicated E-2388G", price: 90, periods: [...PERIODS], addons: [{ id: 24, name: "Extra IPv4 address", price: 3, min: 1, max: 16 }] },
      { id: 14, itemtype: "softexternal", name: "CloudLinux OS", price: 12, periods: [...PERIODS], addons: [] },
      { id: 15, itemtype: "softexternal", name: "KernelCare", price: 3, periods: [...PERIODS], addons: [] },
    ],
    services: [],
    orders: [],
  };
}

/**
 * A full state from an input: anything not given from the default state (datacenters, templates
 * and tariffs as a whole; an empty service list), services completed with their defaults and
 * checked against the tariffs. Throws BillmgrStateError naming the entry.
 */
export function validateBillmgrState(raw: unknown): BillmgrState {
  if (!isObject(raw)) throw new BillmgrStateError("expected an object (balance, tariffs, services, …)");
  if (raw["version"] !== undefined && raw["version"] !== 1) throw new BillmgrStateError(`version ${JSON.stringify(raw["version"])} is not supported (expected 1)`);
  const base = defaultBillmgrState();
  const balance = raw["balance"] ?? base.balance;
  if (!isMoney(balance)) throw new BillmgrStateError(`balance must be an amount with at most two decimals, got ${JSON.stringify(balance)}`);

  const datacenters = listAt(raw, "datacenters", base.datacenters).map((d, i) => {
    const o = obj(d, `datacenters[${i}]`);
    return { id: posInt(o, "id", `datacenters[${i}]`), name: str(o, "name", `datacenters[${i}]`) };
  });
  const ostemplates = listAt(raw, "ostemplates", base.ostemplates).map((t, i) => {
    const o = obj(t, `ostemplates[${i}]`);
    return { key: str(o, "key", `ostemplates[${i}]`), name: str(o, "name", `ostemplates[${i}]`) };
  });
  const tariffs = listAt(raw, "tariffs", base.tariffs).map((t, i) => validateTariff(t, `tariffs[${i}]`));
  unique(datacenters.map((d) => d.id), "datacenters", "id");
  unique(tariffs.map((t) => t.id), "tariffs", "id");
  unique(tariffs.flatMap((t) => t.addons.map((a) => a.id)), "tariffs[].addons", "id");

  const inputs = listAt(raw, "services", []);
  const given = raw["nextId"] ?? FIRST_SERVICE_ID;
  if (typeof given !== "number" || !Number.isInteger(given) || given < 1) throw new BillmgrStateError(`nextId must be a positive integer, got ${JSON.stringify(given)}`);
  let nextId = Math.max(given, ...inputs.flatMap((s) => (isObject(s) && typeof s["id"] === "number" ? [s["id"] + 1] : [])));
  const services = inputs.map((s, i) => validateService(s, `services[${i}]`, { tariffs, datacenters }, () => nextId++));
  unique(services.map((s) => s.id), "services", "id");

  const orders = listAt(raw, "orders", []).map((o, i) => validateOrder(o, `orders[${i}]`));
  const givenOrder = raw["nextOrderId"] ?? 1;
  if (typeof givenOrder !== "number" || !Number.isInteger(givenOrder) || givenOrder < 1) throw new BillmgrStateError("nextOrderId must be a positive integer");
  const nextOrderId = Math.max(givenOrder, ...orders.map((o) => o.id + 1));
  return { version: 1, balance, nextId, nextOrderId, datacenters, ostemplates, tariffs, services, orders };
}

function validateTariff(raw: unknown, where: string): BillmgrTariff {
  const o = obj(raw, where);
  const itemtype = o["itemtype"];
  if (!(ITEMTYPES as readonly unknown[]).includes(itemtype)) throw new BillmgrStateError(`${where}.itemtype must be one of ${ITEMTYPES.join(", ")}`);
  const periods = o["periods"] ?? PERIODS;
  if (!Array.isArray(periods) || periods.length === 0 || !periods.every((p) => Number.isInteger(p) && p >= 1 && p <= 120)) {
    throw new BillmgrStateError(`${where}.periods must be a non-empty list of months (1 to 120)`);
  }
  const price = o["price"];
  if (!isMoney(price) || price < 0) throw new BillmgrStateError(`${where}.price must be an amount ≥ 0 per month`);
  const addons = (o["addons"] ?? []) as unknown;
  if (!Array.isArray(addons)) throw new BillmgrStateError(`${where}.addons must be a list`);
  return {
    id: posInt(o, "id", where),
    itemtype: itemtype as Itemtype,
    name: str(o, "name", where),
    price,
    periods: [...(periods as number[])],
    addons: addons.map((a, i) => {
      const at = `${where}.addons[${i}]`;
      const ao = obj(a, at);
      const ap = ao["price"];
      if (!isMoney(ap) || ap < 0) throw new BillmgrStateError(`${at}.price must be an amount ≥ 0 per unit and month`);
      const min = nonNegInt(ao, "min", at, 0);
      const max = nonNegInt(ao, "max", at);
      if (max < min) throw new BillmgrStateError(`${at}: max ${max} is below min ${min}`);
      return { id: posInt(ao, "id", at), name: str(ao, "name", at), price: ap, min, max };
    }),
  };
}

const STATUSES = [1, 2, 3, 4, 5];
const ACTIONS = ["open", "edit", "suspend", "resume", "prolong", "close"];

function validateService(
  raw: unknown,
  where: string,
  catalog: { tariffs: BillmgrTariff[]; datacenters: BillmgrDatacenter[] },
  takeId: () => number,
): BillmgrServiceRecord {
  const o = obj(raw, where);
  const pricelist = posInt(o, "pricelist", where);
  const tariff = catalog.tariffs.find((t) => t.id === pricelist);
  if (!tariff) throw new BillmgrStateError(`${where}.pricelist ${pricelist} is not a tariff of the state`);
  if (o["itemtype"] !== tariff.itemtype) throw new BillmgrStateError(`${where}.itemtype must be "${tariff.itemtype}", the item type of tariff ${pricelist}`);
  const licence = tariff.itemtype === "softexternal";
  const datacenter = o["datacenter"] ?? (licence ? null : catalog.datacenters[0]?.id ?? null);
  if (!licence && !catalog.datacenters.some((d) => d.id === datacenter)) throw new BillmgrStateError(`${where}.datacenter must be the id of one of the state's datacenters`);
  const id = o["id"] === undefined ? takeId() : posInt(o, "id", where);
  const createdate = o["createdate"] ?? "2026-01-01";
  const expiredate = o["expiredate"] ?? "2026-02-01";
  if (!isDate(createdate) || !isDate(expiredate)) throw new BillmgrStateError(`${where}.createdate and expiredate must be dates YYYY-MM-DD`);
  const autoprolong = o["autoprolong"] ?? null;
  if (autoprolong !== null && !tariff.periods.includes(autoprolong as number)) throw new BillmgrStateError(`${where}.autoprolong must be null or one of the tariff's periods (${tariff.periods.join(", ")})`);
  const status = o["item_status"] ?? 2;
  if (!STATUSES.includes(status as number)) throw new BillmgrStateError(`${where}.item_status must be 1 to 5`);
  const addonsRaw = o["addons"] ?? {};
  if (!isObject(addonsRaw)) throw new BillmgrStateError(`${where}.addons must be an object of add-on id → units`);
  const addons: Record<string, number> = Object.fromEntries(tariff.addons.map((a) => [String(a.id), a.min]));
  for (const [key, value] of Object.entries(addonsRaw)) {
    const addon = tariff.addons.find((a) => String(a.id) === key);
    if (!addon) throw new BillmgrStateError(`${where}.addons: ${key} is not an add-on of tariff ${pricelist}`);
    if (typeof value !== "number" || !Number.isInteger(value) || value < addon.min || value > addon.max) {
      throw new BillmgrStateError(`${where}.addons.${key} must be a whole number from ${addon.min} to ${addon.max}`);
    }
    addons[key] = value;
  }
  const history = (o["history"] ?? []) as unknown;
  if (!Array.isArray(history)) throw new BillmgrStateError(`${where}.history must be a list`);
  const processing = validateProcessing(o["processing"] ?? null, `${where}.processing`);
  return {
    id,
    itemtype: tariff.itemtype,
    pricelist,
    datacenter: licence ? null : (datacenter as number),
    domain: optStr(o, "domain", where, ""),
    ip: optStr(o, "ip", where, tariff.itemtype === "vhost" ? SHARED_IP : ""),
    username: optStr(o, "username", where, ""),
    licname: optStr(o, "licname", where, ""),
    remoteid: optStr(o, "remoteid", where, ""),
    ostempl: optStr(o, "ostempl", where, ""),
    recipe: optStr(o, "recipe", where, ""),
    period: nonNegInt(o, "period", where, tariff.periods[0] ?? 1),
    createdate,
    expiredate,
    autoprolong: autoprolong as number | null,
    item_status: status as ItemStatus,
    processing,
    addons,
    history: history.map((h, i) => {
      const at = `${where}.history[${i}]`;
      const ho = obj(h, at);
      if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(String(ho["date"]))) throw new BillmgrStateError(`${at}.date must be "YYYY-MM-DD HH:MM:SS"`);
      if (!ACTIONS.includes(String(ho["action"]))) throw new BillmgrStateError(`${at}.action must be one of ${ACTIONS.join(", ")}`);
      const event: BillmgrHistoryEvent = { date: String(ho["date"]), user: str(ho, "user", at), action: ho["action"] as BillmgrHistoryEvent["action"] };
      if (ho["desc"] !== undefined) event.desc = str(ho, "desc", at);
      return event;
    }),
  };
}

const REASONS = ["open", "suspend", "resume", "prolong", "close", "need_configure"];

function validateProcessing(raw: unknown, where: string): BillmgrProcessing | null {
  if (raw === null) return null;
  const o = obj(raw, where);
  const phases = o["phases"];
  const valid =
    Array.isArray(phases) &&
    phases.length > 0 &&
    phases.every((p) => isObject(p) && (p["status"] === 1 || p["status"] === 5) && Number.isInteger(p["reads"]) && (p["reads"] as number) >= 1);
  if (!valid) throw new BillmgrStateError(`${where}.phases must be a non-empty list of {status: 1 or 5, reads: ≥ 1}`);
  if (![2, 3, 4].includes(o["then"] as number)) throw new BillmgrStateError(`${where}.then must be 2, 3 or 4`);
  if (!REASONS.includes(String(o["reason"]))) throw new BillmgrStateError(`${where}.reason must be one of ${REASONS.join(", ")}`);
  return {
    phases: (phases as { status: 1 | 5; reads: number }[]).map((p) => ({ status: p.status, reads: p.reads })),
    then: o["then"] as 2 | 3 | 4,
    reason: o["reason"] as BillmgrProcessing["reason"],
  };
}

function validateOrder(raw: unknown, where: string): BillmgrOrderRecord {
  const o = obj(raw, where);
  if (!["order", "prolong", "addon"].includes(String(o["kind"]))) throw new BillmgrStateError(`${where}.kind must be order, prolong or addon`);
  if (!(ITEMTYPES as readonly unknown[]).includes(o["itemtype"])) throw new BillmgrStateError(`${where}.itemtype must be one of ${ITEMTYPES.join(", ")}`);
  if (!isMoney(o["amount"])) throw new BillmgrStateError(`${where}.amount must be an amount`);
  return {
    id: posInt(o, "id", where),
    kind: o["kind"] as BillmgrOrderRecord["kind"],
    service: posInt(o, "service", where),
    itemtype: o["itemtype"] as Itemtype,
    pricelist: posInt(o, "pricelist", where),
    period: nonNegInt(o, "period", where),
    amount: o["amount"],
    date: nonNegInt(o, "date", where),
  };
}

function listAt<T>(raw: Record<string, unknown>, key: string, fallback: T[]): unknown[] {
  const v = raw[key];
  if (v === undefined) return structuredClone(fallback);
  if (!Array.isArray(v)) throw new BillmgrStateError(`${key} must be a list`);
  return v;
}

function obj(raw: unknown, where: string): Record<string, unknown> {
  if (!isObject(raw)) throw new BillmgrStateError(`${where}: expected an object`);
  return raw;
}

function str(o: Record<string, unknown>, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== "string" || v === "") throw new BillmgrStateError(`${where}.${key} must be a non-empty string`);
  return v;
}

function optStr(o: Record<string, unknown>, key: string, where: string, fallback: string): string {
  const v = o[key] ?? fallback;
  if (typeof v !== "string") throw new BillmgrStateError(`${where}.${key} must be a string`);
  return v;
}

function posInt(o: Record<string, unknown>, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new BillmgrStateError(`${where}.${key} must be a positive integer`);
  return v;
}

function nonNegInt(o: Record<string, unknown>, key: string, where: string, fallback?: number): number {
  const v = o[key] ?? fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new BillmgrStateError(`${where}.${key} must be an integer ≥ 0`);
  return v;
}

function unique<T>(values: T[], where: string, field: string): void {
  const seen = new Set<T>();
  for (const v of values) {
    if (seen.has(v)) throw new BillmgrStateError(`${where}: two entries have ${field} ${JSON.stringify(v)}`);
    seen.add(v);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
