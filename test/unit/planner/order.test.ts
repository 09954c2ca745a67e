/**
 * The order ops run in: invoice-group parents before children going up, children before
 * parents going down, a name freed before it is taken, a name nobody frees refused, a cycle
 * refused whole; the list itself a valid sequence with unique ids.
 */
import { describe, expect, it } from "vitest";
import type { Op } from "../../../src/model/index.js";
import { orderOps } from "../../../src/planner/order.js";
import { SITE_KIND, codes, desired, errors, ids, observedOf, opById, planOne, respectsDependsOn, stranger } from "./helpers.js";

const group = (invoice: string, state: "active" | "suspended" | "cancelled" = "active") => ({
  parent: desired({ domain: "agency.example", adminUser: "agency", group: { invoice, role: "parent" }, state, cancelledOn: "2025-01-01" }),
  child: desired({ domain: "client.example", adminUser: "client", group: { invoice, role: "child" }, state, cancelledOn: "2025-01-01" }),
  other: desired({ domain: "zz-other.example", adminUser: "other", group: { invoice, role: "child" }, state, cancelledOn: "2025-01-01" }),
});

describe("one resource's own ops", () => {
  it("suspends after an edit of the same resource (a rename), never at the same time", () => {
    const site = desired({ domain: "renamed.example", adminUser: "alpha", state: "suspended" });
    const p = planOne([site], [observedOf(site, "site1", { state: "active", fields: { siteinfo: { domain: "old.example" } } })]);
    expect(codes(p)).toEqual([]);
    const suspend = p.ops.find((o) => o.action === "suspend");
    const update = p.ops.find((o) => o.action === "update");
    expect(update?.changes.map((c) => c.field)).toContain("siteinfo.domain");
    expect(suspend?.dependsOn).toEqual([update?.id]);
    expect(respectsDependsOn(p)).toBe(true);
  });
});

describe("invoice groups", () => {
  it("creates the parent before its children", () => {
    const { parent, child, other } = group("INV-7");
    const p = planOne([child, other, parent], []);
    expect(codes(p)).toEqual([]);
    expect(ids(p)).toEqual(["fra1:create:agency.example", "fra1:create:client.example", "fra1:create:zz-other.example"]);
    expect(opById(p, "fra1:create:client.example").dependsOn).toEqual(["fra1:create:agency.example"]);
    expect(opById(p, "fra1:create:zz-other.example").dependsOn).toEqual(["fra1:create:agency.example"]);
  });

  it("creates a missing child without waiting for a parent the server has", () => {
    const { parent, child } = group("INV-7");
    const p = planOne([parent, child], [observedOf(parent, "site1")]);
    expect(ids(p)).toEqual(["fra1:create:client.example"]);
    expect(p.ops[0]?.dependsOn).toEqual([]);
  });

  it("activates the parent before its children, and updates children after the parent is back", () => {
    const { parent, child } = group("INV-7");
    const p = planOne([parent, child], [observedOf(parent, "site1", { state: "suspended" }), observedOf(child, "site2", { state: "suspended", fields: { diskquota: { quota: 1 } } })]);
    expect(ids(p)).toEqual(["fra1:activate:agency.example", "fra1:update:client.example", "fra1:activate:client.example"]);
    expect(opById(p, "fra1:activate:client.example").dependsOn).toEqual(["fra1:update:client.example", "fra1:activate:agency.example"]);
    expect(opById(p, "fra1:update:client.example").dependsOn).toEqual(["fra1:activate:agency.example"]);
  });

  it("suspends children before the parent", () => {
    const { parent, child, other } = group("INV-7", "suspended");
    const p = planOne([parent, child, other], [observedOf(parent, "site1", { state: "active" }), observedOf(child, "site2", { state: "active" }), observedOf(other, "site3", { state: "active" })]);
    expect(ids(p)).toEqual(["fra1:suspend:client.example", "fra1:suspend:zz-other.example", "fra1:suspend:agency.example"]);
    expect(opById(p, "fra1:suspend:agency.example").dependsOn).toEqual(["fra1:suspend:client.example", "fra1:suspend:zz-other.example"]);
  });

  it("deletes children before the parent", () => {
    const { parent, child } = group("INV-7", "cancelled");
    const keep = desired({ domain: "keep.example" });
    const p = planOne([parent, child, keep], [observedOf(parent, "site1", { state: "suspended" }), observedOf(child, "site2", { state: "suspended" }), observedOf(keep, "site3")]);
    expect(ids(p)).toEqual(["fra1:delete:client.example", "fra1:delete:agency.example"]);
    expect(opById(p, "fra1:delete:agency.example").dependsOn).toEqual(["fra1:delete:client.example"]);
  });

  it("reads groups of unmanaged sites from the server's billing fields when pruning", () => {
    const keep = desired({ domain: "keep.example" });
    const p = planOne(
      [keep],
      [observedOf(keep, "site1"), stranger("site2", "a-parent.example", { fields: { billing: { invoice: "INV-X" } } }), stranger("site3", "b-child.example", { fields: { billing: { parent_invoice: "INV-X" } } })],
      { servers: ["fra1!"] },
    );
    expect(ids(p)).toEqual(["fra1:suspend:b-child.example", "fra1:suspend:a-parent.example"]);
  });
});

describe("names", () => {
  it("a rename that frees a domain runs before the create that takes it", () => {
    const renamed = desired({ domain: "acme-new.example", adminUser: "acme" });
    const fresh = desired({ domain: "acme.example", adminUser: "fresh" });
    const p = planOne([renamed, fresh], [observedOf(renamed, "site1", { fields: { siteinfo: { domain: "acme.example" } } })]);
    expect(codes(p)).toEqual([]);
    expect(ids(p)).toEqual(["fra1:update:acme.example", "fra1:create:acme.example"]);
    expect(opById(p, "fra1:create:acme.example").dependsOn).toEqual(["fra1:update:acme.example"]);
  });

  it("a rename that frees an admin user runs before the rename that takes it", () => {
    // Without the pin, b would match site1 by its admin user: admin users are identity.
    const a = desired({ domain: "a.example", adminUser: "alpha2", id: "site1" });
    const b = desired({ domain: "b.example", adminUser: "alpha" });
    const p = planOne([a, b], [observedOf(a, "site1", { fields: { siteinfo: { admin_user: "alpha" } } }), observedOf(b, "site2", { fields: { siteinfo: { admin_user: "beta" } } })]);
    expect(codes(p)).toEqual([]);
    expect(ids(p)).toEqual(["fra1:update:a.example", "fra1:update:b.example"]);
    expect(opById(p, "fra1:update:b.example").dependsOn).toEqual(["fra1:update:a.example"]);
  });

  it("an alias given up runs before the site that takes it as its domain", () => {
    const a = desired({ domain: "a.example", aliases: [] });
    const b = desired({ domain: "b.example", adminUser: "bee", id: "site2" });
    const p = planOne([a, b], [observedOf(a, "site1", { fields: { aliases: { aliases: ["b.example"] } } }), observedOf(b, "site2", { fields: { siteinfo: { domain: "b-old.example" } } })]);
    expect(codes(p)).toEqual([]);
    expect(opById(p, "fra1:update:b-old.example").dependsOn).toEqual(["fra1:update:a.example"]);
  });

  it("a new group parent takes the invoice after the old parent gives it up", () => {
    const { parent, child } = group("INV-7");
    // In git, client.example is now listed first: it becomes the parent, agency.example a child.
    const newParent = desired({ domain: "client.example", adminUser: "client", group: { invoice: "INV-7", role: "parent" } });
    const oldParent = desired({ domain: "agency.example", adminUser: "agency", group: { invoice: "INV-7", role: "child" } });
    const p = planOne([newParent, oldParent], [observedOf(parent, "site1"), observedOf(child, "site2")]);
    expect(codes(p)).toEqual([]);
    expect(ids(p)).toEqual(["fra1:update:agency.example", "fra1:update:client.example"]);
    expect(opById(p, "fra1:update:client.example").dependsOn).toEqual(["fra1:update:agency.example"]);
  });

  it("a new parent created under the old parent's invoice waits for the old parent to hand it over", () => {
    const { parent } = group("INV-7");
    const newParent = desired({ domain: "new-agency.example", adminUser: "newagency", group: { invoice: "INV-7", role: "parent" } });
    const demoted = desired({ domain: "agency.example", adminUser: "agency", group: { invoice: "INV-7", role: "child" } });
    const p = planOne([newParent, demoted], [observedOf(parent, "site1")]);
    expect(codes(p)).toEqual([]);
    expect(ids(p)).toEqual(["fra1:update:agency.example", "fra1:create:new-agency.example"]);
    expect(opById(p, "fra1:create:new-agency.example").dependsOn).toEqual(["fra1:update:agency.example"]);
    expect(opById(p, "fra1:update:agency.example").dependsOn).toEqual([]);
  });

  it("an invoice another site keeps is left to the server, not refused", () => {
    const d = desired({ domain: "new.example", invoice: "INV-5" });
    const p = planOne([d], [stranger("site1", "hand.example", { fields: { billing: { invoice: "INV-5" } } })]);
    expect(codes(p)).toEqual([]);
    expect(ids(p)).toEqual(["fra1:create:new.example"]);
  });

  it("a delete runs before a create that reuses the admin user and domain", () => {
    // The cancelled customer's entry is pinned and renamed in git, so the new customer can
    // have its names; the server still has the old site under them.
    const old = desired({ domain: "shop-closed.example", adminUser: "shopclosed", state: "cancelled", cancelledOn: "2025-01-01", id: "site1" });
    const keep = desired({ domain: "keep.example" });
    const observed = [observedOf(old, "site1", { state: "suspended", fields: { siteinfo: { domain: "shop.example", admin_user: "shop" } } }), observedOf(keep, "site2")];
    const reuse = desired({ domain: "shop.example", adminUser: "shop" });
    const p = planOne([old, keep, reuse], observed);
    expect(codes(p)).toEqual([]);
    expect(ids(p)).toEqual(["fra1:delete:shop.example", "fra1:create:shop.example"]);
    expect(opById(p, "fra1:create:shop.example").dependsOn).toEqual(["fra1:delete:shop.example"]);
  });

  it("refuses to take a name a site keeps, naming both", () => {
    const fresh = desired({ domain: "taken.example", adminUser: "fresh" });
    const p = planOne([fresh], [stranger("site4", "taken.example", { fields: { siteinfo: { admin_user: "holder" } } })]);
    // The domain matches site4: an admin user rename, not a conflict.
    expect(codes(p)).toEqual([]);
    const keeper = desired({ domain: "keeper.example", adminUser: "keeper", aliases: ["taken.example"] });
    const p2 = planOne([keeper, fresh], [observedOf(keeper, "site4")]);
    expect(codes(p2)).toEqual(["name-taken"]);
    const error = errors(p2)[0];
    expect(error?.message).toBe(
      "taken.example (sites/taken.example.yaml:1) needs the domain taken.example, which keeper.example (sites/keeper.example.yaml:1) holds on fra1 and keeps",
    );
    expect(error).toMatchObject({ server: "fra1", file: "sites/taken.example.yaml", line: 1 });
  });

  it("refuses to take a name from an unmanaged site that is not pruned", () => {
    const fresh = desired({ domain: "fresh.example", adminUser: "fresh", aliases: ["shared.example"] });
    const p = planOne([fresh], [stranger("site4", "hand.example", { fields: { siteinfo: { admin_user: "hand" }, aliases: { aliases: ["shared.example"] } } })]);
    expect(codes(p)).toEqual(["name-taken"]);
    expect(errors(p)[0]?.message).toMatch(/needs the domain shared\.example, which site4 \(hand\.example\) holds on fra1 and keeps/);
    expect(ids(p)).toEqual(["fra1:create:fresh.example"]);
  });

  it("a rename onto a name an unmanaged site holds is refused: the earlier identity decides the match", () => {
    // other.example's admin user is site4's, so site4 is the one renamed, onto site1's domain.
    const other = desired({ domain: "other.example", adminUser: "hand" });
    const p = planOne([other], [observedOf(other, "site1", { fields: { siteinfo: { admin_user: "someone" } } }), stranger("site4", "hand.example", { fields: { siteinfo: { admin_user: "hand" } } })]);
    expect(codes(p)).toEqual(["name-taken"]);
    expect(errors(p)[0]?.message).toMatch(/needs the domain other\.example, which site1 \(other\.example\) holds on fra1 and keeps/);
  });

  it("refuses two sites swapping domains as a cycle, naming both steps", () => {
    const a = desired({ domain: "b.example", adminUser: "alice" });
    const b = desired({ domain: "a.example", adminUser: "bob" });
    const p = planOne([a, b], [observedOf(a, "site1", { fields: { siteinfo: { domain: "a.example" } } }), observedOf(b, "site2", { fields: { siteinfo: { domain: "b.example" } } })]);
    expect(codes(p)).toEqual(["order-cycle"]);
    const error = errors(p)[0];
    expect(error?.message).toMatch(/a\.example: a\.example → b\.example/);
    expect(error?.message).toMatch(/b\.example: b\.example → a\.example/);
    expect(error?.hint).toMatch(/temporary name/);
  });
});

describe("orderOps", () => {
  const op = (id: string, domain = id): Op => ({
    id: `fra1:update:${id}`,
    server: "fra1",
    kind: SITE_KIND,
    action: "update",
    target: { id: "site1", name: domain, key: null, source: null },
    changes: [],
    flags: {},
    dependsOn: [],
    preconditions: { exists: true, id: "site1", fields: {} },
    reason: "",
    notes: [],
  });

  it("lists ops in reading order where nothing constrains them, and after their dependencies otherwise", () => {
    const ordered = orderOps([op("c"), op("a"), op("b")], [["fra1:update:a", "fra1:update:c"]]);
    expect(ordered.problems).toEqual([]);
    expect(ordered.ops.map((o) => o.id)).toEqual(["fra1:update:c", "fra1:update:a", "fra1:update:b"]);
    expect(ordered.ops[1]?.dependsOn).toEqual(["fra1:update:c"]);
  });

  it("ignores edges to ops that are not in the plan and to the op itself", () => {
    const ordered = orderOps([op("a")], [["fra1:update:a", "fra1:update:gone"], ["fra1:update:a", "fra1:update:a"]]);
    expect(ordered.ops[0]?.dependsOn).toEqual([]);
    expect(ordered.problems).toEqual([]);
  });

  it("reports a cycle once", () => {
    const ordered = orderOps(
      [op("a"), op("b"), op("c")],
      [
        ["fra1:update:a", "fra1:update:b"],
        ["fra1:update:b", "fra1:update:c"],
        ["fra1:update:c", "fra1:update:a"],
      ],
    );
    expect(ordered.problems.map((p) => p.code)).toEqual(["order-cycle"]);
  });
});

describe("op ids", () => {
  it("are unique when a renamed site and the new site in its old place are both suspended", () => {
    // site1 moves from shop.example to shop-old.example and is suspended; a new suspended
    // shop.example is created. Both suspensions would be `fra1:suspend:shop.example`.
    const renamed = desired({ domain: "shop-old.example", adminUser: "oldshop", state: "suspended" });
    const fresh = desired({ domain: "shop.example", adminUser: "newshop", state: "suspended" });
    const p = planOne([renamed, fresh], [observedOf(renamed, "site1", { state: "active", fields: { siteinfo: { domain: "shop.example" } } })]);
    expect(codes(p)).toEqual([]);
    const all = ids(p);
    expect(new Set(all).size).toBe(all.length);
    expect(respectsDependsOn(p)).toBe(true);
    expect(all).toEqual([
      "fra1:update:shop.example",
      "fra1:suspend:shop.example@site1",
      "fra1:create:shop.example",
      "fra1:suspend:shop.example",
    ]);
    expect(opById(p, "fra1:suspend:shop.example@site1").target.id).toBe("site1");
    expect(opById(p, "fra1:suspend:shop.example").target.id).toBeNull();
    expect(opById(p, "fra1:suspend:shop.example").dependsOn).toEqual(["fra1:create:shop.example"]);
  });
});
