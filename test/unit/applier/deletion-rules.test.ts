import { describe, expect, it } from "vitest";
import { deletionRefusals, deletionRulesFor } from "../../../src/applier/deletion-rules.js";
import { applyPlan } from "../../../src/applier/index.js";
import type { Op } from "../../../src/model/index.js";
import { CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX } from "../../../src/planner/index.js";
import { desired, inventory } from "../planner/helpers.js";
import { FakeProvider, instant, providers } from "./fake-provider.js";
import { op, plan } from "./ops.js";

const TAGS = [CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX];

/** A deletion as the planner writes it: the server checks the suspension's age and owner. */
function del(domain: string, overrides: Partial<Op["flags"]> = {}, server = "fra1"): Op {
  const base = op("delete", domain, { server });
  return { ...base, target: { ...base.target, key: null }, flags: { since: "30 days ago", match: `^${CANCELLED_REASON_PREFIX}`, ...overrides } };
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
    expect(refusal).toMatch(/fra1 delete vault\.example .*protect: true.*never deletes a protected site/);
  });

  it("never delete a site the inventory keeps", () => {
    expect(deletionRefusals([del("KEPT.example")], rules)[0]).toMatch(/names this site and does not cancel it/);
  });

  it("refuse a deletion without the server-checked suspension age and owner tag", () => {
    expect(deletionRefusals([del("gone.example", { since: undefined })], rules)[0]).toMatch(/at least 30 days ago.*does not$/);
    expect(deletionRefusals([del("gone.example", { since: "1 day ago" })], rules)[0]).toMatch(/says only "1 day ago"/);
    expect(deletionRefusals([del("gone.example", { match: undefined })], rules)[0]).toMatch(/siteform suspended the site/);
    expect(deletionRefusals([del("gone.example", { match: ".*" })], rules)[0]).toMatch(/siteform suspended the site/);
    // A longer age than the policy asks is stricter, so allowed.
    expect(deletionRefusals([del("gone.example", { since: "90 days ago" })], rules)).toEqual([]);
  });

  it("cap deletions per server at policy.max_deletes unless --allow-deletes raises it", () => {
    const many = ["a", "b", "c", "d", "e", "f"].map((n) => del(`${n}.example`));
    const limit = inv.policy.maxDeletes;
    expect(many.length).toBeGreaterThan(limit);
    expect(deletionRefusals(many, rules)).toEqual([`fra1: 6 deletions, more than policy.max_deletes (${limit}); if every one is intended, pass --allow-deletes 6`]);
    expect(deletionRefusals(many, deletionRulesFor(inv, 6, TAGS))).toEqual([]);
    expect(deletionRefusals(many, deletionRulesFor(inv, 5, TAGS))[0]).toMatch(/more than --allow-deletes 5/);
    // Per server: the limit's worth on each of two servers is within the cap.
    const spread = [...many.slice(0, limit), ...many.slice(0, limit).map((o) => del(o.target.domain, {}, "ams1"))];
    expect(deletionRefusals(spread, rules)).toEqual([]);
  });

  it("applyPlan refuses the whole plan before any call, and deletes nothing without rules", async () => {
    const fra1 = new FakeProvider("fra1");
    const ops = [op("update", "kept.example"), del("vault.example")];
    const report = await applyPlan(plan(ops), { providers: providers(fra1), concurrency: { perServer: {}, total: 4 }, failFast: false, ...instant(), deletionRules: rules });
    expect(report.ok).toBe(false);
    expect(report.refused).toHaveLength(1);
    expect(report.ops.map((o) => o.status)).toEqual(["skipped", "skipped"]);
    expect(fra1.executions()).toBe(0);
    const withoutRules = await applyPlan(plan([del("gone.example")]), { providers: providers(fra1), concurrency: { perServer: {}, total: 4 }, failFast: false, ...instant() });
    expect(withoutRules.refused.join("\n")).toMatch(/more than policy.max_deletes \(0\)/);
    expect(fra1.executions()).toBe(0);
  });
});
