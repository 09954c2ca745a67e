import { describe, expect, it } from "vitest";
import { DAY, Harness, T0 } from "./harness.js";

function threeSites(): Harness {
  const h = new Harness();
  h.add("a.example.com", "a", { "aliases.aliases": ["alias-a.example.com"] });
  h.add("b.example.com", "b");
  h.add("c.example.com", "c");
  return h;
}

describe("admin_deactivate_site and admin_activate_site", () => {
  it("suspends with a reason and time, and activates again", () => {
    const h = threeSites();
    expect(h.call("admin_deactivate_site", "a.example.com", { reason: "non-payment" })).toBe(true);
    expect(h.site(1)).toMatchObject({ active: false, suspendedAt: T0, suspendReason: "non-payment" });
    expect(h.ids({ active: false })).toEqual(["site1"]);
    expect(h.get("site1", "siteinfo.enabled")).toBe(0);
    h.now += 100;
    expect(h.call("admin_activate_site", "site1")).toBe(true);
    expect(h.site(1)).toMatchObject({ active: true, suspendedAt: null, suspendReason: null });
    expect(h.get("site1", "siteinfo.enabled")).toBe(1);
  });

  it("suspends without a reason", () => {
    const h = threeSites();
    h.call("admin_deactivate_site", "site2");
    expect(h.site(2)).toMatchObject({ active: false, suspendedAt: T0, suspendReason: null });
  });

  it("re-suspending succeeds, keeps the first time and takes a new reason only if one is given", () => {
    const h = threeSites();
    h.call("admin_deactivate_site", "site1", { reason: "first" });
    h.now += DAY;
    expect(h.call("admin_deactivate_site", "site1")).toBe(true);
    expect(h.site(1)).toMatchObject({ suspendedAt: T0, suspendReason: "first" });
    h.call("admin_deactivate_site", "site1", { reason: "second", template: "suspended.tpl" });
    expect(h.site(1)).toMatchObject({ suspendedAt: T0, suspendReason: "second" });
  });

  it("activating an active site succeeds", () => {
    expect(threeSites().call("admin_activate_site", "site1")).toBe(true);
  });

  it("acts on a whole invoice group", () => {
    const h = new Harness();
    h.add("p.example.com", "p", { "billing.invoice": "INV-1" });
    h.add("c.example.com", "c", { "billing.parent_invoice": "INV-1" });
    h.add("o.example.com", "o");
    h.call("admin_deactivate_site", "INV-1", { reason: "overdue" });
    expect(h.ids({ active: false })).toEqual(["site1", "site2"]);
    h.call("admin_activate_site", "INV-1");
    expect(h.ids({ active: false })).toEqual([]);
  });

  it("faults on unknown sites and bad flags", () => {
    const h = threeSites();
    expect(() => h.call("admin_deactivate_site", "site9")).toThrow("unknown site `site9'");
    expect(() => h.call("admin_activate_site", "x.example.com")).toThrow("unknown site `x.example.com'");
    expect(() => h.call("admin_deactivate_site", "site1", { reason: 5 })).toThrow(
      "admin_deactivate_site: flag `reason' must be a string, got 5",
    );
    expect(() => h.call("admin_deactivate_site", "site1", { why: "x" })).toThrow(/unknown flag `why'/);
    expect(() => h.call("admin_activate_site")).toThrow("admin_activate_site: missing argument site");
  });
});

describe("admin_delete_site", () => {
  it("deletes a named site, active or not, and frees its domain, aliases and admin user", () => {
    const h = threeSites();
    expect(h.call("admin_delete_site", "alias-a.example.com")).toBe(true);
    expect(h.call("admin_get_domains")).toEqual({ "2": "b.example.com", "3": "c.example.com" });
    expect(h.add("alias-a.example.com", "a")).toBe(4);
    expect(h.api.snapshot().nextSiteId).toBe(5); // ids are never reused
  });

  it("with since, deletes only sites suspended at or before the cut-off", () => {
    const h = threeSites();
    h.call("admin_deactivate_site", "site1"); // suspended at T0
    h.now = T0 + 1;
    h.call("admin_deactivate_site", "site2"); // one second later
    h.now = T0 + 30 * DAY;
    // Cut-off T0: site1 was suspended exactly then, site2 one second after, site3 is active.
    expect(h.call("admin_delete_site", null, { since: "30 days ago" })).toBe(true);
    expect(Object.keys(h.call("admin_get_domains") as object)).toEqual(["2", "3"]);
    h.now += 1;
    h.call("admin_delete_site", null, { since: "30 days ago" });
    expect(Object.keys(h.call("admin_get_domains") as object)).toEqual(["3"]);
  });

  it("with since=now, deletes every suspended site but never an active one", () => {
    const h = threeSites();
    h.call("admin_deactivate_site", "site2");
    h.call("admin_delete_site", null, { since: "now" });
    expect(h.ids()).toEqual(["site1", "site3"]);
  });

  it("accepts a unix time as number or string", () => {
    const h = threeSites();
    h.call("admin_deactivate_site", "site1");
    h.call("admin_delete_site", null, { since: T0 - 1 });
    expect(h.ids()).toHaveLength(3);
    h.call("admin_delete_site", null, { since: String(T0) });
    expect(h.ids()).toEqual(["site2", "site3"]);
  });

  it("with match, deletes only sites whose suspension reason matches", () => {
    const h = threeSites();
    h.call("admin_deactivate_site", "site1", { reason: "siteform: cancelled 2024-01-01" });
    h.call("admin_deactivate_site", "site2", { reason: "non-payment" });
    h.call("admin_deactivate_site", "site3");
    h.call("admin_delete_site", null, { since: "now", match: "/^SITEFORM:/i" });
    expect(h.ids()).toEqual(["site2", "site3"]);
    h.call("admin_delete_site", null, { since: "now", match: "payment" });
    expect(h.ids()).toEqual(["site3"]); // no reason: never matches
  });

  it("keeps a named site the filters exclude, answering true", () => {
    const h = threeSites();
    expect(h.call("admin_delete_site", "site1", { since: "now" })).toBe(true); // active
    h.call("admin_deactivate_site", "site1", { reason: "other" });
    expect(h.call("admin_delete_site", "site1", { since: "now", match: "cancel" })).toBe(true);
    h.now += 10;
    expect(h.call("admin_delete_site", "site1", { since: "1 hour ago" })).toBe(true); // too recent
    expect(h.ids()).toContain("site1");
    expect(h.call("admin_delete_site", "site1", { since: "now" })).toBe(true);
    expect(h.ids()).not.toContain("site1");
  });

  it("with force, skips the suspension check for a named site but still honours match", () => {
    const h = threeSites();
    h.call("admin_delete_site", "site1", { since: "now", force: true });
    expect(h.ids()).toEqual(["site2", "site3"]);
    h.call("admin_delete_site", "site2", { since: "now", force: 1, match: "cancel" });
    expect(h.ids()).toEqual(["site2", "site3"]);
  });

  it("deletes an invoice group, filtered per site", () => {
    const h = new Harness();
    h.add("p.example.com", "p", { "billing.invoice": "INV-1" });
    h.add("c.example.com", "c", { "billing.parent_invoice": "INV-1" });
    h.add("o.example.com", "o");
    h.call("admin_deactivate_site", "site2");
    h.call("admin_delete_site", "INV-1", { since: "now" });
    expect(h.ids()).toEqual(["site1", "site3"]);
    h.call("admin_delete_site", "INV-1");
    expect(h.ids()).toEqual(["site3"]);
  });

  it("with dry-run changes nothing", () => {
    const h = threeSites();
    const before = h.api.snapshot();
    expect(h.call("admin_delete_site", "site1", { "dry-run": true })).toBe(true);
    expect(h.api.snapshot()).toEqual(before);
  });

  it("refuses a null site without since, or with force", () => {
    const h = threeSites();
    expect(() => h.call("admin_delete_site", null)).toThrow(
      "admin_delete_site: a since filter is required when no site is named",
    );
    expect(() => h.call("admin_delete_site")).toThrow(/since filter is required/);
    expect(() => h.call("admin_delete_site", null, { match: "x" })).toThrow(/since filter is required/);
    expect(() => h.call("admin_delete_site", null, { since: "now", force: true })).toThrow(/force needs a named site/);
    expect(h.ids()).toHaveLength(3);
  });

  it("faults on an unknown site or bad filters", () => {
    const h = threeSites();
    expect(() => h.call("admin_delete_site", "site9")).toThrow("unknown site `site9'");
    expect(() => h.call("admin_delete_site", "site1", { since: "soon" })).toThrow(/invalid since "soon"/);
    expect(() => h.call("admin_delete_site", "site1", { match: "(" })).toThrow(/invalid match pattern/);
    expect(h.ids()).toHaveLength(3);
  });
});
