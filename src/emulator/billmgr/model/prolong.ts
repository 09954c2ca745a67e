/**
 * `service.prolong` (renewal), one service in `elid`. Without `sok` it is a preview that charges
 * nothing: `expiredate`, `newexpiredate` and `price` for `period` (the tariff's first period when
 * none is given) and the periods on offer. With `sok=ok` it charges the balance (the service's
 * monthly cost, add-ons included, times the period), moves the expiry date by the period from
 * the current expiry date, passes the service through status 5 back to its status, and answers
 * `doc.ok` with `doc.newexpiredate`. A renewal the balance does not cover fails with
 * `notenoughmoney` and changes nothing.
 */
import type { CallContext, DocAnswer } from "./answer.js";
import { addMonths, dateTimeOf } from "./dates.js";
import { periodParam } from "./fields.js";
import { checkActionable } from "./guard.js";
import { moneyText } from "./money.js";
import type { Params } from "./params.js";
import { monthlyCents } from "./pricing.js";
import { startProcessing } from "./processing.js";
import type { BillmgrStore } from "./store.js";

export function prolong(store: BillmgrStore, params: Params, ctx: CallContext): DocAnswer {
  const service = store.service(params.elid());
  const tariff = store.tariff(service.pricelist);
  if (!tariff) throw new Error(`service ${service.id} names tariff ${service.pricelist}, which the state lacks`);
  checkActionable(service);
  const period = params.has("period") || params.committing ? periodParam(params, "period", tariff) : tariff.periods[0]!;
  const cents = monthlyCents(tariff, service.addons) * period;
  const newexpiredate = addMonths(service.expiredate, period);
  if (!params.committing) {
    return {
      fields: { elid: String(service.id), period: String(period), expiredate: service.expiredate, newexpiredate, price: moneyText(cents), balance: moneyText(store.balance) },
      slists: [{ name: "period", options: tariff.periods.map((p) => ({ key: String(p), text: `${p} months` })) }],
    };
  }
  store.charge(cents, { kind: "prolong", service: service.id, itemtype: service.itemtype, pricelist: tariff.id, period, date: ctx.now });
  const before = service.expiredate;
  service.expiredate = newexpiredate;
  service.history.push({ date: dateTimeOf(ctx.now), user: ctx.user, action: "prolong", desc: `${before} → ${newexpiredate}` });
  startProcessing(service, ctx.processingSteps, "prolong", service.item_status as 2 | 3);
  return { ok: true, fields: { newexpiredate } };
}
