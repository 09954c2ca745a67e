import { describe, expect, it } from "vitest";
import {
  ResultShapeError,
  readBandwidthUsage,
  readCollect,
  readDomains,
  readServices,
  readSiteId,
  readStorageUsage,
  readStringList,
} from "../../../src/providers/apiscp/results.js";

describe("reading results defensively", () => {
  it("collect: splits active/domain from the services; [] and null are no sites", () => {
    expect(
      readCollect({
        site12: { siteinfo: { domain: "a.com", email: ["x@a.com"] }, aliases: { aliases: [] }, billing: [], active: true, domain: "a.com" },
        site14: { siteinfo: { domain: "b.com" }, active: "0", domain: "b.com" },
      }),
    ).toEqual({
      site12: { services: { siteinfo: { domain: "a.com", email: ["x@a.com"] }, aliases: { aliases: [] }, billing: {} }, active: true, domain: "a.com" },
      site14: { services: { siteinfo: { domain: "b.com" } }, active: false, domain: "b.com" },
    });
    expect(readCollect([])).toEqual({});
    expect(readCollect(null)).toEqual({});
  });

  it("collect: domain falls back to siteinfo.domain; a missing active or a scalar service is refused", () => {
    expect(readCollect({ site1: { siteinfo: { domain: "a.com" }, active: true } }).site1?.domain).toBe("a.com");
    expect(() => readCollect({ site1: { siteinfo: {}, domain: "a" } })).toThrow(/no "active"/);
    expect(() => readCollect({ site1: { siteinfo: "oops", active: true, domain: "a" } })).toThrow(ResultShapeError);
    expect(() => readCollect("nope")).toThrow(ResultShapeError);
  });

  it("domains: an int-keyed map, or a list whose index is the id", () => {
    expect(readDomains({ "12": "a.com", "14": "b.com" })).toEqual(new Map([[12, "a.com"], [14, "b.com"]]));
    expect(readDomains(["a.com", "b.com"])).toEqual(new Map([[0, "a.com"], [1, "b.com"]]));
    expect(readDomains({ site3: "c.com" })).toEqual(new Map([[3, "c.com"]]));
    expect(readDomains([])).toEqual(new Map());
    expect(() => readDomains({ x: "a" })).toThrow(ResultShapeError);
  });

  it("site id: int, numeric string, siteN; null or false when unknown", () => {
    expect(readSiteId(12)).toBe(12);
    expect(readSiteId("12")).toBe(12);
    expect(readSiteId("site12")).toBe(12);
    expect(readSiteId(null)).toBeNull();
    expect(readSiteId(false)).toBeNull();
    expect(() => readSiteId([1])).toThrow(ResultShapeError);
  });

  it("usage: numbers (numeric strings and null accepted)", () => {
    expect(readStorageUsage({ site1: { qused: 1024, qhard: "5120" }, site2: { qused: 0, qhard: null } })).toEqual({
      site1: { qused: 1024, qhard: 5120 },
      site2: { qused: 0, qhard: 0 },
    });
    expect(readBandwidthUsage({ site1: { sum: 1.5e9, threshold: 0 } })).toEqual({ site1: { sum: 1.5e9, threshold: 0 } });
    expect(readStorageUsage([])).toEqual({});
    expect(() => readStorageUsage({ site1: { qused: "lots", qhard: 1 } })).toThrow(ResultShapeError);
    // A limit left out is no limit; an amount left out is no answer.
    expect(readStorageUsage({ site1: { qused: 10 } })).toEqual({ site1: { qused: 10, qhard: 0 } });
    expect(readBandwidthUsage({ site1: { sum: 10 } })).toEqual({ site1: { sum: 10, threshold: 0 } });
    expect(() => readBandwidthUsage({ site1: { threshold: 10 } })).toThrow(ResultShapeError);
  });

  it("plans: a list of names (a map with holes too); a plan is service → params", () => {
    expect(readStringList(["basic", "premium"], "plans")).toEqual(["basic", "premium"]);
    expect(readStringList({ "0": "basic", "2": "premium" }, "plans")).toEqual(["basic", "premium"]);
    expect(readStringList(null, "plans")).toEqual([]);
    expect(readServices({ siteinfo: { plan: "basic" }, ssh: [] }, "plan")).toEqual({ siteinfo: { plan: "basic" }, ssh: {} });
  });

  it("a __proto__ service or site is kept as data", () => {
    const services = readServices(Object.fromEntries([["__proto__", { a: 1 }]]), "plan");
    expect(Object.getPrototypeOf(services)).toBe(Object.prototype);
    expect(Object.keys(services)).toEqual(["__proto__"]);
  });
});
