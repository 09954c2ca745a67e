import { describe, expect, it } from "vitest";
import type { SiteRecord } from "../../../src/emulator/apiscp/api.js";
import { NameIndex } from "../../../src/emulator/apiscp/model/uniqueness.js";
import { Harness } from "./harness.js";

function site(
  id: number,
  domain: string,
  admin: string,
  aliases: string[] = [],
  invoice: string | null = null,
): SiteRecord {
  return {
    id,
    services: { siteinfo: { domain, admin_user: admin }, aliases: { aliases }, billing: { invoice } },
    active: true,
    suspendedAt: null,
    suspendReason: null,
    createdAt: 0,
    overrides: [],
    usage: { storageKb: 0, bandwidthBytes: 0 },
  };
}

describe("NameIndex", () => {
  const index = NameIndex.of([
    site(1, "a.example.com", "a", ["x.example.com"], "INV-1"),
    site(2, "b.example.com", "b"),
  ]);

  it("refuses a site taking any held name", () => {
    expect(() => index.assertUnique([site(3, "b.example.com", "c")], new Set())).toThrow(
      "domain `b.example.com' already exists (site2)",
    );
    expect(() => index.assertUnique([site(3, "c.example.com", "a")], new Set())).toThrow(
      "admin user `a' already exists (site1)",
    );
    expect(() => index.assertUnique([site(3, "c.example.com", "c", [], "INV-1")], new Set())).toThrow(
      "billing invoice `INV-1' is already in use by site1",
    );
    expect(() => index.assertUnique([site(3, "c.example.com", "c", ["X.example.com"])], new Set())).toThrow(
      "alias `x.example.com' is already in use by site1",
    );
  });

  it("ignores what it remembers of sites being changed, but not their new names", () => {
    // site1 renamed away from a.example.com: site3 may take it in the same call.
    const renamed = site(1, "renamed.example.com", "a", ["x.example.com"], "INV-1");
    expect(() => index.assertUnique([renamed, site(3, "a.example.com", "c")], new Set([1, 3]))).not.toThrow();
    // Two changed sites taking one name: the later one is refused.
    expect(() =>
      index.assertUnique([site(1, "same.example.com", "a"), site(2, "same.example.com", "b")], new Set([1, 2])),
    ).toThrow("domain `same.example.com' already exists (site1)");
  });

  it("forgets a removed site's names and keeps names another site holds", () => {
    const names = NameIndex.of([site(1, "a.example.com", "a")]);
    names.remove(site(1, "a.example.com", "a"));
    expect(names.host("a.example.com")).toBeUndefined();
    names.add(site(2, "a.example.com", "b"));
    names.remove(site(1, "a.example.com", "a"));
    expect(names.host("a.example.com")).toEqual({ id: 2, kind: "domain" });
  });
});

describe("the live index through the API", () => {
  it("is unchanged by dry runs and faulted calls, and follows renames and deletions", () => {
    const h = new Harness();
    h.add("a.example.com", "a");
    h.call("admin_edit_site", "site1", { "siteinfo.domain": "b.example.com" }, { "dry-run": true });
    expect(() => h.call("admin_add_site", "a.example.com", "x")).toThrow(/already exists \(site1\)/);
    const halfBad = { "siteinfo.domain": "c.example.com", "cgroup.proclimit": -1 };
    expect(() => h.call("admin_edit_site", "site1", halfBad)).toThrow(/cgroup\.proclimit/);
    expect(h.add("c.example.com", "c")).toBe(2);
    h.call("admin_edit_site", "site1", { "siteinfo.domain": "d.example.com", "siteinfo.admin_user": "d" });
    expect(h.add("a.example.com", "a")).toBe(3);
    h.call("admin_delete_site", "site3");
    expect(h.add("a.example.com", "a")).toBe(4);
    expect(() => h.call("admin_add_site", "d.example.com", "z")).toThrow(
      "domain `d.example.com' already exists (site1)",
    );
  });
});
