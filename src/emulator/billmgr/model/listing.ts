/**
 * The service lists (`func=vhost`, `vds`, `dedic`, `softexternal`) and their stateful filters.
 * A filter set with `<itemtype>.filter&sok=ok` stays applied to every later list of that item type
 * in the same session until a filter with no values clears it, as BILLmanager keeps filters; the
 * filter form (without sok) shows what is set. Rows carry the columns panels-api.md §B.5 lists;
 * `pricelist` and `datacentername` are names as the panel shows them (ids are in the edit form),
 * `autoprolong` is the renewal period in months and absent when off, and `remoteid` is a column
 * [I]. Deleted services stay listed with item_status 4 [I]. Every list read that shows a service
 * in passing moves it one read along (processing.ts). `p_cnt`/`p_num` page the rows; `p_elems`
 * is the count before paging.
 */
import type { CallContext, DocAnswer, Filter } from "./answer.js";
import type { Itemtype } from "./functions.js";
import { moneyText } from "./money.js";
import type { Params } from "./params.js";
import { toInt } from "./params.js";
import { monthlyCents } from "./pricing.js";
import { advance, shownStatus, statusMessage } from "./processing.js";
import type { BillmgrServiceRecord } from "./state.js";
import type { BillmgrStore } from "./store.js";

/** The filter fields the emulator applies (a subset of BILLmanager's; others are accepted and ignored). */
const FILTER_FIELDS = ["id", "ip", "domain", "pricelist", "datacenter", "status", "autoprolong", "licname"] as const;

export function list(store: BillmgrStore, itemtype: Itemtype, params: Params, ctx: CallContext): DocAnswer {
  const filter = ctx.filters.get(itemtype) ?? {};
  const matching = store.services().filter((s) => s.itemtype === itemtype && matches(s, filter));
  const size = params.has("p_cnt") ? toInt(params.required("p_cnt"), "p_cnt", 1, 10_000) : matching.length || 1;
  const page = params.has("p_num") ? toInt(params.required("p_num"), "p_num", 1, 1_000_000) : 1;
  const shown = matching.slice((page - 1) * size, page * size);
  const elems = shown.map((s) => row(store, s));
  for (const s of shown) advance(s);
  return { elems, fields: { p_elems: String(matching.length), p_num: String(page), p_cnt: String(size) } };
}

export function filter(itemtype: Itemtype, params: Params, ctx: CallContext): DocAnswer {
  if (!params.committing) {
    const current = ctx.filters.get(itemtype) ?? {};
    return { fields: Object.fromEntries(FILTER_FIELDS.map((f) => [f, current[f] ?? ""])) };
  }
  const next: Record<string, string> = {};
  for (const field of FILTER_FIELDS) {
    const value = params.get(field)?.trim();
    if (value !== undefined && value !== "") next[field] = value;
  }
  if (Object.keys(next).length === 0) ctx.filters.delete(itemtype);
  else ctx.filters.set(itemtype, next);
  return { ok: true };
}

/** How a filter asks for services without auto-renewal. */
const OFF = new Set(["null", "off", "0"]);

function matches(s: BillmgrServiceRecord, f: Filter): boolean {
  const checks: [string | undefined, string][] = [
    [f["id"], String(s.id)],
    [f["pricelist"], String(s.pricelist)],
    [f["datacenter"], String(s.datacenter ?? "")],
    [f["status"], String(shownStatus(s))],
    [f["autoprolong"] === undefined ? undefined : OFF.has(f["autoprolong"].toLowerCase()) ? "off" : f["autoprolong"], String(s.autoprolong ?? "off")],
  ];
  if (checks.some(([want, have]) => want !== undefined && want !== have)) return false;
  // Text fields match a part, case-insensitively, as the panel's filter does.
  const texts: [string | undefined, string][] = [
    [f["ip"], s.ip],
    [f["domain"], s.domain],
    [f["licname"], s.licname],
  ];
  return texts.every(([want, have]) => want === undefined || have.toLowerCase().includes(want.toLowerCase()));
}

function row(store: BillmgrStore, s: BillmgrServiceRecord): Record<string, string> {
  const tariff = store.tariff(s.pricelist);
  const datacenter = store.catalog.datacenters.find((d) => d.id === s.datacenter);
  const r: Record<string, string> = {
    id: String(s.id),
    domain: s.domain,
    ip: s.ip,
    username: s.username,
    pricelist: tariff?.name ?? String(s.pricelist),
    createdate: s.createdate,
    expiredate: s.expiredate,
    // [I] `period` is among the documented filter fields, so a list column of it is assumed.
    period: String(s.period),
    status_msg: statusMessage(s),
    item_status: String(shownStatus(s)),
    cost: tariff ? moneyText(monthlyCents(tariff, s.addons)) : "0.00",
  };
  if (datacenter) r["datacentername"] = datacenter.name;
  if (s.autoprolong !== null) r["autoprolong"] = String(s.autoprolong);
  if (s.itemtype === "softexternal") r["licname"] = s.licname;
  if (s.remoteid !== "") r["remoteid"] = s.remoteid;
  return r;
}
