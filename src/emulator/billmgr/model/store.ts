/**
 * The account in memory: catalog (datacenters, templates, tariffs), balance in cents, services,
 * charges, and the lookups every function needs. Functions change records in place through it;
 * `snapshot` hands out deep copies so nobody outside edits the live state.
 */
import type { Itemtype } from "./functions.js";
import { fromCents, moneyText, toCents } from "./money.js";
import { BillmgrRefusal } from "./refusal.js";
import type { BillmgrOrderRecord, BillmgrServiceRecord, BillmgrState, BillmgrTariff } from "./state.js";

export class BillmgrStore {
  private readonly state: BillmgrState;
  private balanceCents: number;

  constructor(state: BillmgrState) {
    this.state = structuredClone(state);
    this.balanceCents = toCents(state.balance);
  }

  snapshot(): BillmgrState {
    return structuredClone({ ...this.state, balance: fromCents(this.balanceCents) });
  }

  get catalog(): Pick<BillmgrState, "datacenters" | "ostemplates" | "tariffs"> {
    return this.state;
  }

  get balance(): number {
    return this.balanceCents;
  }

  services(): readonly BillmgrServiceRecord[] {
    return this.state.services;
  }

  orders(): readonly BillmgrOrderRecord[] {
    return this.state.orders;
  }

  /** The service `id` of `itemtype`, or BILLmanager's refusal for an object it does not have. */
  service(id: number, itemtype?: Itemtype): BillmgrServiceRecord {
    const s = this.state.services.find((x) => x.id === id && (itemtype === undefined || x.itemtype === itemtype));
    if (!s) throw new BillmgrRefusal("missed", "elid", `Service ${id}${itemtype ? ` of type ${itemtype}` : ""} not found`);
    return s;
  }

  tariff(id: number): BillmgrTariff | undefined {
    return this.state.tariffs.find((t) => t.id === id);
  }

  takeId(): number {
    return this.state.nextId++;
  }

  add(service: BillmgrServiceRecord): void {
    this.state.services.push(service);
  }

  /** Refuses as BILLmanager does when the balance does not cover `cents`. */
  ensureFunds(cents: number): void {
    if (cents > this.balanceCents) {
      throw new BillmgrRefusal(
        "notenoughmoney",
        "balance",
        `Not enough money on the account: ${moneyText(cents)} is needed, the balance is ${moneyText(this.balanceCents)}. Top up the balance and try again`,
      );
    }
  }

  /** Takes `cents` from the balance and records the charge; refuses, changing nothing, when the balance does not cover it. */
  charge(cents: number, record: Omit<BillmgrOrderRecord, "id" | "amount">): void {
    this.ensureFunds(cents);
    this.balanceCents -= cents;
    this.state.orders.push({ id: this.state.nextOrderId++, amount: fromCents(cents), ...record });
  }
}
