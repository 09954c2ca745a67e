import { describe, expect, it } from "vitest";
import { Harness } from "./harness.js";

function withUsage(): Harness {
  const seed = new Harness();
  seed.add("a.example.com", "a", { diskquota: { quota: 2, units: "GB" }, bandwidth: { threshold: 500, units: "MB" } });
  seed.add("b.example.com", "b", { "diskquota.enabled": 0, "bandwidth.threshold": null, "billing.invoice": "INV-1" });
  seed.add("c.example.com", "c", { "diskquota.quota": 1.5, "diskquota.units": "MB" });
  const state = seed.api.snapshot();
  state.sites.forEach((site, i) => (site.usage = { storageKb: 1000 * (i + 1), bandwidthBytes: 12345 * (i + 1) }));
  return new Harness(state);
}

describe("admin_get_usage", () => {
  it("reports storage in KB: used and the hard limit from quota and units", () => {
    expect(withUsage().call("admin_get_usage", "storage")).toEqual({
      site1: { qused: 1000, qhard: 2 * 1024 * 1024 },
      site2: { qused: 2000, qhard: 0 }, // quota off: no limit
      site3: { qused: 3000, qhard: 1536 },
    });
  });

  it("reports bandwidth in bytes: the sum and the threshold", () => {
    expect(withUsage().call("admin_get_usage", "bandwidth", ["a.example.com", "INV-1"])).toEqual({
      site1: { sum: 12345, threshold: 500 * 1024 * 1024 },
      site2: { sum: 24690, threshold: 0 }, // unlimited
    });
  });

  it("starts new sites at zero usage and answers an empty map without sites", () => {
    const h = new Harness();
    expect(h.call("admin_get_usage", "storage")).toEqual({});
    h.add("a.example.com", "a");
    expect(h.call("admin_get_usage", "storage", [])).toEqual({ site1: { qused: 0, qhard: 5 * 1024 * 1024 } });
  });

  it("faults on an unknown field or site", () => {
    const h = withUsage();
    expect(() => h.call("admin_get_usage", "inodes")).toThrow(
      "unknown usage field `inodes': expected storage or bandwidth",
    );
    expect(() => h.call("admin_get_usage")).toThrow("admin_get_usage: missing argument field");
    expect(() => h.call("admin_get_usage", "storage", ["site9"])).toThrow("unknown site `site9'");
  });
});
