import { describe, expect, it } from "vitest";
import type { SoapMap } from "../../../src/providers/apiscp/wire/value.js";
import { allParams } from "../../../src/emulator/apiscp/model/catalog.js";
import { Harness } from "./harness.js";

function twoSites(): Harness {
  const h = new Harness();
  h.add("a.example.com", "a", {
    "auth.tpasswd": "a-long-password",
    "dns.key": "cf-api-key-123",
    "billing.invoice": "INV-1",
    "aliases.aliases": ["www.a.example.net"],
  });
  h.add("b.example.com", "b", { "billing.parent_invoice": "INV-1", "siteinfo.email": ["x@b.example.com"] });
  return h;
}

describe("admin_collect params", () => {
  it("[] and an absent params answer the default set, plus active and domain", () => {
    const h = twoSites();
    const expected = {
      site1: {
        siteinfo: { email: "blackhole@apiscp.com", admin_user: "a" },
        aliases: { aliases: ["www.a.example.net"] },
        billing: { invoice: "INV-1", parent_invoice: null },
        active: true,
        domain: "a.example.com",
      },
      site2: {
        siteinfo: { email: ["x@b.example.com"], admin_user: "b" },
        aliases: { aliases: [] },
        billing: { invoice: null, parent_invoice: "INV-1" },
        active: true,
        domain: "b.example.com",
      },
    };
    expect(h.collect([])).toEqual(expected);
    expect(h.call("admin_collect")).toEqual(expected);
  });

  it("null answers every service with every parameter except secrets", () => {
    const h = twoSites();
    const site = h.collect(null).site1 as Record<string, SoapMap>;
    const expected = allParams().filter((p) => !p.spec.secret);
    for (const { service, param } of expected) expect(site[service]).toHaveProperty(param);
    expect(site.auth).toBeUndefined();
    expect(site.dns).toEqual({ enabled: 1, provider: "builtin" });
    expect(site.mail).toEqual({ enabled: 1, provider: "builtin" });
    expect(site.siteinfo?.enabled).toBe(1);
    expect(site.mysql).toEqual({ enabled: 1, dbaseprefix: "a_", dbasenum: 10 });
  });

  it("takes dotted and bare entries, in the order given", () => {
    const h = twoSites();
    expect(h.collect(["diskquota.quota", "ssh"], null, ["site1"])).toEqual({
      site1: { diskquota: { quota: 5 }, ssh: { enabled: 1 }, active: true, domain: "a.example.com" },
    });
    expect(h.collect(["siteinfo.domain", "siteinfo.domain"], null, ["site2"])).toEqual({
      site2: { siteinfo: { domain: "b.example.com" }, active: true, domain: "b.example.com" },
    });
  });

  it("answers a secret that is asked for as null, never its value", () => {
    const h = twoSites();
    const answer = h.collect(["auth", "dns.key", "mail"], null, ["site1"]);
    expect(answer.site1).toEqual({
      auth: { tpasswd: null, cpasswd: null },
      dns: { key: null },
      mail: { enabled: 1, provider: "builtin", key: null },
      active: true,
      domain: "a.example.com",
    });
    const everything = JSON.stringify([h.collect(null), answer, h.collect(["auth", "dns", "mail"])]);
    expect(everything).not.toContain("a-long-password");
    expect(everything).not.toContain("cf-api-key-123");
    expect(everything).not.toContain("sealed:");
  });

  it("faults on unknown services and parameters, and on bad shapes", () => {
    const h = twoSites();
    expect(() => h.collect(["nosuch"])).toThrow("unknown service `nosuch'");
    expect(() => h.collect(["siteinfo.colour"])).toThrow("unknown service parameter `siteinfo.colour'");
    expect(() => h.collect(["diskquota,quota"])).toThrow("unknown service `diskquota,quota'");
    expect(() => h.collect([5])).toThrow("params entry 5 must be a string");
    expect(() => h.collect({ siteinfo: "domain" })).toThrow(/^argument params must be a list/);
  });
});

describe("admin_collect sites", () => {
  it("restricts to ids, domains, aliases and invoices; null and [] mean all", () => {
    const h = twoSites();
    h.add("c.example.com", "c");
    expect(h.ids(null, ["site3"])).toEqual(["site3"]);
    expect(h.ids(null, ["www.a.example.net", "c.example.com"])).toEqual(["site1", "site3"]);
    expect(h.ids(null, ["INV-1"])).toEqual(["site1", "site2"]);
    expect(h.ids(null, [])).toEqual(["site1", "site2", "site3"]);
    expect(h.ids(null, null)).toEqual(["site1", "site2", "site3"]);
  });

  it("combines the restriction with the query", () => {
    const h = twoSites();
    expect(h.ids({ "billing.parent_invoice": "INV-1" }, ["INV-1"])).toEqual(["site2"]);
  });

  it("faults on an unknown site or a non-list", () => {
    const h = twoSites();
    expect(() => h.collect([], null, ["site9"])).toThrow("unknown site `site9'");
    expect(() => h.collect([], null, "site1")).toThrow(
      "admin_collect: argument sites must be a list of strings, got \"site1\"",
    );
    expect(() => h.collect([], null, [1])).toThrow(/argument sites must be a list of strings/);
  });
});

describe("admin_collect answers", () => {
  it("answers an empty map when nothing matches or no site exists", () => {
    expect(new Harness().collect([])).toEqual({});
    expect(twoSites().collect([], { "billing.invoice": "INV-404" })).toEqual({});
  });

  it("reports suspension as active: false", () => {
    const h = twoSites();
    h.call("admin_deactivate_site", "site2");
    expect((h.collect([]).site2 as SoapMap).active).toBe(false);
  });

  it("hands out copies: changing an answer changes nothing on the server", () => {
    const h = twoSites();
    const answer = h.collect(["aliases.aliases"]);
    (((answer.site1 as SoapMap).aliases as SoapMap).aliases as string[]).push("evil.example.com");
    expect(h.get("site1", "aliases.aliases")).toEqual(["www.a.example.net"]);
  });
});
