import { describe, expect, it } from "vitest";
import { applyPlan, paidRefusals, paidRulesFor, type PaidRules } from "../../../src/applier/index.js";
import type { Inventory, Op } from "../../../src/model/index.js";
import { FakeProvider, instant, providers } from "./fake-provider.js";
import { CATALOGUE, op, plan } from "./ops.js";

/** An op whose action costs money, as the planner marks one for a kind that declares it paid. */
function paid(action: "create" | "update", domain: string, server = "fra1"): Op {
  return op(action, domain, { server, paid: true });
}

const RULES: PaidRules = { maxPaidOps: 2, allowPaid: null };

describe("the applier's own cap on paid actions", () => {
  it("lets paid ops through up to policy.max_paid_ops, and never counts ops that cost nothing", () => {
    expect(paidRefusals([], RULES)).toEqual([]);
    expect(paidRefusals([paid("create", "a.example"), paid("update", "b.example")], RULES)).toEqual([]);
    const free = ["c", "d", "e", "f"].map((n) => op("create", `${n}.example`));
    expect(paidRefusals([paid("create", "a.example"), ...free, paid("update", "b.example")], RULES)).toEqual([]);
  });

  it("refuses more paid ops than policy.max_paid_ops, naming them and the flag that would allow them", () => {
    const ops = [paid("create", "a.example"), paid("update", "b.example"), paid("create", "c.example", "ams1")];
    expect(paidRefusals(ops, RULES)).toEqual([
      "3 operations cost money (fra1 create a.example, fra1 update b.example, ams1 create c.example), more than policy.max_paid_ops (2); if every one is intended, pass --allow-paid 3",
    ]);
  });

  it("counts across every server, not per server", () => {
    const ops = [paid("create", "a.example", "fra1"), paid("create", "b.example", "ams1"), paid("create", "c.example", "nyc1")];
    expect(paidRefusals(ops, RULES)).toHaveLength(1);
    expect(paidRefusals(ops, { maxPaidOps: 0, allowPaid: null })[0]).toMatch(/^3 operations cost money .*more than policy\.max_paid_ops \(0\)/);
  });

  it("lists five paid ops at most", () => {
    const ops = ["a", "b", "c", "d", "e", "f", "g"].map((n) => paid("create", `${n}.example`));
    const [refusal] = paidRefusals(ops, RULES);
    expect(refusal).toContain("(fra1 create a.example, fra1 create b.example, fra1 create c.example, fra1 create d.example, fra1 create e.example, …)");
    expect(refusal).not.toContain("f.example");
    expect(refusal).toMatch(/pass --allow-paid 7$/);
  });

  it("--allow-paid raises the cap, but never lowers it below the policy", () => {
    const ops = ["a", "b", "c", "d"].map((n) => paid("create", `${n}.example`));
    expect(paidRefusals(ops, { maxPaidOps: 2, allowPaid: 4 })).toEqual([]);
    expect(paidRefusals(ops, { maxPaidOps: 2, allowPaid: 3 })[0]).toMatch(/^4 operations cost money .*more than --allow-paid 3; if every one is intended, pass --allow-paid 4$/);
    expect(paidRefusals(ops.slice(0, 2), { maxPaidOps: 2, allowPaid: 1 })).toEqual([]);
  });

  it("builds its rules from the inventory's policy and the command's flag", () => {
    const inventory = { policy: { maxPaidOps: 3 } } as unknown as Inventory;
    expect(paidRulesFor(inventory, null)).toEqual({ maxPaidOps: 3, allowPaid: null });
    expect(paidRulesFor(inventory, 5)).toEqual({ maxPaidOps: 3, allowPaid: 5 });
  });
});

describe("applyPlan and paid actions", () => {
  const options = (fra1: FakeProvider, paidRules?: PaidRules) => ({
    providers: providers(fra1),
    catalogue: CATALOGUE,
    concurrency: { perServer: {}, total: 4 },
    failFast: false,
    ...instant(),
    ...(paidRules === undefined ? {} : { paidRules }),
  });

  it("refuses the whole plan, sending nothing, when it has more paid ops than the rules allow", async () => {
    const fra1 = new FakeProvider("fra1");
    const ops = [op("update", "free.example"), paid("create", "a.example"), paid("create", "b.example"), paid("update", "c.example")];
    const report = await applyPlan(plan(ops), options(fra1, RULES));
    expect(report.ok).toBe(false);
    expect(report.refused).toEqual([expect.stringMatching(/^3 operations cost money .*more than policy\.max_paid_ops \(2\)/)]);
    expect(report.ops.map((o) => o.status)).toEqual(["skipped", "skipped", "skipped", "skipped"]);
    expect(report.ops.every((o) => o.message?.startsWith("not started: the plan breaks siteform's rule on paid actions (3 operations cost money") === true)).toBe(true);
    expect(report.ops.every((o) => o.attempts === 0)).toBe(true);
    // Not even the re-read before an op: nothing reaches the server.
    expect(fra1.calls).toEqual([]);
  });

  it("runs no paid op without rules, and runs them within the rules", async () => {
    const refused = new FakeProvider("fra1");
    const withoutRules = await applyPlan(plan([paid("create", "a.example")]), options(refused));
    expect(withoutRules.ok).toBe(false);
    expect(withoutRules.refused.join("\n")).toMatch(/more than policy\.max_paid_ops \(0\)/);
    expect(refused.executions()).toBe(0);

    const fra1 = new FakeProvider("fra1");
    const ops = [op("update", "free.example"), paid("create", "a.example"), paid("update", "b.example")];
    const report = await applyPlan(plan(ops), options(fra1, RULES));
    expect(report.refused).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.ops.map((o) => o.status)).toEqual(["done", "done", "done"]);
    expect(fra1.executions()).toBe(3);
  });

  it("a plan without paid ops needs no rules", async () => {
    const fra1 = new FakeProvider("fra1");
    const report = await applyPlan(plan([op("create", "a.example"), op("update", "b.example")]), options(fra1));
    expect(report.ok).toBe(true);
    expect(fra1.executions()).toBe(2);
  });
});
