/**
 * observe.ts: BILLmanager list rows (and edit forms) as the core's resources: named by remoteid
 * (someone else's by domain, licence name or id), item_status as the core's states, expiredate
 * as renewal.paid_until, auto-renewal as months or `off`, only the fields asked for, and an
 * edit form wanted only when a field asked for is not in the list.
 */
import { describe, expect, it } from "vitest";
import { itemtypesOf, kindOf, nameOf, needsForm, observedService, readFields, stateOf } from "../../../src/providers/billmgr/observe.js";
import type { EditForm, ServiceRow } from "../../../src/providers/billmgr/results.js";

function row(extra: Partial<ServiceRow> = {}): ServiceRow {
  return {
    id: "101",
    itemtype: "vds",
    domain: "shop.example",
    ip: "198.51.100.102",
    username: "root",
    licname: null,
    pricelist: "VPS 2",
    datacenter: "Frankfurt DC1",
    createdate: "2026-01-01",
    expiredate: "2026-02-01",
    autoprolong: null,
    itemStatus: 2,
    itemSubstatus: null,
    statusMsg: null,
    cost: "20.00",
    remoteid: "shop-vps",
    addons: {},
    raw: {},
    ...extra,
  };
}

const form: EditForm = { fields: { pricelist: "12", datacenter: "1", ostempl: "ISPsystem__Debian-12-x86_64", addon_22: "2" }, addons: { "22": "2" }, autoprolong: null };

describe("stateOf", () => {
  it("reads ordered and processing as transitional, active, suspended, deleted as gone", () => {
    expect([1, 2, 3, 4, 5].map((s) => stateOf(s as 1 | 2 | 3 | 4 | 5))).toEqual(["transitional", "active", "suspended", "gone", "transitional"]);
  });
});

describe("observedService", () => {
  it("names a service by its remoteid and reads the list's fields", () => {
    const r = observedService("bm1", row({ autoprolong: 3 }), null, ["service.autoprolong", "renewal.paid_until", "status.ip", "status.cost"]);
    expect(r).toEqual({
      server: "bm1",
      kind: "billmgr/service",
      id: "101",
      name: "shop-vps",
      state: "active",
      fields: {
        service: { name: "shop-vps", itemtype: "vds", domain: "shop.example", autoprolong: 3 },
        renewal: { paid_until: "2026-02-01" },
        status: { ip: "198.51.100.102", cost: "20.00" },
      },
    });
  });

  it("writes auto-renewal switched off as `off`, and leaves out what was not asked", () => {
    const r = observedService("bm1", row(), null, ["service.autoprolong"]);
    expect(r.fields).toEqual({ service: { name: "shop-vps", itemtype: "vds", domain: "shop.example", autoprolong: "off" } });
  });

  it("takes the ids, OS template and add-ons from the edit form", () => {
    const r = observedService("bm1", row(), form, ["service.tariff", "service.datacenter", "service.os_template", "addons.addon_22", "addons.addon_23"]);
    expect(r.fields.service).toMatchObject({ tariff: 12, datacenter: 1, os_template: "ISPsystem__Debian-12-x86_64" });
    // An add-on BILLmanager does not report stays absent.
    expect(r.fields.addons).toEqual({ addon_22: 2 });
  });

  it("reads a tariff id and a period straight from the list when it writes them", () => {
    const r = observedService("bm1", row({ pricelist: "12", raw: { period: "12" } }), null, ["service.tariff", "service.period"]);
    expect(r.fields.service).toMatchObject({ tariff: 12, period: 12 });
  });

  it("names someone else's service by its domain, a licence by its licence name, else by id", () => {
    expect(observedService("bm1", row({ remoteid: null }), null, []).name).toBe("shop.example");
    expect(observedService("bm1", row({ remoteid: null }), null, []).fields.service).toEqual({ itemtype: "vds", domain: "shop.example" });
    expect(nameOf(row({ remoteid: null, itemtype: "softexternal", licname: "web1.example", domain: null }))).toBe("web1.example");
    expect(nameOf(row({ remoteid: null, domain: null }))).toBe("service 101");
  });

  it("reads a licence's fields", () => {
    const licence = row({ itemtype: "softexternal", domain: null, ip: "203.0.113.5", licname: "web1.example", remoteid: "cl-web1", pricelist: "14", autoprolong: 1, itemStatus: 3 });
    const r = observedService("bm1", licence, null, ["license.tariff", "license.ip", "license.licname", "license.autoprolong", "renewal.paid_until", "status.cost"]);
    expect(r).toMatchObject({ kind: "billmgr/license", name: "cl-web1", state: "suspended", suspension: { since: null, reason: null } });
    expect(r.fields).toEqual({
      license: { name: "cl-web1", tariff: 14, ip: "203.0.113.5", licname: "web1.example", autoprolong: 1 },
      renewal: { paid_until: "2026-02-01" },
      status: { cost: "20.00" },
    });
  });
});

describe("needsForm", () => {
  it("asks for the edit form only for fields the list row lacks", () => {
    expect(needsForm(row(), ["service.autoprolong", "renewal.paid_until", "status.ip"])).toBe(false);
    expect(needsForm(row(), ["service.tariff"])).toBe(true);
    expect(needsForm(row({ pricelist: "12" }), ["service.tariff"])).toBe(false);
    expect(needsForm(row(), ["addons.addon_22"])).toBe(true);
    expect(needsForm(row({ addons: { "22": "1" } }), ["addons.addon_22"])).toBe(false);
    expect(needsForm(row({ itemStatus: 4 }), ["service.tariff"])).toBe(false);
  });
});

describe("kinds and item types", () => {
  it("maps the kinds to their lists and back", () => {
    expect(itemtypesOf("billmgr/service")).toEqual(["vhost", "vds", "dedic"]);
    expect(itemtypesOf("billmgr/license")).toEqual(["softexternal"]);
    expect(itemtypesOf("whm/account")).toEqual([]);
    expect(kindOf("dedic")).toBe("billmgr/service");
    expect(kindOf("softexternal")).toBe("billmgr/license");
    expect(readFields("billmgr/license", ["license.ip"])).toEqual(["license.ip", "license.name"]);
  });
});
