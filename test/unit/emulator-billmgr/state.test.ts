/**
 * validateBillmgrState: the default state, inputs completed with their defaults, and every kind
 * of wrong entry refused with a message naming it.
 */
import { describe, expect, it } from "vitest";
import { BillmgrStateError, defaultBillmgrState, validateBillmgrState } from "../../../src/emulator/billmgr/index.js";

describe("validateBillmgrState", () => {
  it("turns {} into the default state: one datacenter, a tariff per item type with periods 1/3/6/12, 1000.00, no services", () => {
    const state = validateBillmgrState({});
    expect(state).toEqual(defaultBillmgrState());
    expect(state.datacenters).toHaveLength(1);
    expect(new Set(state.tariffs.map((t) => t.itemtype))).toEqual(new Set(["vhost", "vds", "dedic", "softexternal"]));
    expect(state.tariffs.every((t) => t.periods.join() === "1,3,6,12")).toBe(true);
    expect(state.tariffs.some((t) => t.addons.length > 0)).toBe(true);
    expect(state).toMatchObject({ balance: 1000, services: [], orders: [], nextId: 101 });
  });

  it("completes a service with its defaults and moves nextId past given ids", () => {
    const state = validateBillmgrState({ services: [{ id: 300, itemtype: "vds", pricelist: 12, addons: { "22": 4 } }, { itemtype: "softexternal", pricelist: 14, ip: "203.0.113.1" }] });
    expect(state.services[0]).toMatchObject({ id: 300, datacenter: 1, item_status: 2, autoprolong: null, addons: { "22": 4, "23": 1 }, history: [], processing: null });
    expect(state.services[1]).toMatchObject({ id: 301, datacenter: null, ip: "203.0.113.1" });
    expect(state.nextId).toBe(302);
  });

  it.each([
    [{ balance: "1000" }, /balance must be an amount/],
    [{ version: 2 }, /version 2 is not supported/],
    [{ tariffs: [{ id: 1, itemtype: "mail", name: "x", price: 1 }] }, /tariffs\[0\]\.itemtype must be one of/],
    [{ tariffs: [{ id: 1, itemtype: "vds", name: "x", price: 1, periods: [] }] }, /tariffs\[0\]\.periods must be a non-empty list/],
    [{ tariffs: [{ id: 1, itemtype: "vds", name: "x", price: 1, addons: [{ id: 2, name: "a", price: 1, min: 5, max: 2 }] }] }, /addons\[0\]: max 2 is below min 5/],
    [{ services: [{ itemtype: "vds", pricelist: 99 }] }, /services\[0\]\.pricelist 99 is not a tariff/],
    [{ services: [{ itemtype: "vds", pricelist: 12, datacenter: 7 }] }, /services\[0\]\.datacenter must be the id/],
    [{ services: [{ itemtype: "vds", pricelist: 12, expiredate: "2026-02-30" }] }, /dates YYYY-MM-DD/],
    [{ services: [{ itemtype: "vds", pricelist: 12, autoprolong: 2 }] }, /autoprolong must be null or one of the tariff's periods/],
    [{ services: [{ itemtype: "vds", pricelist: 12, addons: { "22": 99 } }] }, /addons\.22 must be a whole number from 0 to 50/],
    [{ services: [{ itemtype: "vds", pricelist: 12, item_status: 6 }] }, /item_status must be 1 to 5/],
    [{ services: [{ itemtype: "vds", pricelist: 12, history: [{ date: "yesterday", user: "x", action: "open" }] }] }, /history\[0\]\.date/],
    [{ services: [{ id: 5, itemtype: "vds", pricelist: 12 }, { id: 5, itemtype: "vds", pricelist: 12 }] }, /two entries have id 5/],
    [{ services: [{ itemtype: "vds", pricelist: 12, processing: { phases: [], then: 2, reason: "open" } }] }, /processing\.phases must be a non-empty list/],
    [{ services: [{ itemtype: "vds", pricelist: 12, processing: { phases: [{ status: 5, reads: 1 }], then: 5, reason: "open" } }] }, /processing\.then must be 2, 3 or 4/],
  ])("refuses %j", (input, message) => {
    expect(() => validateBillmgrState(input)).toThrow(BillmgrStateError);
    expect(() => validateBillmgrState(input)).toThrow(message);
  });
});
