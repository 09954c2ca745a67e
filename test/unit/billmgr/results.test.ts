/**
 * The rows and documents the client reads: a service list (one row as an object, auto-renewal
 * as months or absent, item_status with a sub-state, remoteid when shown), the edit form, the
 * renewal preview and result, the history; and what does not fit, said precisely.
 */
import { describe, expect, it } from "vitest";
import {
  ResultShapeError,
  readAutoprolong,
  readEditForm,
  readHistory,
  readOrderPreview,
  readProlongPreview,
  readProlongResult,
  readServices,
} from "../../../src/providers/billmgr/results.js";

const cell = (value: string): { $: string } => ({ $: value });

describe("readServices", () => {
  it("reads a one-row list written as an object, with every column", () => {
    const doc = {
      elem: {
        id: cell("7"),
        domain: cell("acme.example"),
        ip: cell("192.0.2.7"),
        username: cell("acme"),
        pricelist: cell("VDS Start"),
        datacentername: cell("Frankfurt"),
        createdate: cell("2026-11-01"),
        expiredate: cell("2026-12-01"),
        autoprolong: cell("1"),
        item_status: cell("5_open"),
        status_msg: cell("In progress: activation"),
        cost: cell("10.00"),
        remoteid: cell("site:acme"),
        addon_5: cell("10"),
      },
      p_elems: cell("1"),
    };
    const [row, ...rest] = readServices(doc, "vds");
    expect(rest).toEqual([]);
    expect(row).toMatchObject({
      id: "7",
      itemtype: "vds",
      domain: "acme.example",
      ip: "192.0.2.7",
      pricelist: "VDS Start",
      datacenter: "Frankfurt",
      expiredate: "2026-12-01",
      autoprolong: 1,
      itemStatus: 5,
      itemSubstatus: "open",
      remoteid: "site:acme",
      licname: null,
      addons: { "5": "10" },
    });
  });

  it("reads several rows, an empty list, and auto-renewal left out as off", () => {
    const doc = { elem: [{ id: cell("1"), item_status: cell("2") }, { id: cell("2"), item_status: cell("4"), autoprolong: cell("12") }] };
    expect(readServices(doc, "softexternal").map((r) => [r.id, r.itemStatus, r.autoprolong, r.remoteid])).toEqual([
      ["1", 2, null, null],
      ["2", 4, 12, null],
    ]);
    expect(readServices({}, "vhost")).toEqual([]);
  });

  it("refuses a row without a numeric id or with an unknown status", () => {
    expect(() => readServices({ elem: { item_status: cell("2") } }, "vhost")).toThrow(/vhost row 0 has the id null, not a number/);
    expect(() => readServices({ elem: { id: cell("3"), item_status: cell("9") } }, "vhost")).toThrow(/vhost 3 has the item_status "9", not 1 to 5/);
    expect(() => readServices({ elem: ["x"] }, "vds")).toThrow(ResultShapeError);
  });
});

describe("readAutoprolong", () => {
  it("reads months and every spelling of off", () => {
    expect(readAutoprolong("3", "x")).toBe(3);
    expect(readAutoprolong("12 months", "x")).toBe(12);
    for (const off of [undefined, "", "null", "off", "0", "-"]) expect(readAutoprolong(off, "x")).toBeNull();
    expect(() => readAutoprolong("monthly", "vds 1")).toThrow(/vds 1 has the autoprolong "monthly"/);
  });
});

describe("documents", () => {
  it("reads the edit form's fields and add-ons", () => {
    const form = readEditForm({ elid: cell("7"), domain: cell("acme.example"), autoprolong: cell("null"), addon_5: cell("20"), slist: [{ $name: "x" }] }, "vds 7");
    expect(form).toEqual({ fields: { domain: "acme.example", autoprolong: "null", addon_5: "20" }, addons: { "5": "20" }, autoprolong: null });
  });

  it("reads the order form's price, balance and the chosen tariff's name, with one option or several", () => {
    const several = { $name: "pricelist", val: [{ $key: "11", $: "Shared S (2.00/month)" }, { $key: "12", $: "VPS M (10.00/month)" }] };
    expect(readOrderPreview({ cost: cell("30.00"), balance: cell("500.00"), slist: [several, { $name: "order_period", val: { $key: "3", $: "3 months" } }] }, "12")).toEqual({
      tariff: "VPS M (10.00/month)",
      cost: "30.00",
      balance: "500.00",
    });
    // The one-element quirk: a single select, a single option, each a bare object.
    expect(readOrderPreview({ cost: cell("2.00"), slist: { $name: "pricelist", val: { $key: "11", $: "Shared S (2.00/month)" } } }, "11")).toEqual({ tariff: "Shared S (2.00/month)", cost: "2.00", balance: null });
    expect(readOrderPreview({}, "11")).toEqual({ tariff: null, cost: null, balance: null });
  });

  it("reads the renewal preview and result", () => {
    expect(readProlongPreview({ expiredate: cell("2026-12-01"), newexpiredate: cell("2027-01-01"), price: cell("10.00") }, "service 7")).toEqual({
      expiredate: "2026-12-01",
      newexpiredate: "2027-01-01",
      price: "10.00",
      balance: null,
    });
    expect(readProlongPreview({ expiredate: cell("2026-12-01"), newexpiredate: cell("2027-01-01"), balance: cell("5.00") }, "service 7")).toMatchObject({ price: null, balance: "5.00" });
    expect(() => readProlongPreview({ expiredate: cell("2026-12-01") }, "service 7")).toThrow(/renewal preview of service 7 lacks/);
    expect(readProlongResult({ ok: {}, newexpiredate: cell("2027-01-01") })).toEqual({ newexpiredate: "2027-01-01" });
    expect(readProlongResult({ doc: { newexpiredate: cell("2027-02-01") } })).toEqual({ newexpiredate: "2027-02-01" });
    expect(readProlongResult({ ok: {} })).toEqual({ newexpiredate: null });
  });

  it("reads the history, one event as an object too", () => {
    expect(readHistory({ elem: { date: cell("2026-11-01 10:00"), user: cell("reseller"), action: cell("Order") } }, "service 7")).toEqual([
      { date: "2026-11-01 10:00", user: "reseller", action: "Order", raw: { date: "2026-11-01 10:00", user: "reseller", action: "Order" } },
    ]);
  });
});
