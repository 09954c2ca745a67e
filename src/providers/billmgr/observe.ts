/**
 * Reading BILLmanager services and licences as the core's ObservedResources: which item types a
 * kind's list covers, whether a row's list cells are enough for the fields asked or the service's
 * edit form must be read too (the list writes the tariff and datacenter as names, and carries no
 * add-ons or OS template; the form has the ids), and how a row (with its form) becomes a
 * resource: id = BILLmanager's id, name = the `remoteid` siteform ordered it with (a service
 * without one is someone else's: named by its domain, or its licence name, else its id), state
 * from item_status, and the fields of the kind's schema. Pure: no calls.
 */
import type { ResourceState } from "../../model/kind.js";
import type { ObservedResource, ObservedValue } from "../../model/resource.js";
import { LICENSE_ITEMTYPE, SERVICE_ITEMTYPES, type ItemType } from "./functions.js";
import { LICENSE_KIND, SERVICE_KIND } from "./kinds.js";
import type { EditForm, ItemStatus, ServiceRow } from "./results.js";

/** What a kind's fields are called (`group.field`). */
export const SERVICE_FIELD = {
  name: "service.name",
  itemtype: "service.itemtype",
  tariff: "service.tariff",
  datacenter: "service.datacenter",
  period: "service.period",
  domain: "service.domain",
  osTemplate: "service.os_template",
  recipe: "service.recipe",
  autoprolong: "service.autoprolong",
  ip: "status.ip",
  cost: "status.cost",
} as const;

export const LICENSE_FIELD = {
  name: "license.name",
  tariff: "license.tariff",
  period: "license.period",
  licname: "license.licname",
  ip: "license.ip",
  autoprolong: "license.autoprolong",
  cost: "status.cost",
} as const;

export const PAID_UNTIL_FIELD = "renewal.paid_until";
export const ADDONS_GROUP = "addons";
/** How the schema writes auto-renewal switched off. */
export const AUTOPROLONG_OFF = "off";

/** Fields every reading has, whatever was asked: the keys (and a service's item type, which costs nothing). */
const IDENTITY: Readonly<Record<string, readonly string[]>> = {
  [SERVICE_KIND]: [SERVICE_FIELD.name, SERVICE_FIELD.domain, SERVICE_FIELD.itemtype],
  [LICENSE_KIND]: [LICENSE_FIELD.name],
};

/** The item types whose lists hold a kind's resources. */
export function itemtypesOf(kind: string): readonly ItemType[] {
  if (kind === SERVICE_KIND) return SERVICE_ITEMTYPES;
  if (kind === LICENSE_KIND) return [LICENSE_ITEMTYPE];
  return [];
}

/** The kind an item type's services belong to. */
export function kindOf(itemtype: ItemType): string {
  return itemtype === LICENSE_ITEMTYPE ? LICENSE_KIND : SERVICE_KIND;
}

/** The requested fields plus the kind's identity fields, sorted and deduplicated. */
export function readFields(kind: string, fields: readonly string[]): string[] {
  return [...new Set([...fields, ...(IDENTITY[kind] ?? [])])].sort();
}

/** item_status as the core reads it: ordered and processing are waited for, deleted is gone. */
export function stateOf(status: ItemStatus): ResourceState {
  switch (status) {
    case 2:
      return "active";
    case 3:
      return "suspended";
    case 4:
      return "gone";
    default:
      return "transitional";
  }
}

/** siteform's name for the service (its remoteid); null for a service siteform did not order. */
export function remoteName(row: ServiceRow): string | null {
  const id = row.remoteid?.trim() ?? "";
  return id === "" ? null : id;
}

/** The resource's name: its remoteid, else (someone else's) its domain or licence name, else its id. */
export function nameOf(row: ServiceRow): string {
  return remoteName(row) ?? (row.itemtype === LICENSE_ITEMTYPE ? row.licname : row.domain) ?? `service ${row.id}`;
}

/** A whole number written as digits, as a number; null otherwise. */
function wholeNumber(value: string | null | undefined): number | null {
  const text = value?.trim() ?? "";
  return /^\d+$/.test(text) ? Number(text) : null;
}

/** A cell as text; null when empty. */
function textOf(value: string | null | undefined): string | null {
  const text = value?.trim() ?? "";
  return text === "" ? null : text;
}

/** An add-on's value: a number of units, or a flag BILLmanager writes as on/off. */
function addonValue(value: string): ObservedValue {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (/^(on|yes|true)$/i.test(text)) return true;
  if (/^(off|no|false)$/i.test(text)) return false;
  return text;
}

/** A tariff id: the list's cell when it is one (some installations write the name there), else the form's. */
function tariffOf(row: ServiceRow, form: EditForm | null): number | null {
  return wholeNumber(row.pricelist) ?? wholeNumber(form?.fields.pricelist);
}

/**
 * One field's value off a row and its edit form; undefined when BILLmanager did not report it
 * (an absent field stays absent, it never becomes null). The period and the recipe are order
 * terms BILLmanager shows only in some installations (a `period` cell [I]); `expiredate`
 * is `YYYY-MM-DD`.
 */
function fieldValue(row: ServiceRow, form: EditForm | null, field: string): ObservedValue | undefined {
  const licence = row.itemtype === LICENSE_ITEMTYPE;
  if (field.startsWith(`${ADDONS_GROUP}.addon_`)) {
    const id = field.slice(`${ADDONS_GROUP}.addon_`.length);
    const value = row.addons[id] ?? form?.addons[id];
    return value === undefined ? undefined : addonValue(value);
  }
  switch (field) {
    case SERVICE_FIELD.name:
    case LICENSE_FIELD.name:
      return remoteName(row) ?? undefined;
    case SERVICE_FIELD.itemtype:
      return licence ? undefined : row.itemtype;
    case SERVICE_FIELD.tariff:
    case LICENSE_FIELD.tariff:
      return tariffOf(row, form) ?? undefined;
    case SERVICE_FIELD.datacenter:
      return licence ? undefined : (wholeNumber(form?.fields.datacenter) ?? undefined);
    case SERVICE_FIELD.period:
    case LICENSE_FIELD.period:
      return wholeNumber(row.raw.period) ?? wholeNumber(form?.fields.period) ?? undefined;
    case SERVICE_FIELD.domain:
      return licence ? undefined : (textOf(row.domain) ?? undefined);
    case SERVICE_FIELD.osTemplate:
      return textOf(form?.fields.ostempl) ?? undefined;
    case SERVICE_FIELD.recipe:
      return textOf(row.raw.recipe) ?? textOf(form?.fields.recipe) ?? undefined;
    case SERVICE_FIELD.autoprolong:
    case LICENSE_FIELD.autoprolong:
      return row.autoprolong ?? AUTOPROLONG_OFF;
    case LICENSE_FIELD.licname:
      return licence ? (textOf(row.licname) ?? undefined) : undefined;
    case SERVICE_FIELD.ip:
    case LICENSE_FIELD.ip:
      return textOf(row.ip) ?? undefined;
    case SERVICE_FIELD.cost:
      return textOf(row.cost) ?? undefined;
    case PAID_UNTIL_FIELD:
      return textOf(row.expiredate) ?? undefined;
    default:
      return undefined;
  }
}

/** Fields only the edit form may have, when the list row does not carry them. */
function formOnly(row: ServiceRow, field: string): boolean {
  if (field.startsWith(`${ADDONS_GROUP}.addon_`)) return row.addons[field.slice(`${ADDONS_GROUP}.addon_`.length)] === undefined;
  switch (field) {
    case SERVICE_FIELD.tariff:
    case LICENSE_FIELD.tariff:
      return wholeNumber(row.pricelist) === null;
    case SERVICE_FIELD.datacenter:
    case SERVICE_FIELD.osTemplate:
      return row.itemtype !== LICENSE_ITEMTYPE;
    case SERVICE_FIELD.period:
    case LICENSE_FIELD.period:
      return wholeNumber(row.raw.period) === null;
    case SERVICE_FIELD.recipe:
      return textOf(row.raw.recipe) === null;
    default:
      return false;
  }
}

/**
 * Whether reading these fields of this row needs the service's edit form (one more call per
 * service): only when a field asked for is not in the list row. A deleted service has no form
 * worth reading.
 */
export function needsForm(row: ServiceRow, fields: readonly string[]): boolean {
  return row.itemStatus !== 4 && fields.some((f) => formOnly(row, f));
}

/** A row (with its edit form when one was read) as a resource with exactly the requested fields it reports. */
export function observedService(server: string, row: ServiceRow, form: EditForm | null, fields: readonly string[]): ObservedResource {
  const kind = kindOf(row.itemtype);
  const groups: Record<string, Record<string, ObservedValue>> = {};
  for (const field of readFields(kind, fields)) {
    const value = fieldValue(row, form, field);
    if (value === undefined) continue;
    const dot = field.indexOf(".");
    (groups[field.slice(0, dot)] ??= {})[field.slice(dot + 1)] = value;
  }
  const state = stateOf(row.itemStatus);
  return {
    server,
    kind,
    id: row.id,
    name: nameOf(row),
    state,
    // BILLmanager keeps no reason with a suspension; its history says who and when (deletion-guard.ts).
    ...(state === "suspended" && { suspension: { since: null, reason: null } }),
    fields: groups,
  };
}

/** Services in id order. */
export function byId(a: ServiceRow, b: ServiceRow): number {
  return Number(a.id) - Number(b.id);
}
