/**
 * op-calls.ts: an Op as BILLmanager's order and edit parameters (remoteid = siteform's name,
 * auto-renewal as months or null, add-ons by id), order terms refused on an update, and the
 * months a renewal buys.
 */
import { describe, expect, it } from "vitest";
import type { FieldChange, Op } from "../../../src/model/op.js";
import { OpShapeError, UnsupportedChange, addMonths, editCall, opLabel, orderCall, renewTarget, renewalMonths } from "../../../src/providers/billmgr/op-calls.js";

function op(kind: string, action: Op["action"], changes: FieldChange[], name = "shop-vps"): Op {
  return {
    id: `bm1:${action}:${name}`,
    server: "bm1",
    kind,
    action,
    target: { id: action === "create" ? null : "101", name, key: null, source: null },
    changes,
    flags: {},
    dependsOn: [],
    preconditions: { exists: action !== "create", id: null, fields: {} },
    reason: "test",
    notes: [],
  };
}

const set = (field: string, after: FieldChange["after"], before: FieldChange["before"] = null): FieldChange => ({ field, before, after });

describe("orderCall", () => {
  it("orders a service with siteform's name as remoteid", () => {
    const call = orderCall(
      op("billmgr/service", "create", [
        set("service.name", "shop-vps"),
        set("service.itemtype", "vds"),
        set("service.tariff", 12),
        set("service.period", 3),
        set("service.datacenter", 1),
        set("service.domain", "Shop.Example"),
        set("service.os_template", "ISPsystem__Debian-12-x86_64"),
        set("service.recipe", "lamp"),
        set("service.autoprolong", "off"),
        set("addons.addon_22", 2),
        set("addons.addon_23", true),
      ]),
    );
    expect(call).toEqual({
      itemtype: "vds",
      service: {
        itemtype: "vds",
        pricelist: 12,
        period: 3,
        remoteid: "shop-vps",
        datacenter: 1,
        domain: "shop.example",
        autoprolong: null,
        ostempl: "ISPsystem__Debian-12-x86_64",
        recipe: "lamp",
        addons: { "22": 2, "23": 1 },
      },
    });
  });

  it("orders a licence", () => {
    const call = orderCall(
      op("billmgr/license", "create", [set("license.tariff", 14), set("license.period", 1), set("license.ip", "203.0.113.5"), set("license.licname", "web1.example"), set("license.autoprolong", 12)], "cl-web1"),
    );
    expect(call).toEqual({ itemtype: "softexternal", license: { pricelist: 14, period: 1, ip: "203.0.113.5", remoteid: "cl-web1", licname: "web1.example", autoprolong: 12 } });
  });

  it("refuses an order without its terms as a siteform bug", () => {
    expect(() => orderCall(op("billmgr/service", "create", [set("service.itemtype", "vds"), set("service.period", 1)]))).toThrow(OpShapeError);
    expect(() => orderCall(op("billmgr/service", "create", [set("service.itemtype", "soft"), set("service.tariff", 1), set("service.period", 1)]))).toThrow(/vhost, vds or dedic/);
  });
});

describe("editCall", () => {
  it("sends auto-renewal, add-ons, a licence's name and IP, and a new name as remoteid", () => {
    expect(editCall(op("billmgr/service", "update", [set("service.autoprolong", "off", 3), set("addons.addon_22", 4, 2), set("service.name", "shop2", "shop-vps")]))).toEqual({
      changes: { autoprolong: null, addons: { "22": 4 }, remoteid: "shop2" },
      empty: false,
      notes: [],
    });
    expect(editCall(op("billmgr/license", "update", [set("license.ip", "203.0.113.8", "203.0.113.7"), set("license.licname", "web8.example", "web7.example")])).changes).toEqual({
      ip: "203.0.113.8",
      licname: "web8.example",
    });
  });

  it("refuses a change of tariff, item type, datacenter or period, saying what to do", () => {
    const refused = (changes: FieldChange[]): string => {
      try {
        editCall(op("billmgr/service", "update", changes));
      } catch (err) {
        expect(err).toBeInstanceOf(UnsupportedChange);
        return (err as Error).message;
      }
      throw new Error("not refused");
    };
    expect(refused([set("service.tariff", 13, 12)])).toContain("changing a tariff is not supported; order a new service");
    expect(refused([set("service.itemtype", "dedic", "vds")])).toContain("order a new service");
    expect(refused([set("service.datacenter", 2, 1)])).toContain("changing the datacenter is not supported");
    expect(refused([set("service.period", 12, 1)])).toContain("changing the period is not supported");
  });

  it("leaves a period or recipe BILLmanager does not report as it is, with a note", () => {
    const call = editCall(op("billmgr/service", "update", [set("service.period", 12, null), set("service.recipe", "lamp", null)]));
    expect(call.empty).toBe(true);
    expect(call.notes).toHaveLength(2);
  });

  it("refuses a field the kind does not have", () => {
    expect(() => editCall(op("billmgr/service", "update", [set("license.ip", "203.0.113.8")]))).toThrow(OpShapeError);
    expect(() => editCall(op("billmgr/service", "update", [set("renewal.paid_until", "2027-01-01")]))).toThrow(/renewing/);
  });
});

describe("renewal", () => {
  it("buys the service's period when known, else the shortest that reaches the wanted date", () => {
    expect(renewalMonths(12, "2026-12-01", "2026-12-15")).toBe(12);
    expect(renewalMonths(null, "2026-12-01", "2026-12-15")).toBe(1);
    expect(renewalMonths(null, "2026-12-01", "2027-04-15")).toBe(6);
    expect(renewalMonths(null, "2020-01-01", "2040-01-01")).toBe(36);
  });

  it("reads the wanted date off the op", () => {
    expect(renewTarget(op("billmgr/service", "renew", [set("renewal.paid_until", "2027-01-10", "2026-12-01")]))).toBe("2027-01-10");
    expect(() => renewTarget(op("billmgr/service", "renew", []))).toThrow(OpShapeError);
  });

  it("counts calendar months as billing does", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2026-11-15", 3)).toBe("2027-02-15");
  });
});

describe("opLabel", () => {
  it("names the service and its id", () => {
    expect(opLabel(op("billmgr/service", "update", []))).toBe("shop-vps (service 101)");
    expect(opLabel(op("billmgr/service", "create", []))).toBe("shop-vps");
  });
});
