/**
 * A site's life as ops: created (and suspended when it should be), suspended and activated to
 * follow `state`, cancelled slowly (suspend now, delete after the grace period, with the
 * server-side `since`/`match` check), protected sites never deleted, and unmanaged sites left
 * alone unless the server prunes.
 */
import { describe, expect, it } from "vitest";
import { KindModel } from "../../../src/kinds/catalogue.js";
import { addDays } from "../../../src/planner/index.js";
import { opId } from "../../../src/planner/lifecycle.js";
import { namedKind } from "../../support/named-kind.js";
import { SITE_KIND, actions, codes, desired, fields, ids, observedOf, opById, planOne, stranger } from "./helpers.js";

describe("addDays", () => {
  it("adds days across months and years, in UTC", () => {
    expect(addDays("2025-06-15", 30)).toBe("2025-07-15");
    expect(addDays("2024-12-20", 12)).toBe("2025-01-01");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2025-03-01", 0)).toBe("2025-03-01");
  });
});

describe("missing sites", () => {
  it("an active site is created with its server plan, every managed field and the names it needs free", () => {
    const d = desired({ domain: "new.example", adminUser: "newsite", invoice: "INV-9", aliases: ["new.example.org"] });
    const p = planOne([d], []);
    expect(ids(p)).toEqual(["fra1:create:new.example"]);
    const op = opById(p, "fra1:create:new.example");
    expect(op.kind).toBe(SITE_KIND);
    expect(op.paid).toBeUndefined();
    expect(op.flags).toEqual({ template: "basic" });
    expect(op.target).toEqual({ id: null, name: "new.example", key: "sites/new.example.yaml", source: { file: "sites/new.example.yaml", line: 1 } });
    expect(op.changes.every((c) => c.before === null)).toBe(true);
    expect(fields(op)).toEqual([
      "aliases.aliases",
      "billing.invoice",
      "billing.parent_invoice",
      "diskquota.quota",
      "diskquota.units",
      "siteinfo.admin_user",
      "siteinfo.domain",
      "siteinfo.email",
      "siteinfo.plan",
      "ssh.enabled",
    ]);
    expect(op.preconditions).toEqual({
      exists: false,
      id: null,
      free: [
        { key: "domain", namespace: "domain", value: "new.example" },
        { key: "admin user", namespace: "admin user", value: "newsite" },
      ],
      fields: {},
    });
    expect(op.reason).toBe("in the inventory, not on the server");
  });

  it("a suspended site is created, then suspended with its reason", () => {
    const d = desired({ domain: "new.example", state: "suspended", suspendReason: "unpaid INV-3" });
    const p = planOne([d], []);
    expect(ids(p)).toEqual(["fra1:create:new.example", "fra1:suspend:new.example"]);
    const suspend = opById(p, "fra1:suspend:new.example");
    expect(suspend.flags).toEqual({ reason: "unpaid INV-3" });
    expect(suspend.dependsOn).toEqual(["fra1:create:new.example"]);
    expect(suspend.target.id).toBeNull();
  });

  it("a suspended site without a reason gets siteform's", () => {
    const p = planOne([desired({ domain: "new.example", state: "suspended" })], []);
    expect(opById(p, "fra1:suspend:new.example").flags).toEqual({ reason: "siteform: suspended" });
  });

  it("a cancelled site is not created", () => {
    const p = planOne([desired({ domain: "gone.example", state: "cancelled", cancelledOn: "2025-07-01" })], []);
    expect(p.ops).toEqual([]);
    expect(codes(p)).toEqual([]);
  });
});

describe("suspend and activate", () => {
  it("suspends an active site the inventory suspends, with its reason or siteform's", () => {
    const withReason = desired({ domain: "a.example", state: "suspended", suspendReason: "abuse #12" });
    const p = planOne([withReason], [observedOf(withReason, "site1", { state: "active" })]);
    expect(ids(p)).toEqual(["fra1:suspend:a.example"]);
    expect(p.ops[0]?.flags).toEqual({ reason: "abuse #12" });
    expect(p.ops[0]?.preconditions.fields).toEqual({ "siteinfo.domain": "a.example", state: "active" });
    const bare = desired({ domain: "a.example", state: "suspended" });
    expect(planOne([bare], [observedOf(bare, "site1", { state: "active" })]).ops[0]?.flags).toEqual({ reason: "siteform: suspended" });
  });

  it("leaves a suspended site suspended", () => {
    const d = desired({ domain: "a.example", state: "suspended", suspendReason: "abuse #12" });
    expect(planOne([d], [observedOf(d, "site1")]).ops).toEqual([]);
  });

  it("activates a suspended site the inventory wants active, after its update", () => {
    const d = desired({ domain: "a.example" });
    const p = planOne([d], [observedOf(d, "site1", { state: "suspended", fields: { diskquota: { quota: 1 } } })]);
    expect(actions(p)).toEqual([
      ["update", "a.example"],
      ["activate", "a.example"],
    ]);
    expect(opById(p, "fra1:activate:a.example").dependsOn).toEqual(["fra1:update:a.example"]);
    expect(opById(p, "fra1:activate:a.example").preconditions.fields).toEqual({ "siteinfo.domain": "a.example", state: "suspended" });
  });

  it("updates and suspends a site that drifted and is to be suspended", () => {
    const d = desired({ domain: "a.example", state: "suspended" });
    const p = planOne([d], [observedOf(d, "site1", { state: "active", fields: { diskquota: { quota: 1 } } })]);
    expect(actions(p).sort()).toEqual([
      ["suspend", "a.example"],
      ["update", "a.example"],
    ]);
  });
});

describe("cancelled sites", () => {
  const cancelled = (extra: { protect?: boolean; cancelledOn?: string } = {}) =>
    desired({ domain: "gone.example", state: "cancelled", cancelledOn: extra.cancelledOn ?? "2025-06-15", protect: extra.protect ?? false });

  it("suspends an active cancelled site with a recognisable reason", () => {
    const d = cancelled();
    const p = planOne([d, desired({ domain: "keep.example" })], [observedOf(d, "site1", { state: "active" }), observedOf(desired({ domain: "keep.example" }), "site2")]);
    expect(ids(p)).toEqual(["fra1:suspend:gone.example"]);
    const op = p.ops[0]!;
    expect(op.flags).toEqual({ reason: "siteform: cancelled on 2025-06-15" });
    expect(op.reason).toBe("cancelled on 2025-06-15");
    expect(op.notes).toEqual(["deleted by a plan on or after 2025-07-15, once suspended 30 days"]);
  });

  it("does not edit a cancelled site's fields", () => {
    const d = cancelled();
    const p = planOne([d, desired({ domain: "keep.example" })], [observedOf(d, "site1", { state: "suspended", fields: { diskquota: { quota: 1 } } }), observedOf(desired({ domain: "keep.example" }), "site2")], {
      now: "2025-07-01T00:00:00Z",
    });
    expect(p.ops).toEqual([]);
  });

  it("deletes a suspended cancelled site once the grace period is over, and not a day before", () => {
    const d = cancelled({ cancelledOn: "2025-07-02" });
    const keep = desired({ domain: "keep.example" });
    const observed = [observedOf(d, "site1", { state: "suspended" }), observedOf(keep, "site2")];
    // 2025-07-02 + 30 days = 2025-08-01, which is TODAY.
    const p = planOne([d, keep], observed);
    expect(ids(p)).toEqual(["fra1:delete:gone.example"]);
    const op = p.ops[0]!;
    expect(op.flags).toEqual({ deletion: { suspendedDays: 30, ownerTag: "siteform: cancelled" } });
    expect(op.reason).toBe("cancelled on 2025-07-02, grace of 30 days over on 2025-08-01");
    expect(op.preconditions).toEqual({ exists: true, id: "site1", fields: { "siteinfo.domain": "gone.example", state: "suspended" } });
    const dayBefore = planOne([d, keep], observed, { now: "2025-07-31T23:59:59.000Z" });
    expect(dayBefore.ops).toEqual([]);
  });

  it("follows the policy's grace period", () => {
    const d = cancelled({ cancelledOn: "2025-07-25" });
    const keep = desired({ domain: "keep.example" });
    const observed = [observedOf(d, "site1", { state: "suspended" }), observedOf(keep, "site2")];
    expect(planOne([d, keep], observed, { policy: { deletionGraceDays: 7 } }).ops[0]?.flags).toEqual({ deletion: { suspendedDays: 7, ownerTag: "siteform: cancelled" } });
    expect(planOne([d, keep], observed, { policy: { deletionGraceDays: 8 } }).ops).toEqual([]);
  });

  it("never deletes a protected site, but suspends it", () => {
    const d = cancelled({ protect: true, cancelledOn: "2020-01-01" });
    const keep = desired({ domain: "keep.example" });
    expect(planOne([d, keep], [observedOf(d, "site1", { state: "suspended" }), observedOf(keep, "site2")]).ops).toEqual([]);
    const active = planOne([d, keep], [observedOf(d, "site1", { state: "active" }), observedOf(keep, "site2")]);
    expect(ids(active)).toEqual(["fra1:suspend:gone.example"]);
    expect(active.ops[0]?.notes).toEqual(["protected: it stays suspended and is never deleted"]);
  });
});

describe("unmanaged sites", () => {
  const keep = desired({ domain: "keep.example" });

  it("are listed and left alone without prune", () => {
    const p = planOne([keep], [observedOf(keep, "site1"), stranger("site2", "hand-made.example"), stranger("site3", "old.example", { state: "suspended" })]);
    expect(p.ops).toEqual([]);
    expect(p.servers[0]?.unmanaged).toEqual([
      { kind: SITE_KIND, id: "site2", name: "hand-made.example" },
      { kind: SITE_KIND, id: "site3", name: "old.example" },
    ]);
    expect(p.servers[0]?.observed).toBe(3);
  });

  it("with prune: true, active ones are suspended and suspended ones deleted with the server-side check", () => {
    const p = planOne([keep], [observedOf(keep, "site1"), stranger("site2", "hand-made.example"), stranger("site3", "old.example", { state: "suspended" })], {
      servers: ["fra1!"],
    });
    expect(ids(p)).toEqual(["fra1:delete:old.example", "fra1:suspend:hand-made.example"]);
    expect(opById(p, "fra1:suspend:hand-made.example").flags).toEqual({ reason: "siteform: unmanaged, pruned on 2025-08-01" });
    expect(opById(p, "fra1:suspend:hand-made.example").target).toMatchObject({ id: "site2", key: null, source: null });
    expect(opById(p, "fra1:delete:old.example").flags).toEqual({ deletion: { suspendedDays: 30, ownerTag: "siteform: unmanaged" } });
    expect(p.servers[0]?.unmanaged).toEqual([]);
  });
});

describe("op ids", () => {
  it("name the kind only when it is not its provider's first", () => {
    const licence = new KindModel(namedKind("bm/licence", {}));
    expect(opId(licence, "bm1", "renew", "web", true)).toBe("bm1:renew:web");
    expect(opId(licence, "bm1", "renew", "web", false)).toBe("bm1:licence:renew:web");
  });
});
