/**
 * The ApisCP provider's pure reading of collect rows: which params it asks for, how a row
 * becomes an ObservedSite (identity lifted out, requested fields only, absent stays absent),
 * tolerance for shapes a real server may send, and the id order.
 */
import { describe, expect, it } from "vitest";
import { byIdOrder, collectParams, observedSite, observedSites, requestedFields } from "../../../src/providers/apiscp/observe.js";
import type { CollectedSite } from "../../../src/providers/apiscp/results.js";

function row(services: CollectedSite["services"], domain = "a.example", active = true): CollectedSite {
  return { services, active, domain };
}

describe("collect params", () => {
  it("adds the identity fields, sorted and without duplicates", () => {
    expect(collectParams(["diskquota.quota", "siteinfo.admin_user", "diskquota.quota", "ssh.enabled"])).toEqual([
      "aliases.aliases",
      "billing.invoice",
      "billing.parent_invoice",
      "diskquota.quota",
      "siteinfo.admin_user",
      "siteinfo.plan",
      "ssh.enabled",
    ]);
  });

  it("reports the requested fields alone, sorted and deduplicated", () => {
    expect(requestedFields(["ssh.enabled", "diskquota.quota", "ssh.enabled"])).toEqual(["diskquota.quota", "ssh.enabled"]);
  });
});

describe("id order", () => {
  it("orders by the number, not the text, with odd ids last", () => {
    expect(["site10", "other", "site2", "site1"].sort(byIdOrder)).toEqual(["site1", "site2", "site10", "other"]);
  });
});

describe("a row as an ObservedSite", () => {
  const full = row({
    siteinfo: { admin_user: "acme", plan: "business", email: ["a@x.example", "b@x.example"] },
    aliases: { aliases: ["www.a.example"] },
    billing: { invoice: "INV-1", parent_invoice: null },
    diskquota: { quota: 25, units: "GB" },
  });

  it("lifts identity out and keeps exactly the requested fields", () => {
    const site = observedSite("fra1", "site3", full, ["diskquota.quota", "siteinfo.email"]);
    expect(site).toEqual({
      server: "fra1",
      id: "site3",
      domain: "a.example",
      adminUser: "acme",
      aliases: ["www.a.example"],
      invoice: "INV-1",
      parentInvoice: null,
      plan: "business",
      active: true,
      services: { diskquota: { quota: 25 }, siteinfo: { email: ["a@x.example", "b@x.example"] } },
    });
  });

  it("leaves a field the server did not report absent, and keeps a reported null", () => {
    const site = observedSite("fra1", "site3", full, ["ssh.enabled", "diskquota.enabled", "billing.parent_invoice"]);
    expect(site.services).toEqual({ billing: { parent_invoice: null } });
    expect(Object.hasOwn(site.services, "ssh")).toBe(false);
  });

  it("takes a bare service as all of its parameters", () => {
    expect(observedSite("fra1", "site3", full, ["diskquota"]).services).toEqual({ diskquota: { quota: 25, units: "GB" } });
  });

  it("reads identity values a real server may shape differently", () => {
    const odd = row({ siteinfo: { admin_user: "" }, aliases: { aliases: "www.a.example, shop.a.example" }, billing: { invoice: 1234 } }, "a.example", false);
    const site = observedSite("fra1", "site9", odd, []);
    expect(site).toMatchObject({ adminUser: null, aliases: ["www.a.example", "shop.a.example"], invoice: "1234", parentInvoice: null, plan: null, active: false });
    expect(site.services).toEqual({});
  });

  it("gives aliases as [] when the server reports none", () => {
    expect(observedSite("fra1", "site1", row({ aliases: { aliases: null } }), []).aliases).toEqual([]);
  });

  it("returns every row in id order", () => {
    const rows = { site10: row({}, "ten.example"), site2: row({}, "two.example"), site1: row({}, "one.example") };
    expect(observedSites("fra1", rows, []).map((s) => [s.id, s.domain])).toEqual([
      ["site1", "one.example"],
      ["site2", "two.example"],
      ["site10", "ten.example"],
    ]);
  });
});
