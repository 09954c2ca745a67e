/**
 * What a paid op will cost and buy, asked of BILLmanager before anything is charged, for the
 * plan a reviewer approves: an order's tariff, period and price from the order form without
 * `sok`; a renewal's price and new expiry from `service.prolong` without `sok`; an add-on
 * increase's terms. Only free calls: nothing here can charge the balance or create a service.
 */
import type { Op } from "../../model/op.js";
import type { ExecuteContext } from "./execute.js";
import { locate } from "./execute.js";
import { monthsToRenew, orderCall, renewTarget } from "./op-calls.js";

export async function quoteOp(ctx: ExecuteContext, op: Op): Promise<string[]> {
  switch (op.action) {
    case "create":
      return quoteOrder(ctx, op);
    case "renew":
      return quoteRenewal(ctx, op);
    case "update":
      return quoteIncrease(ctx, op);
    default:
      return [];
  }
}

async function quoteOrder(ctx: ExecuteContext, op: Op): Promise<string[]> {
  const call = orderCall(op);
  const terms = "service" in call ? { pricelist: call.service.pricelist, period: call.service.period } : { pricelist: call.license.pricelist, period: call.license.period };
  const preview = await ctx.client.orderPreview("service" in call ? { service: call.service } : { license: call.license });
  const tariff = preview.tariff === null ? `tariff ${terms.pricelist}` : `tariff ${preview.tariff} (pricelist ${terms.pricelist})`;
  const lines = [`order: ${tariff}, ${months(terms.period)}, ${preview.cost === null ? "price not given by BILLmanager" : `costs ${preview.cost}`}`];
  lines.push(...coverage(preview.cost, preview.balance, "the order"));
  return lines;
}

async function quoteRenewal(ctx: ExecuteContext, op: Op): Promise<string[]> {
  const target = renewTarget(op);
  const row = await locate(ctx, op);
  const period = monthsToRenew(row, target);
  const preview = await ctx.client.prolongPreview(row.id, period);
  const price = preview.price === null ? "" : ` for ${preview.price}`;
  const lines = [`renewal preview (nothing charged): ${months(period)}${price}, paid until ${preview.expiredate} → ${preview.newexpiredate}`];
  if (preview.newexpiredate < target) {
    lines.push(`that falls short of ${target}: apply will refuse this renewal and charge nothing; lower renew_ahead_days or lengthen the period`);
  }
  lines.push(...coverage(preview.price, preview.balance, "the renewal"));
  return lines;
}

async function quoteIncrease(ctx: ExecuteContext, op: Op): Promise<string[]> {
  const row = await locate(ctx, op);
  const until = row.expiredate === null ? "the end of the paid period" : row.expiredate;
  return [`raises a paid add-on: BILLmanager charges the difference at once for the months left until ${until}${row.cost === null ? "" : ` (the service costs ${row.cost} now)`}`];
}

function months(count: number): string {
  return `${count} month${count === 1 ? "" : "s"}`;
}

/** A warning when the balance BILLmanager shows is less than the price: the call would be refused for want of funds. */
function coverage(price: string | null, balance: string | null, what: string): string[] {
  const cost = amount(price);
  const funds = amount(balance);
  if (cost === null || funds === null) return balance === null ? [] : [`balance now: ${balance}`];
  if (funds < cost) return [`the balance (${balance}) does not cover ${what}: BILLmanager will refuse it until funds are added`];
  return [`balance now: ${balance}`];
}

/** The first number in a money text (`36.00`, `36.00 EUR`, `1 234,50`), or null. */
function amount(text: string | null): number | null {
  if (text === null) return null;
  const match = /-?\d[\d\s]*(?:[.,]\d+)?/.exec(text);
  if (match === null) return null;
  const value = Number(match[0].replace(/\s/g, "").replace(",", "."));
  return Number.isFinite(value) ? value : null;
}
