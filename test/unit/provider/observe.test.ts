/**
 * The ApisCP provider's pure reading of collect rows: which params it asks for, how a row
 * becomes an ObservedResource (requested fields only, the domain always, absent stays absent),
 * tolerance for shapes a real server may send, and the id order.
 */
import { describe, expect, it } from "vitest";
import { byIdOrder, collectParams, observedSite, observedSites, requestedFields } from "../../../src/providers/apiscp/observe.js";
import type { CollectedSite } from "../../../src/providers/apiscp/results.js";
import { keyValues, valueAt } from "../../../src/kinds/values.js";
import { catalogueOf } from "../../../src/providers/registry.js";

const CATALOGUE = catalogueOf();

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

describe("a row as an ObservedResource", () => {
  const full = row({
    siteinfo: { admin_user: "acme", plan: "business", email: ["a@x.example", "b@x.example"] },
    aliases: { aliases: ["www.a.example"] },
    billing: { invoice: "INV-1", parent_invoice: null },
    diskquota: { quota: 25, units: "GB" },
  });
  const site = CATALOGUE.kind("apiscp/site");
  const keyOf = (name: string) => site.key(name);

  it("keeps exactly the requested fields, with the domain always among them", () => {
    const observed = observedSite("fra1", "site3", full, ["diskquota.quota", "siteinfo.email"]);
    expect(observed).toEqual({
      server: "fra1",
      kind: "apiscp/site",
      id: "site3",
      name: "a.example",
      state: "active",
      fields: { diskquota: { quota: 25 }, siteinfo: { email: ["a@x.example", "b@x.example"], domain: "a.example" } },
    });
  });

  it("keeps the identity fields as fields when they are asked for (collect asks for them)", () => {
    const observed = observedSite("fra1", "site3", full, collectParams([]));
    expect(observed.fields).toEqual({
      siteinfo: { admin_user: "acme", plan: "business", domain: "a.example" },
      aliases: { aliases: ["www.a.example"] },
      billing: { invoice: "INV-1", parent_invoice: null },
    });
    expect(keyValues(keyOf("admin_user"), observed.fields)).toEqual(["acme"]);
    expect(keyValues(keyOf("aliases"), observed.fields)).toEqual(["www.a.example"]);
    expect(keyValues(keyOf("invoice"), observed.fields)).toEqual(["INV-1"]);
  });

  it("leaves a field the server did not report absent, and keeps a reported null", () => {
    const observed = observedSite("fra1", "site3", full, ["ssh.enabled", "diskquota.enabled", "billing.parent_invoice"]);
    expect(observed.fields).toEqual({ billing: { parent_invoice: null }, siteinfo: { domain: "a.example" } });
    expect(Object.hasOwn(observed.fields, "ssh")).toBe(false);
  });

  it("takes a bare service as all of its parameters", () => {
    expect(observedSite("fra1", "site3", full, ["diskquota"]).fields.diskquota).toEqual({ quota: 25, units: "GB" });
  });

  it("keeps identity values a real server may shape differently, which the kind's keys still read", () => {
    const odd = row({ siteinfo: { admin_user: "" }, aliases: { aliases: "www.a.example, shop.a.example" }, billing: { invoice: 1234 } }, "a.example", false);
    const observed = observedSite("fra1", "site9", odd, collectParams([]));
    expect(observed).toMatchObject({ name: "a.example", state: "suspended" });
    expect(keyValues(keyOf("admin_user"), observed.fields)).toEqual([]);
    expect(keyValues(keyOf("aliases"), observed.fields)).toEqual(["www.a.example", "shop.a.example"]);
    expect(keyValues(keyOf("invoice"), observed.fields)).toEqual(["1234"]);
    expect(valueAt(observed.fields, "siteinfo.plan")).toBeUndefined();
    expect(observedSite("fra1", "site9", odd, []).fields).toEqual({ siteinfo: { domain: "a.example" } });
  });

  it("reads no aliases when the server reports none", () => {
    expect(keyValues(keyOf("aliases"), observedSite("fra1", "site1", row({ aliases: { aliases: null } }), ["aliases.aliases"]).fields)).toEqual([]);
  });

  it("returns every row in id order", () => {
    const rows = { site10: row({}, "ten.example"), site2: row({}, "two.example"), site1: row({}, "one.example") };
    expect(observedSites("fra1", rows, []).map((s) => [s.id, s.name])).toEqual([
      ["site1", "one.example"],
      ["site2", "two.example"],
      ["site10", "ten.example"],
    ]);
  });
});
