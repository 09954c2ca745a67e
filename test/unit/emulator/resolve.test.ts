import { describe, expect, it } from "vitest";
import { resolveMany, resolveSites } from "../../../src/emulator/apiscp/model/resolve.js";
import { Harness } from "./harness.js";

function group(): Harness {
  const h = new Harness();
  h.add("child1.example.com", "child1", { "billing.parent_invoice": "INV-1" });
  h.add("parent.example.com", "parent", { "billing.invoice": "INV-1", "aliases.aliases": ["shop.example.net"] });
  h.add("child2.example.com", "child2", { billing: { parent_invoice: "INV-1" } });
  h.add("other.example.com", "other", { "billing.invoice": "INV-2" });
  return h;
}

const ids = (sites: Array<{ id: number }>): number[] => sites.map((s) => s.id);

describe("resolving a site argument", () => {
  const sites = group().api.snapshot().sites;

  it("accepts siteN, the primary domain (any case) and an alias", () => {
    expect(ids(resolveSites(sites, "site3"))).toEqual([3]);
    expect(ids(resolveSites(sites, "parent.example.com"))).toEqual([2]);
    expect(ids(resolveSites(sites, "PARENT.Example.com"))).toEqual([2]);
    expect(ids(resolveSites(sites, "shop.example.net"))).toEqual([2]);
  });

  it("takes an invoice as the account group, parent first", () => {
    expect(ids(resolveSites(sites, "INV-1"))).toEqual([2, 1, 3]);
    expect(ids(resolveSites(sites, "INV-2"))).toEqual([4]);
  });

  it("faults on anything unknown, including a siteN that does not exist", () => {
    for (const spec of ["site99", "nowhere.example.com", "INV-9", "", "site012", "inv-1"]) {
      expect(() => resolveSites(sites, spec)).toThrow(`unknown site \`${spec}'`);
    }
  });

  it("unites several arguments, each site once, in id order", () => {
    expect(ids(resolveMany(sites, ["other.example.com", "INV-1", "site2"]))).toEqual([1, 2, 3, 4]);
  });
});
