import { describe, expect, it } from "vitest";
import { deletionRefusals, deletionRulesFor } from "../../../src/applier/deletion-rules.js";
import { applyPlan } from "../../../src/applier/index.js";
import type { DeletionRequirement, Op } from "../../../src/model/index.js";
import { CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX } from "../../../src/planner/index.js";
import { desired, inventory } from "../planner/helpers.js";
import { FakeProvider, instant, providers } from "./fake-provider.js";
import { CATALOGUE, op, plan } from "./ops.js";

const TAGS = [CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX];

/**
 * A deletion as the planner writes it: it requires the suspension's age and owner tag, which the
 * server checks. `null` drops the requirement altogether.
 */
function del(domain: string, overrides: Partial<DeletionRequirement> | null = {}, server = "fra1"): Op {
  const base = op("delete", domain, { server });
  const flags = overrides === null ? {} : { deletion: { suspendedDays: 30, ownerTag: CANCELLED_REASON_PREFIX, ...overrides } };
  return { ...base, target: { ...base.target, key: null }, flags };
}

const inv = inventory([
  desired({ domain: "kept.example" }),
  desired({ domain: "vault.example", state: "cancelled", cancelledOn: "2025-01-01", protect: true }),
  desired({ domain: "gone.example", state: "cancelled", cancelledOn: "2025-01-01" }),
]);

describe("the applier's own deletion rules", () => {
  const rules = deletionRulesFor(inv, null, TAGS);

  it("let a planner-shaped deletion of a cancelled site through", () => {
    expect(deletionRefusals([del("gone.example")], rules)).toEqual([]);
  });

  it("never delete a protected site, whatever the plan says", () => {
    const [refusal] = deletionRefusals([del("vault.example")], rules);
    expect(refusal).toMatch(/fra1 delete vault\.example .*protect: true.*never deletes a protected resource/);
  });

  it("never delete a site the inventory keeps", () => {
    expect(deletionRefusals([del("KEPT.example")], rules)[0]).toMatch(/names it and does not cancel it/);
  });

  it("refuse a deletion without the server-checked suspension age and owner tag", () => {
    // No requirement at all: both the age and the owner are missing.
    const bare = deletionRefusals([del("gone.example", null)], rules);
    expect(bare).toHaveLength(2);
    expect(bare[0]).toMatch(/at least 30 days ago.*does not$/);
    expect(bare[1]).toMatch(/siteform suspended the resource.*does not$/);
    expect(deletionRefusals([del("gone.example", { suspendedDays: 1 })], rules)).toEqual([
      expect.stringMatching(/^fra1 delete gone\.example \[fra1:delete:gone\.example\]: .*at least 30 days ago .*asks only 1 days$/),
    ]);
    expect(deletionRefusals([del("gone.example", { suspendedDays: 29 })], rules)[0]).toMatch(/asks only 29 days/);
    // An owner tag siteform does not write: the suspension may be someone else's.
    expect(deletionRefusals([del("gone.example", { ownerTag: "" })], rules)[0]).toMatch(/siteform suspended the resource/);
    expect(deletionRefusals([del("gone.example", { ownerTag: "billing: overdue" })], rules)).toEqual([
      expect.stringMatching(/siteform suspended the resource \(a reason starting with "siteform: cancelled" or "siteform: unmanaged"\), and this one does not$/),
    ]);
    // Either tag siteform writes is accepted.
    expect(deletionRefusals([del("gone.example", { ownerTag: PRUNED_REASON_PREFIX })], rules)).toEqual([]);
    // A longer age than the policy asks is stricter, so allowed.
    expect(deletionRefusals([del("gone.example", { suspendedDays: 90 })], rules)).toEqual([]);
  });

  it("cap deletions per server at policy.max_deletes unless --allow-deletes raises it", () => {
    const many = ["a", "b", "c", "d", "e", "f"].map((n) => del(`${n}.example`));
    const limit = inv.policy.maxDeletes;
    expect(many.length).toBeGreaterThan(limit);
    expect(deletionRefusals(many, rules)).toEqual([`fra1: 6 deletions, more than policy.max_deletes (${limit}); if every one is intended, pass --allow-deletes 6`]);
    expect(deletionRefusals(many, deletionRulesFor(inv, 6, TAGS))).toEqual([]);
    expect(deletionRefusals(many, deletionRulesFor(inv, 5, TAGS))[0]).toMatch(/more than --allow-deletes 5/);
    // Per server: the limit's worth on each of two servers is within the cap.
    const spread = [...many.slice(0, limit), ...many.slice(0, limit).map((o) => del(o.target.name, {}, "ams1"))];
    expect(deletionRefusals(spread, rules)).toEqual([]);
  });

  it("applyPlan refuses the whole plan before any call, and deletes nothing without rules", async () => {
    const fra1 = new FakeProvider("fra1");
    const ops = [op("update", "kept.example"), del("vault.example")];
    const report = await applyPlan(plan(ops), { providers: providers(fra1), concurrency: { perServer: {}, total: 4 }, failFast: false, catalogue: CATALOGUE, ...instant(), deletionRules: rules });
    expect(report.ok).toBe(false);
    expect(report.refused).toHaveLength(1);
    expect(report.ops.map((o) => o.status)).toEqual(["skipped", "skipped"]);
    expect(fra1.executions()).toBe(0);
    const withoutRules = await applyPlan(plan([del("gone.example")]), { providers: providers(fra1), concurrency: { perServer: {}, total: 4 }, failFast: false, catalogue: CATALOGUE, ...instant() });
    expect(withoutRules.refused.join("\n")).toMatch(/more than policy.max_deletes \(0\)/);
    expect(fra1.executions()).toBe(0);
  });

  it("applyPlan refuses a deletion that does not carry the requirement, or a weaker one, before any call", async () => {
    const fra1 = new FakeProvider("fra1");
    for (const weak of [del("gone.example", null), del("gone.example", { suspendedDays: 7 }), del("gone.example", { ownerTag: "support: abuse" })]) {
      const report = await applyPlan(plan([op("update", "kept.example"), weak]), {
        providers: providers(fra1),
        catalogue: CATALOGUE,
        concurrency: { perServer: {}, total: 4 },
        failFast: false,
        ...instant(),
        deletionRules: rules,
      });
      expect(report.ok).toBe(false);
      expect(report.refused.length).toBeGreaterThan(0);
      expect(report.refused.every((r) => r.startsWith("fra1 delete gone.example [fra1:delete:gone.example]: a deletion must have it checked"))).toBe(true);
      expect(report.ops.map((o) => o.status)).toEqual(["skipped", "skipped"]);
    }
    expect(fra1.executions()).toBe(0);
    expect(fra1.calls).toEqual([]);
  });
});
