import { describe, expect, it } from "vitest";
import { Harness } from "./harness.js";

describe("admin_add_site", () => {
  it("creates siteN from the default plan with the contract's defaults and answers true", () => {
    const h = new Harness();
    expect(h.call("admin_add_site", "example.com", "bob")).toBe(true);
    expect(h.collect([])).toEqual({
      site1: {
        siteinfo: { email: "blackhole@apiscp.com", admin_user: "bob" },
        aliases: { aliases: [] },
        billing: { invoice: null, parent_invoice: null },
        active: true,
        domain: "example.com",
      },
    });
    const site = h.site(1);
    expect(site.services.siteinfo?.plan).toBe("basic");
    expect(site.services.diskquota).toEqual({ enabled: 1, quota: 5, units: "GB" });
    expect(site.services.mysql?.dbaseprefix).toBe("bob_");
    expect(site.createdAt).toBe(h.now);
    expect(site.overrides).toEqual([]);
    expect(h.api.snapshot().nextSiteId).toBe(2);
  });

  it("generates a password when none is given, stored sealed", () => {
    const h = new Harness();
    h.add("example.com", "bob");
    expect(h.site(1).services.auth?.cpasswd).toMatch(/^sealed:sha256:[0-9a-f]{64}$/);
    h.add("example.org", "alice", { "auth.tpasswd": "s3cret-pass" });
    expect(h.site(2).services.auth?.cpasswd).toBeNull();
    expect(JSON.stringify(h.api.snapshot())).not.toContain("s3cret-pass");
  });

  it("selects the plan from flags.plan or siteinfo.plan and records explicit options as overrides", () => {
    const h = new Harness();
    h.add("a.example.com", "a", {}, { plan: "starter" });
    h.add("b.example.com", "b", { "siteinfo.plan": "business", "diskquota.quota": "40" });
    expect(h.get("site1", "diskquota.quota")).toBe(1);
    expect(h.get("site2", "diskquota.quota")).toBe(40);
    expect(h.get("site2", "cgroup.memory")).toBe(2048);
    expect(h.site(2).overrides).toEqual(["siteinfo.plan", "diskquota.quota"]);
  });

  it("faults on an unknown plan or a plan given two different ways", () => {
    const h = new Harness();
    expect(() => h.call("admin_add_site", "a.example.com", "a", {}, { plan: "gold" })).toThrow("unknown plan `gold'");
    const opts = { "siteinfo.plan": "basic" };
    expect(() => h.call("admin_add_site", "a.example.com", "a", opts, { plan: "starter" })).toThrow(
      "flag plan `starter' conflicts with siteinfo.plan `basic'",
    );
    expect(h.api.snapshot().sites).toEqual([]);
  });

  it("keeps domains, aliases and admin users unique, case-insensitively", () => {
    const h = new Harness();
    h.add("example.com", "bob", { "aliases.aliases": ["shop.example.com"] });
    const add = (domain: string, admin: string, opts = {}) => () => h.call("admin_add_site", domain, admin, opts);
    expect(add("EXAMPLE.com", "alice")).toThrow("domain `example.com' already exists (site1)");
    expect(add("Shop.Example.com", "alice")).toThrow(
      "domain `shop.example.com' is already in use as an alias of site1",
    );
    expect(add("new.example.com", "alice", { "aliases.aliases": ["example.com"] })).toThrow(
      "alias `example.com' already exists as the domain of site1",
    );
    expect(add("new.example.com", "alice", { "aliases.aliases": ["SHOP.example.com"] })).toThrow(
      "alias `shop.example.com' is already in use by site1",
    );
    expect(add("new.example.com", "bob")).toThrow("admin user `bob' already exists (site1)");
    expect(add("new.example.com", "alice", { "aliases.aliases": ["new.example.com"] })).toThrow(
      "alias `new.example.com' is the site's own domain",
    );
    expect(h.api.snapshot().sites).toHaveLength(1);
    expect(h.api.snapshot().nextSiteId).toBe(2); // a refused add consumes no id
  });

  it("keeps billing invoices unique", () => {
    const h = new Harness();
    h.add("a.example.com", "a", { "billing.invoice": "INV-1" });
    expect(() => h.call("admin_add_site", "b.example.com", "b", { "billing.invoice": "INV-1" })).toThrow(
      "billing invoice `INV-1' is already in use by site1",
    );
    const own = { billing: { invoice: "X", parent_invoice: "X" } };
    expect(() => h.call("admin_add_site", "b.example.com", "b", own)).toThrow(
      "`billing.parent_invoice': `X' is the site's own billing.invoice",
    );
  });

  it("refuses opts contradicting the domain and admin_user arguments", () => {
    const h = new Harness();
    expect(() => h.call("admin_add_site", "a.example.com", "a", { "siteinfo.domain": "b.example.com" })).toThrow(
      "`siteinfo.domain' `b.example.com' conflicts with the domain argument `a.example.com'",
    );
    expect(() => h.call("admin_add_site", "a.example.com", "a", { "siteinfo.admin_user": "a" })).not.toThrow();
  });

  it("validates the arguments and every option, naming what is wrong", () => {
    const h = new Harness();
    expect(() => h.call("admin_add_site", "not a domain", "a")).toThrow(/for `siteinfo\.domain'/);
    expect(() => h.call("admin_add_site", "a.example.com", "Root!")).toThrow(/for `siteinfo\.admin_user'/);
    expect(() => h.call("admin_add_site", 5, "a")).toThrow("admin_add_site: argument domain must be a string, got 5");
    expect(() => h.call("admin_add_site", "a.example.com")).toThrow("admin_add_site: missing argument admin_user");
    expect(() => h.call("admin_add_site", "a.example.com", "a", { "ftp.enabled": "maybe" })).toThrow(/`ftp\.enabled'/);
    expect(() => h.call("admin_add_site", "a.example.com", "a", {}, { bootstrap: "x" })).toThrow(
      /admin_add_site: flag `bootstrap' expected a boolean/,
    );
    expect(() => h.call("admin_add_site", "a.example.com", "a", {}, { nonsense: 1 })).toThrow(
      "admin_add_site: unknown flag `nonsense' (accepted: plan, force, bootstrap, notify)",
    );
  });

  it("checks the alias limit and switch of the finished configuration", () => {
    const h = new Harness();
    expect(() =>
      h.call(
        "admin_add_site",
        "a.example.com",
        "a",
        { "aliases.aliases": ["b.example.com", "c.example.com"] },
        { plan: "starter" },
      ),
    ).toThrow("`aliases.aliases': 2 aliases exceed aliases.max 1");
    expect(() =>
      h.call("admin_add_site", "a.example.com", "a", { aliases: { enabled: 0, aliases: ["b.example.com"] } }),
    ).toThrow(/aliases are disabled/);
  });
});

describe("admin_edit_site", () => {
  it("renames in place: the id stays and the old domain is free again", () => {
    const h = new Harness();
    h.add("old.example.com", "bob");
    expect(h.call("admin_edit_site", "old.example.com", { "siteinfo.domain": "New.example.com" })).toBe(true);
    expect(h.call("admin_get_domains")).toEqual({ "1": "new.example.com" });
    expect(h.call("admin_get_site_id_from_domain", "old.example.com")).toBeNull();
    expect(h.add("old.example.com", "alice")).toBe(2);
  });

  it("refuses a rename onto a taken domain or alias, and renames the admin user uniquely", () => {
    const h = new Harness();
    h.add("a.example.com", "a", { "aliases.aliases": ["x.example.com"] });
    h.add("b.example.com", "b");
    expect(() => h.call("admin_edit_site", "site2", { "siteinfo.domain": "a.example.com" })).toThrow(
      "domain `a.example.com' already exists (site1)",
    );
    expect(() => h.call("admin_edit_site", "site2", { "siteinfo.domain": "x.example.com" })).toThrow(/alias of site1/);
    expect(() => h.call("admin_edit_site", "site2", { "siteinfo.admin_user": "a" })).toThrow(
      "admin user `a' already exists (site1)",
    );
    h.call("admin_edit_site", "site2", { "siteinfo.admin_user": "bee" });
    expect(h.get("site2", "siteinfo.admin_user")).toBe("bee");
    expect(h.get("site2", "siteinfo.domain")).toBe("b.example.com");
  });

  it("swapping aliases between sites works only in an order that frees them first", () => {
    const h = new Harness();
    h.add("a.example.com", "a", { "aliases.aliases": ["x.example.com"] });
    h.add("b.example.com", "b");
    expect(() => h.call("admin_edit_site", "site2", { "aliases.aliases": ["x.example.com"] })).toThrow(
      "alias `x.example.com' is already in use by site1",
    );
    h.call("admin_edit_site", "site1", { "aliases.aliases": [] });
    h.call("admin_edit_site", "site2", { "aliases.aliases": ["x.example.com"] });
    expect(h.call("admin_get_site_id_from_domain", "x.example.com")).toBe(2);
  });

  it("replaces the whole alias list", () => {
    const h = new Harness();
    h.add("a.example.com", "a", { "aliases.aliases": ["one.example.com", "two.example.com"] });
    h.call("admin_edit_site", "site1", { aliases: { aliases: ["three.example.com"] } });
    expect(h.get("site1", "aliases.aliases")).toEqual(["three.example.com"]);
    expect(h.call("admin_get_site_id_from_domain", "one.example.com")).toBeNull();
  });

  it("applying a plan changes only what the site did not override", () => {
    const h = new Harness();
    h.add("a.example.com", "a", { "diskquota.quota": 7 }, { plan: "starter" });
    h.call("admin_edit_site", "site1", { "siteinfo.plan": "business" });
    expect(h.get("site1", "diskquota.quota")).toBe(7); // overridden: kept
    expect(h.get("site1", "cgroup.memory")).toBe(2048); // plan default: changed
    expect(h.get("site1", "ssh.enabled")).toBe(1); // starter's 0 gives way to basic's 1
    expect(h.site(1).services.siteinfo?.plan).toBe("business");
  });

  it("with reset, puts every plan parameter back and forgets those overrides, keeping per-site ones", () => {
    const h = new Harness();
    h.add("a.example.com", "a", {
      "diskquota.quota": 7,
      "aliases.aliases": ["x.example.com"],
      "billing.invoice": "INV-1",
      "auth.tpasswd": "long-enough",
    });
    const auth = h.site(1).services.auth;
    h.call("admin_edit_site", "site1", { "siteinfo.plan": "business" }, { reset: true });
    expect(h.get("site1", "diskquota.quota")).toBe(25);
    expect(h.get("site1", "aliases.aliases")).toEqual(["x.example.com"]);
    expect(h.get("site1", "billing.invoice")).toBe("INV-1");
    expect(h.site(1).services.auth).toEqual(auth);
    expect(h.site(1).overrides).toEqual(["aliases.aliases", "billing.invoice", "auth.tpasswd", "siteinfo.plan"]);
    // A later plan change now moves the quota again.
    h.call("admin_edit_site", "site1", { "siteinfo.plan": "starter" });
    expect(h.get("site1", "diskquota.quota")).toBe(1);
  });

  it("reset without a plan re-applies the site's current plan", () => {
    const h = new Harness();
    h.add("a.example.com", "a", { "cgroup.memory": 999 }, { plan: "starter" });
    h.call("admin_edit_site", "site1", [], { reset: "1" });
    expect(h.get("site1", "cgroup.memory")).toBe(256);
  });

  it("options in the same call win over the plan being applied", () => {
    const h = new Harness();
    h.add("a.example.com", "a");
    h.call("admin_edit_site", "site1", { "siteinfo.plan": "business", cgroup: { memory: 300 } }, { reset: true });
    expect(h.get("site1", "cgroup.memory")).toBe(300);
    expect(h.site(1).overrides).toContain("cgroup.memory");
  });

  it("edits every site of an invoice group, parent and children", () => {
    const h = new Harness();
    h.add("p.example.com", "p", { "billing.invoice": "INV-1" });
    h.add("c.example.com", "c", { "billing.parent_invoice": "INV-1" });
    h.add("o.example.com", "o");
    h.call("admin_edit_site", "INV-1", { "diskquota.quota": 5000 });
    const quotas = ["site1", "site2", "site3"].map((site) => h.get(site, "diskquota.quota"));
    expect(quotas).toEqual([5000, 5000, 5]);
  });

  it("is all-or-nothing: a group edit that faults on one site changes none", () => {
    const h = new Harness();
    h.add("p.example.com", "p", { "billing.invoice": "INV-1" });
    h.add("c.example.com", "c", { "billing.parent_invoice": "INV-1" });
    const before = h.api.snapshot();
    expect(() => h.call("admin_edit_site", "INV-1", { "siteinfo.domain": "same.example.com" })).toThrow(
      "domain `same.example.com' already exists (site1)",
    );
    expect(h.api.snapshot()).toEqual(before);
  });

  it("with dry-run validates and changes nothing", () => {
    const h = new Harness();
    h.add("a.example.com", "a");
    const before = h.api.snapshot();
    expect(h.call("admin_edit_site", "site1", { "diskquota.quota": 1 }, { "dry-run": true })).toBe(true);
    expect(h.api.snapshot()).toEqual(before);
    expect(() => h.call("admin_edit_site", "site1", { "diskquota.quota": -1 }, { "dry-run": true })).toThrow(
      /diskquota\.quota/,
    );
  });

  it("faults on an unknown site, plan, service or parameter", () => {
    const h = new Harness();
    h.add("a.example.com", "a");
    expect(() => h.call("admin_edit_site", "b.example.com", { "ssh.enabled": 0 })).toThrow(
      "unknown site `b.example.com'",
    );
    expect(() => h.call("admin_edit_site", "site1", { "siteinfo.plan": "gold" })).toThrow(
      "unknown plan `gold' (siteinfo.plan)",
    );
    expect(() => h.call("admin_edit_site", "site1", { "web.enabled": 1 })).toThrow("unknown service `web'");
    expect(() => h.call("admin_edit_site", "site1", { ssh: { port: 22 } })).toThrow(
      "unknown service parameter `ssh.port'",
    );
    expect(() => h.call("admin_edit_site", "site1", {}, { purge: true })).toThrow(/unknown flag `purge'/);
  });

  it("accepts an empty edit", () => {
    const h = new Harness();
    h.add("a.example.com", "a");
    expect(h.call("admin_edit_site", "site1")).toBe(true);
    expect(h.call("admin_edit_site", "site1", [], [])).toBe(true);
  });
});
