/**
 * What an Op means in BILLmanager's terms, decided without calling anything: an order's
 * parameters (with siteform's name as `remoteid`, so a lost answer is found again by it), an
 * edit's (auto-renewal, add-ons, a licence's name and IP, a new name as a new `remoteid`), and
 * the months a renewal buys. The terms a service was ordered on (item type, tariff, datacenter,
 * period, OS template, recipe, a server's domain) cannot be changed by an edit: such a change
 * is an UnsupportedChange, refused before any call. A field the kind does not have is an
 * OpShapeError: a siteform bug, not a server answer.
 */
import type { FieldValue, Op } from "../../model/op.js";
import type { Addons, Autoprolong, LicenseOrder, ServiceChanges, ServiceOrder } from "./client.js";
import { isServiceItemType, type ServiceItemType } from "./functions.js";
import { LICENSE_KIND, SERVICE_KIND } from "./kinds.js";
import type { ServiceRow } from "./results.js";
import { ADDONS_GROUP, AUTOPROLONG_OFF, LICENSE_FIELD, PAID_UNTIL_FIELD, SERVICE_FIELD } from "./observe.js";

/** Thrown when an op cannot be sent as it is. */
export class OpShapeError extends Error {
  override readonly name = "OpShapeError";
}

/** The op asks for something BILLmanager cannot do to an existing service; nothing was called. */
export class UnsupportedChange extends Error {
  override readonly name = "UnsupportedChange";
}

/** Periods BILLmanager sells, in months (the schemas' enum). */
export const STANDARD_PERIODS: readonly number[] = [1, 3, 6, 12, 24, 36];

function text(op: Op, field: string, value: FieldValue): string {
  if (typeof value !== "string" || value.trim() === "") throw new OpShapeError(`${op.id}: ${field} must be a non-empty text, not ${JSON.stringify(value)}`);
  return value.trim();
}

function months(op: Op, field: string, value: FieldValue): number {
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) throw new OpShapeError(`${op.id}: ${field} must be a whole number of months, not ${JSON.stringify(value)}`);
  return n;
}

function id(op: Op, field: string, value: FieldValue): number {
  return months(op, field, value);
}

/** The schema's `autoprolong` (months or `off`) as the client's: months, or null for off. */
export function autoprolongOf(op: Op, field: string, value: FieldValue): Autoprolong {
  if (value === AUTOPROLONG_OFF || value === null || value === false) return null;
  return months(op, field, value);
}

/** `addons.addon_5` → `5`; null for another field. */
function addonId(field: string): string | null {
  const match = new RegExp(`^${ADDONS_GROUP}\\.addon_(\\d+)$`).exec(field);
  return match?.[1] ?? null;
}

/** An add-on's value as BILLmanager takes it: units, or a flag as 1/0. */
function addonValue(op: Op, field: string, value: FieldValue): string | number {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === "string" && /^\d+$/.test(value.trim())) return Number(value);
  throw new OpShapeError(`${op.id}: ${field} must be a whole number or a flag, not ${JSON.stringify(value)}`);
}

/** A create's value of a field, or undefined. */
function wanted(op: Op, field: string): FieldValue | undefined {
  const change = op.changes.find((c) => c.field === field);
  return change === undefined || change.after === null ? undefined : change.after;
}

/** siteform's name for the resource: the name change's value, else the op's target name. */
export function remoteidOf(op: Op): string {
  const field = op.kind === LICENSE_KIND ? LICENSE_FIELD.name : SERVICE_FIELD.name;
  const value = wanted(op, field);
  return value === undefined ? op.target.name : text(op, field, value);
}

function addonsOf(op: Op): Addons | undefined {
  const out: Record<string, string | number> = {};
  for (const change of op.changes) {
    const addon = addonId(change.field);
    if (addon !== null && change.after !== null) out[addon] = addonValue(op, change.field, change.after);
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

export type OrderCall = { itemtype: ServiceItemType; service: ServiceOrder } | { itemtype: "softexternal"; license: LicenseOrder };

/** The order a create places. */
export function orderCall(op: Op): OrderCall {
  const secret = op.changes.find((c) => c.secret === true);
  if (secret !== undefined) throw new OpShapeError(`${op.id}: ${secret.field} is a secret whose value the plan does not hold`);
  const remoteid = remoteidOf(op);
  const need = (field: string): FieldValue => {
    const value = wanted(op, field);
    if (value === undefined) throw new OpShapeError(`${op.id}: an order needs ${field} and the op has none`);
    return value;
  };
  const optional = <T>(field: string, read: (field: string, value: FieldValue) => T): T | undefined => {
    const value = wanted(op, field);
    return value === undefined ? undefined : read(field, value);
  };
  if (op.kind === LICENSE_KIND) {
    const license: LicenseOrder = {
      pricelist: id(op, LICENSE_FIELD.tariff, need(LICENSE_FIELD.tariff)),
      period: months(op, LICENSE_FIELD.period, need(LICENSE_FIELD.period)),
      ip: text(op, LICENSE_FIELD.ip, need(LICENSE_FIELD.ip)),
      remoteid,
    };
    const licname = optional(LICENSE_FIELD.licname, (f, v) => text(op, f, v));
    const autoprolong = optional(LICENSE_FIELD.autoprolong, (f, v) => autoprolongOf(op, f, v));
    return { itemtype: "softexternal", license: { ...license, ...(licname !== undefined && { licname }), ...(autoprolong !== undefined && { autoprolong }) } };
  }
  if (op.kind !== SERVICE_KIND) throw new OpShapeError(`${op.id}: BILLmanager has no ${op.kind}`);
  const itemtype = text(op, SERVICE_FIELD.itemtype, need(SERVICE_FIELD.itemtype));
  if (!isServiceItemType(itemtype)) throw new OpShapeError(`${op.id}: ${SERVICE_FIELD.itemtype} must be vhost, vds or dedic, not ${JSON.stringify(itemtype)}`);
  const service: ServiceOrder = {
    itemtype,
    pricelist: id(op, SERVICE_FIELD.tariff, need(SERVICE_FIELD.tariff)),
    period: months(op, SERVICE_FIELD.period, need(SERVICE_FIELD.period)),
    remoteid,
  };
  const datacenter = optional(SERVICE_FIELD.datacenter, (f, v) => id(op, f, v));
  const domain = optional(SERVICE_FIELD.domain, (f, v) => text(op, f, v).toLowerCase());
  const autoprolong = optional(SERVICE_FIELD.autoprolong, (f, v) => autoprolongOf(op, f, v));
  const ostempl = optional(SERVICE_FIELD.osTemplate, (f, v) => text(op, f, v));
  const recipe = optional(SERVICE_FIELD.recipe, (f, v) => text(op, f, v));
  const addons = addonsOf(op);
  return {
    itemtype,
    service: {
      ...service,
      ...(datacenter !== undefined && { datacenter }),
      ...(domain !== undefined && { domain }),
      ...(autoprolong !== undefined && { autoprolong }),
      ...(ostempl !== undefined && { ostempl }),
      ...(recipe !== undefined && { recipe }),
      ...(addons !== undefined && { addons }),
    },
  };
}

/** Order terms an edit cannot change, and what to say instead. */
const FIXED: Readonly<Record<string, string>> = {
  [SERVICE_FIELD.itemtype]: "changing the item type is not supported; order a new service",
  [SERVICE_FIELD.tariff]: "changing a tariff is not supported; order a new service",
  [LICENSE_FIELD.tariff]: "changing a tariff is not supported; order a new licence",
  [SERVICE_FIELD.datacenter]: "changing the datacenter is not supported; order a new service",
  [SERVICE_FIELD.period]: "changing the period is not supported; order a new service",
  [LICENSE_FIELD.period]: "changing the period is not supported; order a new licence",
  [SERVICE_FIELD.osTemplate]: "changing the OS template is not supported (it is chosen at order time); reinstall in the panel or order a new service",
  [SERVICE_FIELD.recipe]: "changing the recipe is not supported (it runs once, at order time)",
  [SERVICE_FIELD.domain]: "changing a service's domain is not supported by siteform on BILLmanager; change it in the panel",
};

/** Order terms BILLmanager may not report at all (only some installations show them): a change from "not reported" is no change to make. */
const UNREPORTED_OK = new Set<string>([SERVICE_FIELD.period, LICENSE_FIELD.period, SERVICE_FIELD.recipe]);

export interface EditCall {
  changes: ServiceChanges;
  /** Whether anything is sent at all. */
  empty: boolean;
  /** Remarks for the report (order terms BILLmanager does not report, left as they are). */
  notes: string[];
}

/** What an update sends to `<itemtype>.edit`; an UnsupportedChange for an order term. */
export function editCall(op: Op): EditCall {
  const changes: { -readonly [K in keyof ServiceChanges]: ServiceChanges[K] } = {};
  const addons: Record<string, string | number> = {};
  const notes: string[] = [];
  const licence = op.kind === LICENSE_KIND;
  const refused: string[] = [];
  for (const change of op.changes) {
    if (change.secret === true) throw new OpShapeError(`${op.id}: ${change.field} is a secret whose value the plan does not hold`);
    const addon = addonId(change.field);
    if (addon !== null) {
      if (change.after === null) throw new OpShapeError(`${op.id}: ${change.field} cannot be removed, only set`);
      addons[addon] = addonValue(op, change.field, change.after);
      continue;
    }
    const fixed = FIXED[change.field];
    if (fixed !== undefined) {
      if (change.before === null && UNREPORTED_OK.has(change.field)) {
        notes.push(`BILLmanager does not report ${change.field}; it was set when the service was ordered and is left as it is`);
        continue;
      }
      refused.push(`${change.field} ${JSON.stringify(change.before)} → ${JSON.stringify(change.after)}: ${fixed}`);
      continue;
    }
    switch (change.field) {
      case SERVICE_FIELD.name:
      case LICENSE_FIELD.name:
        changes.remoteid = text(op, change.field, change.after);
        continue;
      case SERVICE_FIELD.autoprolong:
      case LICENSE_FIELD.autoprolong:
        changes.autoprolong = autoprolongOf(op, change.field, change.after);
        continue;
      case LICENSE_FIELD.licname:
        if (licence) {
          changes.licname = text(op, change.field, change.after);
          continue;
        }
        break;
      case LICENSE_FIELD.ip:
        if (licence) {
          changes.ip = text(op, change.field, change.after);
          continue;
        }
        break;
      case PAID_UNTIL_FIELD:
        throw new OpShapeError(`${op.id}: ${PAID_UNTIL_FIELD} is changed by renewing, not by an update`);
    }
    throw new OpShapeError(`${op.id}: a BILLmanager ${licence ? "licence" : "service"} has no settable field ${change.field}`);
  }
  if (refused.length > 0) throw new UnsupportedChange(refused.join("; "));
  if (Object.keys(addons).length > 0) changes.addons = addons;
  return { changes, empty: Object.keys(changes).length === 0, notes };
}

/** The date a renewal must reach: the renew op's wanted `renewal.paid_until`. */
export function renewTarget(op: Op): string {
  const change = op.changes.find((c) => c.field === PAID_UNTIL_FIELD);
  if (change === undefined || typeof change.after !== "string" || !/^\d{4}-\d{2}-\d{2}/.test(change.after)) {
    throw new OpShapeError(`${op.id}: a renewal needs ${PAID_UNTIL_FIELD} as a date, not ${JSON.stringify(change?.after ?? null)}`);
  }
  return change.after.slice(0, 10);
}

/** A calendar date some months later (the last day of a shorter month, as billing clamps it). */
export function addMonths(date: string, count: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + count, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

/**
 * The months a renewal buys: the service's own period when BILLmanager reports it; otherwise
 * the shortest standard period that takes the expiry to the wanted date (the least money that
 * does what the plan said), or the longest when none does (the caller then refuses it).
 */
export function renewalMonths(period: number | null, expiredate: string, target: string): number {
  if (period !== null) return period;
  return STANDARD_PERIODS.find((p) => addMonths(expiredate, p) >= target) ?? STANDARD_PERIODS[STANDARD_PERIODS.length - 1]!;
}

/** The months renewing this service buys to reach `target`: its own period when its row says, else by renewalMonths. */
export function monthsToRenew(row: ServiceRow, target: string): number {
  const period = /^\d+$/.test(row.raw.period?.trim() ?? "") ? Number(row.raw.period) : null;
  return renewalMonths(period, row.expiredate ?? target, target);
}

/** How people read the op's service in messages: `shop-vps (service 101)`. */
export function opLabel(op: Op): string {
  return op.target.id === null ? op.target.name : `${op.target.name} (service ${op.target.id})`;
}
