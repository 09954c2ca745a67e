/**
 * `<itemtype>.edit`. Without `sok` the answer is the service's form with its current values
 * (ids here, unlike the list: `pricelist`, `datacenter`, `addon_<id>` units, `autoprolong` in
 * months or `null`). With `sok=ok` it applies what is given: auto-renewal (months, or `null` to
 * switch it off), add-on units, the domain (vhost), the licence name and IP (softexternal) and
 * `remoteid`. An add-on increase is paid at once for the months left in the paid period (calendar
 * months, a part month counted whole, at least one) [I]; a decrease refunds nothing [I]. A change of add-ons or IP passes the
 * service through status 5 [I]; the others are immediate. What changed goes into the history.
 */
import type { CallContext, DocAnswer } from "./answer.js";
import { addMonths, dateOf, dateTimeOf } from "./dates.js";
import { addonParams, autoprolongParam, domainValue, ipParam } from "./fields.js";
import type { Itemtype } from "./functions.js";
import { toCents } from "./money.js";
import type { Params } from "./params.js";
import { startProcessing } from "./processing.js";
import { checkActionable } from "./guard.js";
import { BillmgrRefusal } from "./refusal.js";
import type { BillmgrServiceRecord, BillmgrTariff } from "./state.js";
import type { BillmgrStore } from "./store.js";

export function edit(store: BillmgrStore, itemtype: Itemtype, params: Params, ctx: CallContext): DocAnswer {
  const service = store.service(params.elid(), itemtype);
  const tariff = store.tariff(service.pricelist);
  if (!tariff) throw new Error(`service ${service.id} names tariff ${service.pricelist}, which the state lacks`);
  if (!params.committing) return form(service);
  checkActionable(service);

  const changes: string[] = [];
  const autoprolong = autoprolongParam(params, tariff);
  const addons = addonParams(params, tariff);
  const domain = itemtype !== "softexternal" && params.has("domain") ? domainValue(params.required("domain")) : undefined;
  const ip = itemtype === "softexternal" && params.has("ip") ? ipParam(params) : undefined;
  if (ip !== undefined && ip !== service.ip) {
    const clash = store.services().find((s) => s !== service && s.pricelist === service.pricelist && s.ip === ip && s.item_status !== 4);
    if (clash) throw new BillmgrRefusal("exist", "ip", `A '${tariff.name}' licence for ${ip} already exists (service ${clash.id})`);
  }
  const increase = addonIncreaseCents(service, tariff, addons);
  const monthsLeft = monthsUntil(dateOf(ctx.now), service.expiredate);
  if (increase > 0) {
    store.charge(increase * monthsLeft, { kind: "addon", service: service.id, itemtype, pricelist: tariff.id, period: monthsLeft, date: ctx.now });
  }

  let touchesServer = false;
  if (autoprolong !== undefined && autoprolong !== service.autoprolong) {
    service.autoprolong = autoprolong;
    changes.push(`autoprolong=${autoprolong ?? "null"}`);
  }
  for (const [id, units] of Object.entries(addons)) {
    if (service.addons[id] === units) continue;
    service.addons[id] = units;
    changes.push(`addon_${id}=${units}`);
    touchesServer = true;
  }
  if (domain !== undefined && domain !== service.domain) {
    service.domain = domain;
    changes.push(`domain=${domain}`);
  }
  if (ip !== undefined && ip !== service.ip) {
    service.ip = ip;
    changes.push(`ip=${ip}`);
    touchesServer = true;
  }
  const licname = itemtype === "softexternal" ? params.get("licname")?.trim() : undefined;
  if (licname !== undefined && licname !== service.licname) {
    service.licname = licname;
    changes.push(`licname=${licname}`);
  }
  const remoteid = params.get("remoteid")?.trim();
  if (remoteid !== undefined && remoteid !== service.remoteid) {
    service.remoteid = remoteid;
    changes.push(`remoteid=${remoteid}`);
  }
  if (changes.length > 0) service.history.push({ date: dateTimeOf(ctx.now), user: ctx.user, action: "edit", desc: changes.join(", ") });
  if (touchesServer) startProcessing(service, ctx.processingSteps, "need_configure", service.item_status as 2 | 3);
  return { ok: true };
}

/** Calendar months from `today` until `expiredate` is covered, at least one (a part month counts whole). */
function monthsUntil(today: string, expiredate: string): number {
  let months = 1;
  while (months < 120 && addMonths(today, months) < expiredate) months++;
  return months;
}

function addonIncreaseCents(service: BillmgrServiceRecord, tariff: BillmgrTariff, given: Record<string, number>): number {
  let cents = 0;
  for (const addon of tariff.addons) {
    const next = given[String(addon.id)];
    const now = service.addons[String(addon.id)] ?? addon.min;
    if (next !== undefined && next > now) cents += (next - Math.max(now, addon.min)) * toCents(addon.price);
  }
  return cents;
}

function form(s: BillmgrServiceRecord): DocAnswer {
  const fields: Record<string, string> = {
    id: String(s.id),
    elid: String(s.id),
    pricelist: String(s.pricelist),
    domain: s.domain,
    ip: s.ip,
    username: s.username,
    createdate: s.createdate,
    expiredate: s.expiredate,
    autoprolong: s.autoprolong === null ? "null" : String(s.autoprolong),
    period: String(s.period),
    remoteid: s.remoteid,
  };
  if (s.recipe !== "") fields["recipe"] = s.recipe;
  if (s.datacenter !== null) fields["datacenter"] = String(s.datacenter);
  if (s.itemtype === "softexternal") fields["licname"] = s.licname;
  if (s.ostempl !== "") fields["ostempl"] = s.ostempl;
  for (const [id, units] of Object.entries(s.addons)) fields[`addon_${id}`] = String(units);
  return { fields };
}
