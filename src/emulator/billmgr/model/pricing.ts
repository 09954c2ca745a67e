/**
 * What a service costs: the tariff's monthly price plus, for each add-on, the units above those
 * the tariff includes (`min`) at the add-on's unit price. Orders and renewals pay it per month of
 * the period. All in cents.
 */
import { toCents } from "./money.js";
import type { BillmgrTariff } from "./state.js";

export function monthlyCents(tariff: BillmgrTariff, addons: Readonly<Record<string, number>>): number {
  let cents = toCents(tariff.price);
  for (const addon of tariff.addons) {
    const units = addons[String(addon.id)] ?? addon.min;
    cents += Math.max(0, units - addon.min) * toCents(addon.price);
  }
  return cents;
}
