/**
 * The parameter checks ordering and editing share: a tariff of the right item type, a period the
 * tariff sells, an auto-renewal value (months, or `null`/`off`/`0` to switch it off), add-on
 * units within their bounds, a datacenter, an OS template and an IP address. Each failure is a
 * `value` refusal naming the field.
 */
import { isIP } from "node:net";
import type { Itemtype } from "./functions.js";
import type { Params } from "./params.js";
import { toId, toInt } from "./params.js";
import { BillmgrRefusal } from "./refusal.js";
import type { BillmgrTariff } from "./state.js";
import type { BillmgrStore } from "./store.js";

export function tariffParam(store: BillmgrStore, params: Params, itemtype: Itemtype): BillmgrTariff {
  const id = toId(params.required("pricelist"), "pricelist");
  const tariff = store.tariff(id);
  if (!tariff || tariff.itemtype !== itemtype) throw new BillmgrRefusal("value", "pricelist", `Tariff plan ${id} is not available for ${itemtype}`);
  return tariff;
}

export function periodParam(params: Params, name: string, tariff: BillmgrTariff): number {
  const months = toInt(params.required(name), name, 1, 120);
  if (!tariff.periods.includes(months)) {
    throw new BillmgrRefusal("value", name, `The period of ${months} months is not available for '${tariff.name}': use one of ${tariff.periods.join(", ")}`);
  }
  return months;
}

const OFF = new Set(["null", "off", "0"]);

/** The auto-renewal months, null for off, or undefined when the parameter is absent. */
export function autoprolongParam(params: Params, tariff: BillmgrTariff): number | null | undefined {
  const text = params.get("autoprolong")?.trim();
  if (text === undefined || text === "") return undefined;
  if (OFF.has(text.toLowerCase())) return null;
  return periodParam(params, "autoprolong", tariff);
}

/** `addon_<id>` values given for the tariff's add-ons; a `value` refusal for any other add-on or a value out of bounds. */
export function addonParams(params: Params, tariff: BillmgrTariff): Record<string, number> {
  const given: Record<string, number> = {};
  for (const name of params.names()) {
    const m = /^addon_(\d+)$/.exec(name);
    if (!m) continue;
    const addon = tariff.addons.find((a) => String(a.id) === m[1]);
    if (!addon) throw new BillmgrRefusal("value", name, `Add-on ${m[1]} is not part of tariff plan '${tariff.name}'`);
    given[String(addon.id)] = toInt(params.required(name), name, addon.min, addon.max);
  }
  return given;
}

export function datacenterParam(store: BillmgrStore, params: Params): number {
  const id = toId(params.required("datacenter"), "datacenter");
  if (!store.catalog.datacenters.some((d) => d.id === id)) throw new BillmgrRefusal("value", "datacenter", `Datacenter ${id} is not available`);
  return id;
}

export function ostemplParam(store: BillmgrStore, params: Params): string {
  const key = params.get("ostempl")?.trim() ?? "";
  if (key !== "" && !store.catalog.ostemplates.some((t) => t.key === key)) {
    throw new BillmgrRefusal("value", "ostempl", `Operating system template '${key}' is not available`);
  }
  return key;
}

export function ipParam(params: Params): string {
  const ip = params.required("ip");
  if (isIP(ip) === 0) throw new BillmgrRefusal("value", "ip", `'${ip}' is not a valid IP address`);
  return ip;
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;

export function domainValue(text: string): string {
  const domain = text.trim().toLowerCase().replace(/\.$/, "");
  if (!DOMAIN.test(domain)) throw new BillmgrRefusal("value", "domain", `'${text}' is not a valid domain name`);
  return domain;
}
