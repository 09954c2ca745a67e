/**
 * Diffing one site: managed fields only, compared after normalisation (the way a panel answers
 * is not drift), sizes in bytes, ignored paths skipped and not collected, a change of server
 * plan carrying every managed setting, and a replaced alias list said out loud.
 */
import { describe, expect, it } from "vitest";
import { diffResource } from "../../../src/planner/diff.js";
import { managedFields } from "../../../src/planner/fields.js";
import { normalized as normalizedIn, sameValue as sameValueIn } from "../../../src/planner/normalize.js";
import { bytes } from "../../../src/planner/units.js";
import type { DesiredResource, FieldValue, ObservedResource, Policy } from "../../../src/model/index.js";
import { CATALOGUE, POLICY, SITE_KIND, actions, desired, fields, ids, inventory, observedOf, opById, planOne, stranger } from "./helpers.js";

const SITE = CATALOGUE.kind(SITE_KIND);
const sameValue = (field: string, a: FieldValue | undefined, b: FieldValue | undefined): boolean => sameValueIn(SITE, field, a, b);
const normalized = (field: string, value: FieldValue | undefined): string => normalizedIn(SITE, field, value);
const unitPair = (group: string) => SITE.unitPair(group);
const diffSite = (d: DesiredResource, o: ObservedResource, policy: Policy) => diffResource(SITE, d, o, policy);

describe("normalisation", () => {
  it.each([
    ["ssh.enabled", true, 1],
    ["ssh.enabled", false, 0],
    ["ssh.enabled", false, "0"],
    ["ssh.enabled", true, "true"],
    ["ssh.enabled", false, "false"],
    ["diskquota.quota", 5000, "5000"],
    ["diskquota.quota", 2.5, "2.5"],
    ["diskquota.quota", 5000, " 5000 "],
    ["siteinfo.domain", "Acme.Example", "acme.example"],
    ["aliases.aliases", ["b.example", "a.example"], ["a.example", "B.example"]],
    ["aliases.aliases", ["a.example", "b.example"], "b.example, a.example"],
    ["aliases.aliases", [], null],
    ["aliases.aliases", null, ""],
    ["siteinfo.email", "owner@a.example", ["owner@a.example"]],
    ["siteinfo.email", ["x@a.example", "y@a.example"], ["y@a.example", "x@a.example"]],
    ["siteinfo.email", ["x@a.example", "y@a.example"], "x@a.example,y@a.example"],
    ["cgroup.memory", null, undefined],
  ] as const)("%s: %j is the same as %j", (field, a, b) => {
    expect(sameValue(field, a, b)).toBe(true);
    expect(normalized(field, a)).toBe(normalized(field, b));
  });

  it.each([
    ["ssh.enabled", true, 0],
    ["diskquota.quota", 5000, "5001"],
    ["siteinfo.admin_user", "Acme", "acme"],
    ["siteinfo.email", "Owner@a.example", "owner@a.example"],
    ["aliases.aliases", ["a.example"], ["a.example", "b.example"]],
    ["siteinfo.notes", "a,b", "b,a"],
    ["cgroup.memory", 0, null],
  ] as const)("%s: %j differs from %j", (field, a, b) => {
    expect(sameValue(field, a, b)).toBe(false);
  });
});

describe("units", () => {
  it("pairs quota and threshold with their units (the schema's x-siteform-unit-of marks)", () => {
    expect(unitPair("diskquota")).toEqual({ amount: "diskquota.quota", units: "diskquota.units" });
    expect(unitPair("bandwidth")).toEqual({ amount: "bandwidth.threshold", units: "bandwidth.units" });
    expect(unitPair("mysql")).toBeNull();
  });

  it("computes bytes, case-insensitively, from numbers and numeric strings", () => {
    expect(bytes(25, "GB")).toBe(25 * 1024 ** 3);
    expect(bytes("25600", "mb")).toBe(25 * 1024 ** 3);
    expect(bytes(1, "TB")).toBe(1024 ** 4);
    expect(bytes(7, "B")).toBe(7);
    expect(bytes("", "GB")).toBeNull();
    expect(bytes(5, "PB")).toBeNull();
    expect(bytes(5, null)).toBeNull();
    expect(bytes("lots", "GB")).toBeNull();
  });
});

describe("diffResource (ApisCP sites)", () => {
  const site = desired({
    domain: "acme.example",
    plan: "business",
    invoice: "INV-1",
    aliases: ["acme.example.org", "www-acme.example"],
    email: "owner@acme.example",
    services: { bandwidth: { threshold: 250, units: "GB" }, cgroup: { memory: 2048 } },
  });

  it("finds nothing when the server answers the same values in its own shapes", () => {
    const o = observedOf(site, "site1", { fields: { siteinfo: { domain: "ACME.example", email: ["owner@acme.example"] }, aliases: { aliases: ["WWW-ACME.example", "acme.example.org"] }, billing: { invoice: "INV-1" }, diskquota: { quota: "25600", units: "MB" }, bandwidth: { threshold: "0.244140625", units: "TB" }, ssh: { enabled: "1" }, mysql: { dbasenum: "20" }, cgroup: { memory: "2048" } } });
    expect(diffSite(site, o, POLICY)).toEqual({ changes: [], templateChanged: false });
  });

  it("compares managed fields only: server settings the inventory does not set are not drift", () => {
    const o = observedOf(site, "site1", { fields: { cgroup: { memory: 2048, cpu: 400 }, apache: { jail: 1 } } });
    expect(diffSite(site, o, POLICY).changes).toEqual([]);
  });

  it("reports a changed value with before and after", () => {
    const o = observedOf(site, "site1", { fields: { cgroup: { memory: "1024" } } });
    expect(diffSite(site, o, POLICY).changes).toEqual([{ field: "cgroup.memory", before: "1024", after: 2048 }]);
  });

  it("compares sizes in bytes: a different size is a change of the amount only when the unit is the same", () => {
    const smaller = observedOf(site, "site1", { fields: { diskquota: { quota: 20, units: "GB" } } });
    expect(diffSite(site, smaller, POLICY).changes).toEqual([{ field: "diskquota.quota", before: 20, after: 25 }]);
    const otherUnit = observedOf(site, "site1", { fields: { diskquota: { quota: 20480, units: "MB" } } });
    expect(diffSite(site, otherUnit, POLICY).changes).toEqual([
      { field: "diskquota.quota", before: 20480, after: 25 },
      { field: "diskquota.units", before: "MB", after: "GB" },
    ]);
  });

  it("skips ignored fields, by service.param or by whole service", () => {
    const o = observedOf(site, "site1", { fields: { bandwidth: { threshold: 999, units: "GB" }, cgroup: { memory: 1 } } });
    expect(diffSite(site, o, { ...POLICY, ignore: ["bandwidth.threshold", "cgroup"] }).changes).toEqual([]);
    expect(diffSite(site, o, { ...POLICY, ignore: ["bandwidth.threshold"] }).changes.map((c) => c.field)).toEqual(["cgroup.memory"]);
  });

  it("marks a change of a non-empty alias list as wholesale", () => {
    const o = observedOf(site, "site1", { fields: { aliases: { aliases: ["acme.example.org", "legacy.example"] } } });
    expect(diffSite(site, o, POLICY).changes).toEqual([
      { field: "aliases.aliases", before: ["acme.example.org", "legacy.example"], after: ["acme.example.org", "www-acme.example"], wholesale: true },
    ]);
    const none = observedOf(site, "site1", { fields: { aliases: { aliases: [] } } });
    expect(diffSite(site, none, POLICY).changes).toEqual([{ field: "aliases.aliases", before: [], after: ["acme.example.org", "www-acme.example"] }]);
  });

  it("marks secret fields", () => {
    const withSecret = desired({ domain: "s.example", services: { dns: { provider: "cloudflare", key: "••••" } } });
    const o = observedOf(withSecret, "site1", { fields: { dns: { provider: "cloudflare", key: "other" } } });
    expect(diffSite(withSecret, o, POLICY).changes).toEqual([{ field: "dns.key", before: "other", after: "••••", secret: true }]);
  });

  it("a change of server plan re-sends every managed setting, but not names, aliases or billing", () => {
    const o = observedOf(site, "site1", { fields: { siteinfo: { plan: "basic", domain: "acme-old.example" }, aliases: { aliases: ["acme.example.org"] }, billing: { invoice: "INV-0" }, mysql: { dbasenum: 2 } } });
    const diff = diffSite(site, o, POLICY);
    expect(diff.templateChanged).toBe(true);
    expect(diff.changes.map((c) => c.field)).toEqual([
      "aliases.aliases", // changed
      "bandwidth.threshold",
      "bandwidth.units",
      "billing.invoice", // changed
      "cgroup.memory",
      "diskquota.quota",
      "diskquota.units",
      "mysql.dbasenum", // changed
      "siteinfo.domain", // changed
      "siteinfo.email",
      "siteinfo.plan", // changed
      "ssh.enabled",
    ]);
    expect(diff.changes.find((c) => c.field === "siteinfo.plan")).toEqual({ field: "siteinfo.plan", before: "basic", after: "business" });
  });

  it("a change of server plan re-sends a size whose unit differs but means the same", () => {
    // The site's quota may be the old plan's default: applying the new plan would change it.
    const o = observedOf(site, "site1", { fields: { siteinfo: { plan: "basic" }, diskquota: { quota: 25600, units: "MB" } } });
    const changes = diffSite(site, o, POLICY).changes;
    expect(changes.filter((c) => c.field.startsWith("diskquota."))).toEqual([
      { field: "diskquota.quota", before: 25600, after: 25 },
      { field: "diskquota.units", before: "MB", after: "GB" },
    ]);
  });
});

describe("updates in a plan", () => {
  it("one update per site, with the changed fields and their observed values as preconditions", () => {
    const d = desired({ domain: "acme.example", services: { cgroup: { memory: 2048 } } });
    const p = planOne([d], [observedOf(d, "site1", { fields: { diskquota: { quota: 2 }, cgroup: { memory: 512 } } })]);
    expect(ids(p)).toEqual(["fra1:update:acme.example"]);
    const op = opById(p, "fra1:update:acme.example");
    expect(fields(op)).toEqual(["cgroup.memory", "diskquota.quota"]);
    expect(op.flags).toEqual({});
    expect(op.reason).toBe("2 managed fields differ");
    expect(op.preconditions).toEqual({
      exists: true,
      id: "site1",
      fields: { "siteinfo.domain": "acme.example", state: "active", "cgroup.memory": 512, "diskquota.quota": 2 },
    });
    expect(op.notes).toEqual([]);
  });

  it("a change of server plan is one update with flags.template; reset only when asked", () => {
    const d = desired({ domain: "acme.example", plan: "business" });
    const o = observedOf(d, "site1", { fields: { siteinfo: { plan: "basic" } } });
    const p = planOne([d], [o]);
    expect(actions(p)).toEqual([["update", "acme.example"]]);
    expect(p.ops[0]?.flags).toEqual({ template: "business" });
    expect(p.ops[0]?.reason).toBe("moves to server plan business");
    expect(fields(p.ops[0]!)).toEqual(["diskquota.quota", "diskquota.units", "mysql.dbasenum", "siteinfo.email", "siteinfo.plan", "ssh.enabled"]);
    const reset = planOne([d], [o], { resetPlanDefaults: true });
    expect(reset.ops[0]?.flags).toEqual({ template: "business", reset: true });
    // Without a plan change, --reset changes nothing.
    const same = planOne([d], [observedOf(d, "site1", { fields: { mysql: { dbasenum: 1 } } })], { resetPlanDefaults: true });
    expect(same.ops[0]?.flags).toEqual({});
  });

  it("an alias list change carries a note that the list is replaced", () => {
    const d = desired({ domain: "acme.example", aliases: ["a.example"] });
    const p = planOne([d], [observedOf(d, "site1", { fields: { aliases: { aliases: ["b.example"] } } })]);
    expect(p.ops[0]?.changes[0]?.wholesale).toBe(true);
    expect(p.ops[0]?.notes).toEqual(["the alias list is replaced as a whole: entries not listed in the inventory are removed"]);
  });

  it("leaves aliases alone when the inventory does not list them", () => {
    const d = desired({ domain: "acme.example" });
    const p = planOne([d], [observedOf(d, "site1", { fields: { aliases: { aliases: ["whatever.example"] } } })]);
    expect(p.ops).toEqual([]);
  });

  it.each([
    ["a flag as 1", { ssh: { enabled: 0 } }],
    ["a number as a string", { diskquota: { quota: "5" } }],
    ["an equivalent size", { diskquota: { quota: 5120, units: "MB" } }],
    ["an e-mail list of one", { siteinfo: { email: ["owner@acme.example"] } }],
  ] as const)("noisy answers make no op: %s", (_what, answered) => {
    const d = desired({ domain: "acme.example", email: "owner@acme.example" });
    expect(planOne([d], [observedOf(d, "site1", { fields: answered })]).ops).toEqual([]);
  });

  it("noisy answers make no op: reordered aliases and the case of domains", () => {
    const d = desired({ domain: "acme.example", aliases: ["b.example", "a.example"] });
    const p = planOne([d], [observedOf(d, "site1", { fields: { siteinfo: { domain: "Acme.EXAMPLE" }, aliases: { aliases: ["A.example", "b.example"] } } })]);
    expect(p.ops).toEqual([]);
  });

  it("ignored fields are neither collected nor diffed", () => {
    const d = desired({ domain: "acme.example", services: { bandwidth: { threshold: 20, units: "GB" } } });
    const inv = inventory([d], { policy: { ignore: ["bandwidth.threshold", "ssh"] } });
    expect(managedFields(inv, "fra1", CATALOGUE)).toEqual({
      [SITE_KIND]: ["bandwidth.units", "diskquota.quota", "diskquota.units", "siteinfo.admin_user", "siteinfo.domain", "siteinfo.email", "siteinfo.plan"],
    });
    expect(managedFields(inv, "ams1", CATALOGUE)).toEqual({ [SITE_KIND]: [] });
    const o = observedOf(d, "site1", { fields: { bandwidth: { threshold: 400, units: "GB" }, ssh: { enabled: 1 } } });
    expect(planOne([d], [o], { policy: { ignore: ["bandwidth.threshold", "ssh"] } }).ops).toEqual([]);
  });

  it("unmanaged sites get no update whatever they hold", () => {
    const d = desired({ domain: "acme.example" });
    const p = planOne([d], [observedOf(d, "site1"), stranger("site2", "other.example", { fields: { diskquota: { quota: 1 } } })]);
    expect(p.ops).toEqual([]);
  });
});
