/**
 * Ordering: `v2.<itemtype>.order.param` for hosting and servers, `softexternal.order.param` for
 * licences. Without `sok` the answer is the order form (values as given, the selects, and the
 * price of the order as `cost` [I]); with `sok=ok` the order is paid from the balance at once and
 * the new service's id comes back as `doc.id`. Only `skipbasket=on` is emulated: the basket (pay
 * later) is refused with a `value` error [I]. An order the balance does not cover fails with
 * `notenoughmoney` and creates nothing [I]. `remoteid` is stored as sent and never checked for
 * uniqueness, as BILLmanager does not document one. A licence for an IP that already holds a
 * live licence of the same tariff is refused with `exist` [I].
 */
import type { CallContext, DocAnswer, Slist } from "./answer.js";
import { addMonths, dateOf, dateTimeOf } from "./dates.js";
import { addonParams, autoprolongParam, datacenterParam, domainValue, ipParam, ostemplParam, periodParam, tariffParam } from "./fields.js";
import type { Itemtype } from "./functions.js";
import { moneyText, toCents } from "./money.js";
import type { Params } from "./params.js";
import { monthlyCents } from "./pricing.js";
import { startProcessing } from "./processing.js";
import { BillmgrRefusal } from "./refusal.js";
import { SHARED_IP, type BillmgrServiceRecord, type BillmgrTariff } from "./state.js";
import type { BillmgrStore } from "./store.js";

export function order(store: BillmgrStore, itemtype: Itemtype, params: Params, ctx: CallContext): DocAnswer {
  const licence = itemtype === "softexternal";
  const periodName = licence ? "period" : "order_period";
  if (!params.committing) return orderForm(store, itemtype, params, periodName);

  const tariff = tariffParam(store, params, itemtype);
  const period = periodParam(params, periodName, tariff);
  const autoprolong = autoprolongParam(params, tariff) ?? null;
  const addons = { ...defaultAddons(tariff), ...addonParams(params, tariff) };
  if (params.get("skipbasket") !== "on") {
    throw new BillmgrRefusal("value", "skipbasket", "The emulator does not keep a basket: order with skipbasket=on to pay from the balance at once");
  }
  check(store, itemtype, params, tariff);
  const cents = monthlyCents(tariff, addons) * period;
  store.ensureFunds(cents);
  const id = store.takeId();
  const base = {
    id,
    itemtype,
    pricelist: tariff.id,
    remoteid: params.get("remoteid")?.trim() ?? "",
    period,
    createdate: dateOf(ctx.now),
    expiredate: addMonths(dateOf(ctx.now), period),
    autoprolong,
    item_status: 2 as const,
    processing: null,
    addons,
    history: [{ date: dateTimeOf(ctx.now), user: ctx.user, action: "open" as const, desc: `${tariff.name}, ${period} months` }],
  };
  const service: BillmgrServiceRecord = licence
    ? { ...base, datacenter: null, domain: "", ip: ipParam(params), username: "", licname: params.get("licname")?.trim() ?? "", ostempl: "", recipe: "" }
    : {
        ...base,
        datacenter: datacenterParam(store, params),
        domain: params.has("domain") ? domainValue(params.required("domain")) : `service${id}.emulated.test`,
        ip: itemtype === "vhost" ? SHARED_IP : serverIp(id),
        username: itemtype === "vhost" ? `user${id}` : "root",
        licname: "",
        ostempl: ostemplParam(store, params),
        recipe: params.get("recipe")?.trim() ?? "",
      };
  store.charge(cents, { kind: "order", service: id, itemtype, pricelist: tariff.id, period, date: ctx.now });
  startProcessing(service, ctx.processingSteps, "open", 2);
  store.add(service);
  return { fields: { id: String(id) } };
}

/** Everything that can refuse the order before an id is taken, so a refusal leaves the id counter alone. */
function check(store: BillmgrStore, itemtype: Itemtype, params: Params, tariff: BillmgrTariff): void {
  if (itemtype === "softexternal") {
    const ip = ipParam(params);
    const clash = store.services().find((s) => s.pricelist === tariff.id && s.ip === ip && s.item_status !== 4);
    if (clash) throw new BillmgrRefusal("exist", "ip", `A '${tariff.name}' licence for ${ip} already exists (service ${clash.id})`);
    return;
  }
  datacenterParam(store, params);
  ostemplParam(store, params);
  if (params.has("domain")) domainValue(params.required("domain"));
}

function defaultAddons(tariff: BillmgrTariff): Record<string, number> {
  return Object.fromEntries(tariff.addons.map((a) => [String(a.id), a.min]));
}

/** A documentation address per server (198.51.100.0/24 then onwards), stable for a given id. */
function serverIp(id: number): string {
  return `198.51.${100 + Math.floor(id / 250)}.${(id % 250) + 1}`;
}

function orderForm(store: BillmgrStore, itemtype: Itemtype, params: Params, periodName: string): DocAnswer {
  const tariffs = store.catalog.tariffs.filter((t) => t.itemtype === itemtype);
  const chosen = tariffs.find((t) => String(t.id) === params.get("pricelist")) ?? tariffs[0];
  const fields: Record<string, string> = { pricelist: chosen ? String(chosen.id) : "" };
  for (const name of ["datacenter", periodName, "domain", "autoprolong", "ostempl", "recipe", "ip", "licname", "remoteid"]) {
    const v = params.get(name);
    if (v !== undefined) fields[name] = v;
  }
  const slists: Slist[] = [{ name: "pricelist", options: tariffs.map((t) => ({ key: String(t.id), text: `${t.name} (${moneyText(toCents(t.price))}/month)` })) }];
  if (chosen) {
    const months = Number(params.get(periodName) ?? chosen.periods[0]);
    const addons = { ...defaultAddons(chosen) };
    for (const a of chosen.addons) {
      const v = Number(params.get(`addon_${a.id}`));
      if (Number.isInteger(v) && v >= a.min && v <= a.max) addons[String(a.id)] = v;
      fields[`addon_${a.id}`] = String(addons[String(a.id)]);
    }
    if (chosen.periods.includes(months)) fields["cost"] = moneyText(monthlyCents(chosen, addons) * months);
    slists.push({ name: periodName, options: chosen.periods.map((p) => ({ key: String(p), text: `${p} months` })) });
    slists.push({ name: "autoprolong", options: [{ key: "null", text: "Off" }, ...chosen.periods.map((p) => ({ key: String(p), text: `${p} months` }))] });
  }
  if (itemtype !== "softexternal") {
    slists.push({ name: "datacenter", options: store.catalog.datacenters.map((d) => ({ key: String(d.id), text: d.name })) });
    if (itemtype !== "vhost") slists.push({ name: "ostempl", options: store.catalog.ostemplates.map((t) => ({ key: t.key, text: t.name })) });
  }
  fields["balance"] = moneyText(store.balance);
  return { fields, slists };
}
