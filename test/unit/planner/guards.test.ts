/**
 * The refusals: more deletions on a server than policy.max_deletes, a plan that removes every
 * site of a server (an inventory that lost its files looks exactly like that), and server
 * plans the server does not have. `--allow-deletes N` lifts the first two up to N.
 */
import { describe, expect, it } from "vitest";
import type { DesiredSite, ObservedSite } from "../../../src/model/index.js";
import { codes, desired, errors, inventory, observedOf, observedServer, plan, planOne, stranger } from "./helpers.js";

/** n cancelled sites past their grace period, suspended on the server, plus one site that stays. */
function cancelledFleet(n: number): { sites: DesiredSite[]; observed: ObservedSite[] } {
  const sites: DesiredSite[] = [desired({ domain: "stays.example" })];
  for (let i = 1; i <= n; i++) sites.push(desired({ domain: `gone${i}.example`, state: "cancelled", cancelledOn: "2025-01-01" }));
  return { sites, observed: sites.map((d, i) => observedOf(d, `site${i + 1}`, { active: d.state === "active" })) };
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
    const ams = cancelledFleet(3);
    const amsSites = ams.sites.map((d) => ({ ...d, server: "ams1", domain: `ams-${d.domain}`, adminUser: `ams${d.adminUser}` }));
    const amsObserved = amsSites.map((d, i) => observedOf(d, `site${i + 1}`, { active: d.state === "active" }));
    const p = plan(inventory([...fra.sites, ...amsSites]), [observedServer("fra1", fra.observed), observedServer("ams1", amsObserved)]);
    expect(codes(p)).toEqual([]);
    expect(p.summary.byServer).toMatchObject({ fra1: { delete: 3 }, ams1: { delete: 3 } });
  });

  it("counts pruned deletions too", () => {
    const stays = desired({ domain: "stays.example" });
    const observed = [observedOf(stays, "site1"), ...[2, 3, 4, 5].map((i) => stranger(`site${i}`, `old${i}.example`, { active: false }))];
    expect(codes(planOne([stays], observed, { servers: ["fra1!"] }))).toEqual(["too-many-deletes"]);
    expect(codes(planOne([stays], observed, { servers: ["fra1"] }))).toEqual([]);
  });
});

describe("removes-every-site", () => {
  it("refuses a plan after which none of a server's sites would stay", () => {
    const a = desired({ domain: "a.example", state: "cancelled", cancelledOn: "2025-01-01" });
    const b = desired({ domain: "b.example", state: "cancelled", cancelledOn: "2025-07-30" });
    const observed = [observedOf(a, "site1", { active: false }), observedOf(b, "site2", { active: true })];
    const p = planOne([a, b], observed);
    expect(codes(p)).toEqual(["removes-every-site"]);
    expect(errors(p)[0]).toMatchObject({
      server: "fra1",
      message: "this plan would remove every one of the 2 sites on fra1",
      hint: "check --dir and that no site files are missing; if emptying the server is intended, plan again with --allow-deletes 2",
    });
    expect(codes(planOne([a, b], observed, { allowDeletes: 1 }))).toEqual(["removes-every-site"]);
    expect(codes(planOne([a, b], observed, { allowDeletes: 2 }))).toEqual([]);
  });

  it("refuses an empty inventory for a prune: true server", () => {
    const observed = [stranger("site1", "a.example"), stranger("site2", "b.example", { active: false })];
    const p = planOne([], observed, { servers: ["fra1!"] });
    expect(codes(p)).toEqual(["removes-every-site"]);
    expect(errors(p)[0]?.message).toBe("the inventory names no site on fra1, which has 2; with prune: true every one would be suspended and later deleted");
    expect(codes(planOne([], observed, { servers: ["fra1!"], allowDeletes: 2 }))).toEqual([]);
  });

  it("is not raised by a plan that removes nothing, or when the last sites are protected", () => {
    // Suspended by an earlier plan, in its grace period: nothing to do today.
    const waiting = desired({ domain: "a.example", state: "cancelled", cancelledOn: "2025-07-20" });
    const p = planOne([waiting], [observedOf(waiting, "site1", { active: false })]);
    expect(p.ops).toEqual([]);
    expect(codes(p)).toEqual([]);
    // Protected: suspended, never deleted, so it stays.
    const kept = desired({ domain: "k.example", state: "cancelled", cancelledOn: "2020-01-01", protect: true });
    const q = planOne([kept], [observedOf(kept, "site1", { active: true })]);
    expect(q.ops.map((o) => o.action)).toEqual(["suspend"]);
    expect(codes(q)).toEqual([]);
  });

  it("is raised when the last site's grace period ends, as for any removal", () => {
    const waiting = desired({ domain: "a.example", state: "cancelled", cancelledOn: "2025-06-01" });
    expect(codes(planOne([waiting], [observedOf(waiting, "site1", { active: false })]))).toEqual(["removes-every-site"]);
  });

  it("is not raised when one site stays, when nothing is pruned, or for an empty server", () => {
    const a = desired({ domain: "a.example", state: "cancelled", cancelledOn: "2025-01-01" });
    const stays = desired({ domain: "stays.example" });
    expect(codes(planOne([a, stays], [observedOf(a, "site1", { active: false }), observedOf(stays, "site2")]))).toEqual([]);
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
