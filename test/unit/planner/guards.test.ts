/**
 * The refusals: more deletions on a server than policy.max_deletes, a plan that removes every
 * site of a server (an inventory that lost its files looks exactly like that), more operations
 * that cost money than policy.max_paid_ops, and server plans the server does not have.
 * `--allow-deletes N` lifts the first two up to N, `--allow-paid N` the third.
 */
import { describe, expect, it } from "vitest";
import { Catalogue } from "../../../src/kinds/catalogue.js";
import type { DesiredResource, Inventory, ObservedResource, ObservedServer, ServerConfig } from "../../../src/model/index.js";
import { paidGuard } from "../../../src/planner/guards.js";
import { SITE } from "../../../src/providers/apiscp/kinds.js";
import { namedKind } from "../../support/named-kind.js";
import { POLICY, PLANS, SITE_KIND, codes, desired, errors, inventory, observedOf, observedServer, plan, planOne, server, stranger } from "./helpers.js";

/** n cancelled sites past their grace period, suspended on the server, plus one site that stays. */
function cancelledFleet(n: number, server = "fra1", prefix = ""): { sites: DesiredResource[]; observed: ObservedResource[] } {
  const sites: DesiredResource[] = [desired({ domain: `${prefix}stays.example`, server })];
  for (let i = 1; i <= n; i++) sites.push(desired({ domain: `${prefix}gone${i}.example`, server, state: "cancelled", cancelledOn: "2025-01-01" }));
  return { sites, observed: sites.map((d, i) => observedOf(d, `site${i + 1}`, { state: d.state === "active" ? "active" : "suspended" })) };
}

describe("too-many-deletes", () => {
  it("allows up to policy.max_deletes deletions on a server", () => {
    const { sites, observed } = cancelledFleet(3);
    const p = planOne(sites, observed);
    expect(codes(p)).toEqual([]);
    expect(p.summary.byAction.delete).toBe(3);
  });

  it("refuses more, saying how many and how to allow them", () => {
    const { sites, observed } = cancelledFleet(4);
    const p = planOne(sites, observed);
    expect(codes(p)).toEqual(["too-many-deletes"]);
    expect(errors(p)[0]).toMatchObject({
      server: "fra1",
      message: "4 deletions on fra1, more than policy.max_deletes (3)",
      hint: "read the plan; if every deletion is intended, plan again with --allow-deletes 4",
    });
    // The ops are still in the plan, for review.
    expect(p.summary.byAction.delete).toBe(4);
  });

  it("--allow-deletes N lifts the limit to N, not beyond", () => {
    const { sites, observed } = cancelledFleet(4);
    expect(codes(planOne(sites, observed, { allowDeletes: 4 }))).toEqual([]);
    expect(codes(planOne(sites, observed, { allowDeletes: 10 }))).toEqual([]);
    const p = planOne(sites, observed, { allowDeletes: 3, policy: { maxDeletes: 1 } });
    expect(codes(p)).toEqual(["too-many-deletes"]);
    expect(errors(p)[0]?.message).toBe("4 deletions on fra1, more than --allow-deletes 3");
  });

  it("--allow-deletes below policy.max_deletes does not refuse a plan the policy allows", () => {
    const { sites, observed } = cancelledFleet(2);
    expect(codes(planOne(sites, observed, { allowDeletes: 0 }))).toEqual([]);
    expect(codes(planOne(sites, observed, { allowDeletes: 1 }))).toEqual([]);
    const four = cancelledFleet(4);
    const p = planOne(four.sites, four.observed, { allowDeletes: 1 });
    expect(errors(p)[0]?.message).toBe("4 deletions on fra1, more than policy.max_deletes (3)");
  });

  it("counts per server", () => {
    const fra = cancelledFleet(3);
    const ams = cancelledFleet(3, "ams1", "ams-");
    const p = plan(inventory([...fra.sites, ...ams.sites]), [observedServer("fra1", fra.observed), observedServer("ams1", ams.observed)]);
    expect(codes(p)).toEqual([]);
    expect(p.summary.byServer).toMatchObject({ fra1: { delete: 3 }, ams1: { delete: 3 } });
  });

  it("counts pruned deletions too", () => {
    const stays = desired({ domain: "stays.example" });
    const observed = [observedOf(stays, "site1"), ...[2, 3, 4, 5].map((i) => stranger(`site${i}`, `old${i}.example`, { state: "suspended" }))];
    expect(codes(planOne([stays], observed, { servers: ["fra1!"] }))).toEqual(["too-many-deletes"]);
    expect(codes(planOne([stays], observed, { servers: ["fra1"] }))).toEqual([]);
  });
});

describe("removes-every-site", () => {
  it("refuses a plan after which none of a server's sites would stay", () => {
    const a = desired({ domain: "a.example", state: "cancelled", cancelledOn: "2025-01-01" });
    const b = desired({ domain: "b.example", state: "cancelled", cancelledOn: "2025-07-30" });
    const observed = [observedOf(a, "site1", { state: "suspended" }), observedOf(b, "site2", { state: "active" })];
    const p = planOne([a, b], observed);
    expect(codes(p)).toEqual(["removes-every-site"]);
    expect(errors(p)[0]).toMatchObject({
      server: "fra1",
      message: "this plan would remove every one of the 2 sites on fra1",
      hint: "check --dir and that no resource files are missing; if emptying the server is intended, plan again with --allow-deletes 2",
    });
    expect(codes(planOne([a, b], observed, { allowDeletes: 1 }))).toEqual(["removes-every-site"]);
    expect(codes(planOne([a, b], observed, { allowDeletes: 2 }))).toEqual([]);
  });

  it("refuses an empty inventory for a prune: true server", () => {
    const observed = [stranger("site1", "a.example"), stranger("site2", "b.example", { state: "suspended" })];
    const p = planOne([], observed, { servers: ["fra1!"] });
    expect(codes(p)).toEqual(["removes-every-site"]);
    expect(errors(p)[0]?.message).toBe("the inventory names no site on fra1, which has 2; with prune: true every one would be suspended and later deleted");
    expect(codes(planOne([], observed, { servers: ["fra1!"], allowDeletes: 2 }))).toEqual([]);
  });

  it("is not raised by a plan that removes nothing, or when the last sites are protected", () => {
    // Suspended by an earlier plan, in its grace period: nothing to do today.
    const waiting = desired({ domain: "a.example", state: "cancelled", cancelledOn: "2025-07-20" });
    const p = planOne([waiting], [observedOf(waiting, "site1", { state: "suspended" })]);
    expect(p.ops).toEqual([]);
    expect(codes(p)).toEqual([]);
    // Protected: suspended, never deleted, so it stays.
    const kept = desired({ domain: "k.example", state: "cancelled", cancelledOn: "2020-01-01", protect: true });
    const q = planOne([kept], [observedOf(kept, "site1", { state: "active" })]);
    expect(q.ops.map((o) => o.action)).toEqual(["suspend"]);
    expect(codes(q)).toEqual([]);
  });

  it("is raised when the last site's grace period ends, as for any removal", () => {
    const waiting = desired({ domain: "a.example", state: "cancelled", cancelledOn: "2025-06-01" });
    expect(codes(planOne([waiting], [observedOf(waiting, "site1", { state: "suspended" })]))).toEqual(["removes-every-site"]);
  });

  it("is not raised when one site stays, when nothing is pruned, or for an empty server", () => {
    const a = desired({ domain: "a.example", state: "cancelled", cancelledOn: "2025-01-01" });
    const stays = desired({ domain: "stays.example" });
    expect(codes(planOne([a, stays], [observedOf(a, "site1", { state: "suspended" }), observedOf(stays, "site2")]))).toEqual([]);
    expect(codes(planOne([], [stranger("site1", "a.example")]))).toEqual([]);
    expect(codes(planOne([desired({ domain: "new.example" })], []))).toEqual([]);
  });
});

describe("unknown-server-plan", () => {
  it("refuses a repository plan whose server plan the server lacks, pointing at the plan file", () => {
    const d = desired({ domain: "a.example", plan: "business" });
    const e = desired({ domain: "b.example", plan: "business" });
    const p = planOne([d, e], [], { plans: ["basic", "starter"] });
    expect(codes(p)).toEqual(["unknown-server-plan"]);
    expect(errors(p)[0]).toMatchObject({
      server: "fra1",
      code: "unknown-server-plan",
      message: "plan business builds on the server plan business, which fra1 does not have (it has: basic, starter)",
      file: "plans/business.yaml",
      line: 1,
    });
    expect(errors(p)[0]?.hint).toMatch(/artisan opcenter:plan/);
  });

  it("ignores cancelled sites and plans no site of the server uses", () => {
    const d = desired({ domain: "a.example", plan: "business", state: "cancelled", cancelledOn: "2025-07-20" });
    const e = desired({ domain: "b.example", plan: "basic" });
    expect(codes(planOne([d, e], [], { plans: ["basic"] }))).toEqual([]);
  });

  it("says so when the server has no plans at all", () => {
    const p = planOne([desired({ domain: "a.example" })], [], { plans: [] });
    expect(errors(p)[0]?.message).toMatch(/\(it has: none\)$/);
  });
});

/**
 * A kind of a test provider whose creation costs money (an order), shaped like the ApisCP site's
 * declaration: known and matched by its name, no templates, no relations.
 */
const ORDER = namedKind("test/order", { seats: { type: "integer" } }, {
  capabilities: { deletion: "provider", suspendReason: false, actions: [], paid: ["create"] },
});

describe("too-many-paid-ops", () => {
  const catalogue = new Catalogue([SITE, ORDER]);
  const shop = (name: string): ServerConfig => ({ ...server(name), provider: "test", url: `https://${name}.example.net/api` });

  function order(name: string, server = "shop1", seats = 5): DesiredResource {
    const file = `orders/${name}.yaml`;
    return {
      key: file,
      kind: ORDER.id,
      server,
      name,
      plan: null,
      state: "active",
      cancelledOn: null,
      suspendReason: null,
      protect: false,
      pinnedId: null,
      fields: { order: { name, seats } },
      source: { file, line: 1, column: 1, path: "" },
    };
  }

  const held = (d: DesiredResource, id: string, seats: number): ObservedResource => ({
    server: d.server,
    kind: ORDER.id,
    id,
    name: d.name,
    state: "active",
    fields: { order: { name: d.name, seats } },
  });

  const shopServer = (name: string, resources: ObservedResource[] = []): ObservedServer => ({ server: name, ok: true, resources, templates: {}, fields: { [ORDER.id]: ["order.name", "order.seats"] } });

  function inventoryOf(resources: DesiredResource[], maxPaidOps = 0, servers = ["shop1"]): Inventory {
    return {
      dir: "/inventory",
      files: [],
      digests: {},
      servers: [...servers.map(shop), server("fra1")],
      policy: { ...POLICY, maxPaidOps },
      plans: PLANS,
      catalogue,
      resources,
    };
  }

  it("marks the kind's paid actions and counts them in the summary, within policy.max_paid_ops", () => {
    const p = plan(inventoryOf([order("a"), order("b")], 2), [shopServer("shop1")]);
    expect(codes(p)).toEqual([]);
    expect(p.ops.map((o) => [o.id, o.kind, o.action, o.paid])).toEqual([
      ["shop1:create:a", ORDER.id, "create", true],
      ["shop1:create:b", ORDER.id, "create", true],
    ]);
    expect(p.summary.paid).toBe(2);
  });

  it("refuses more than policy.max_paid_ops (0 by default), saying how many and how to allow them", () => {
    const p = plan(inventoryOf([order("a"), order("b")]), [shopServer("shop1")]);
    expect(codes(p)).toEqual(["too-many-paid-ops"]);
    expect(errors(p)[0]).toEqual({
      severity: "error",
      code: "too-many-paid-ops",
      server: null,
      message: "2 operations that cost money, more than policy.max_paid_ops (0)",
      hint: `read the plan's "costs money" section; if every one is intended, plan again with --allow-paid 2`,
    });
    // The ops are still in the plan, for review.
    expect(p.summary.paid).toBe(2);
    expect(p.options.allowPaid).toBeNull();
  });

  it("--allow-paid N lifts the limit to N, not beyond, and never below the policy", () => {
    const two = inventoryOf([order("a"), order("b")]);
    const allowed = plan(two, [shopServer("shop1")], { allowPaid: 2 });
    expect(codes(allowed)).toEqual([]);
    expect(allowed.options.allowPaid).toBe(2);
    const short = plan(two, [shopServer("shop1")], { allowPaid: 1 });
    expect(codes(short)).toEqual(["too-many-paid-ops"]);
    expect(errors(short)[0]?.message).toBe("2 operations that cost money, more than --allow-paid 1");
    expect(codes(plan(inventoryOf([order("a"), order("b")], 2), [shopServer("shop1")], { allowPaid: 1 }))).toEqual([]);
  });

  it("counts across every server of the run", () => {
    const inv = inventoryOf([order("a", "shop1"), order("b", "shop2")], 1, ["shop1", "shop2"]);
    const p = plan(inv, [shopServer("shop1"), shopServer("shop2")]);
    expect(p.summary.paid).toBe(2);
    expect(codes(p)).toEqual(["too-many-paid-ops"]);
    expect(codes(plan(inv, [shopServer("shop1")], { servers: ["shop1"] }))).toEqual([]);
  });

  it("counts only the actions the kind says cost money: updates are free, and ApisCP sites cost nothing", () => {
    const a = order("a");
    const update = plan(inventoryOf([a]), [shopServer("shop1", [held(a, "1", 3)])]);
    expect(update.ops.map((o) => [o.action, o.paid])).toEqual([["update", undefined]]);
    expect(update.summary.paid).toBe(0);
    expect(codes(update)).toEqual([]);
    const site = desired({ domain: "acme.example" });
    const mixed = plan(inventoryOf([site, a]), [shopServer("shop1"), observedServer("fra1", [])], { servers: ["shop1", "fra1"] });
    expect(mixed.ops.filter((o) => o.kind === SITE_KIND).map((o) => [o.id, o.paid])).toEqual([["fra1:create:acme.example", undefined]]);
    expect(mixed.summary.paid).toBe(1);
    expect(codes(mixed)).toEqual(["too-many-paid-ops"]);
  });

  it("paidGuard counts the ops marked paid against the larger of the policy and --allow-paid", () => {
    const ops = plan(inventoryOf([order("a"), order("b"), order("c")], 3), [shopServer("shop1")]).ops;
    expect(ops.every((o) => o.paid === true)).toBe(true);
    expect(paidGuard(ops, inventoryOf([], 3), null)).toEqual([]);
    expect(paidGuard(ops, inventoryOf([], 2), null).map((d) => d.message)).toEqual(["3 operations that cost money, more than policy.max_paid_ops (2)"]);
    expect(paidGuard(ops, inventoryOf([], 2), 3)).toEqual([]);
    expect(paidGuard(ops.map(({ paid: _paid, ...free }) => free), inventoryOf([], 0), null)).toEqual([]);
  });
});
