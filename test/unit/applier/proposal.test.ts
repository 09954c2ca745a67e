import { describe, expect, it } from "vitest";
import { checkProposal, differingParts, type ProposalInput } from "../../../src/applier/proposal.js";
import type { Inventory, ObservedServer, Plan } from "../../../src/model/index.js";
import { CATALOGUE, desired, inventory, observedOf, observedServer, plan } from "../planner/helpers.js";

/** An inventory as loaded from a directory: its path and a digest per file. */
function loaded(inv: Inventory, dir: string, digests: Record<string, string>): Inventory {
  return { ...inv, dir, digests };
}

const FILES = { "siteform.yaml": "aaaaaaaaaaaaaaaa", "sites/acme.example.yaml": "bbbbbbbbbbbbbbbb", "sites/other.example.yaml": "cccccccccccccccc" };

function scenario(quotaWanted: number, quotaOnServer: number, extra: { otherQuota?: number } = {}): { inv: Inventory; observed: ObservedServer[] } {
  const acme = desired({ domain: "acme.example", services: { diskquota: { quota: quotaWanted } } });
  const other = desired({ domain: "other.example" });
  const inv = loaded(inventory([acme, other]), "/repo", FILES);
  const observed = [observedServer("fra1", [observedOf(acme, "site1", { fields: { diskquota: { quota: quotaOnServer } } }), observedOf(other, "site2", { fields: { diskquota: { quota: extra.otherQuota ?? 5 } } })])];
  return { inv, observed };
}

function input(file: Plan, now: { inv: Inventory; observed: ObservedServer[] }, overrides: Partial<ProposalInput> = {}): ProposalInput {
  return {
    file,
    intact: true,
    now: plan(now.inv, now.observed, { servers: ["fra1"] }),
    atPlanTime: null,
    inventory: { dir: now.inv.dir, digests: now.inv.digests },
    observed: now.observed,
    label: "plan.json",
    catalogue: CATALOGUE,
    ...overrides,
  };
}

describe("a saved plan against the plan siteform makes now", () => {
  const then = scenario(10, 5);
  const file = plan(then.inv, then.observed, { servers: ["fra1"] });

  it("is accepted when the ops are the same, even if other sites on the server changed", () => {
    expect(file.ops.map((o) => o.id)).toEqual(["fra1:update:acme.example"]);
    expect(checkProposal(input(file, then))).toMatchObject({ ok: true, message: null, differences: [] });
    const otherChanged = scenario(10, 5, { otherQuota: 9 });
    const now = input(file, otherChanged);
    // The other site's drift is a new op: siteform would also fix it now, and the file does not.
    const check = checkProposal(now);
    expect(check.ok).toBe(false);
    expect(check.differences.map((d) => d.opId)).toEqual(["fra1:update:other.example"]);
  });

  it("names a server change by the precondition that no longer holds", () => {
    const check = checkProposal(input(file, scenario(10, 7)));
    expect(check.ok).toBe(false);
    expect(check.differences).toHaveLength(1);
    const [d] = check.differences;
    expect(d?.what).toBe("the file changes diskquota.quota 5 → 10, siteform would change diskquota.quota 7 → 10");
    expect(d?.reasons).toEqual(["the server changed since the plan: diskquota.quota was 5 when planned, is now 7"]);
  });

  it("shows a server's value escaped in the refusal, so it cannot steer a terminal", () => {
    const hostile = scenario(10, 5);
    const site = hostile.observed[0]?.ok === true ? hostile.observed[0].resources[0] : undefined;
    if (site === undefined) throw new Error("expected a site");
    const changed = [observedServer("fra1", [{ ...site, fields: { ...site.fields, diskquota: { quota: "7\u001b[2J\u202e" } } }, ...(hostile.observed[0]?.ok === true ? hostile.observed[0].resources.slice(1) : [])])];
    const check = checkProposal(input(file, { inv: hostile.inv, observed: changed }));
    expect(check.message).toContain("is now \"7\\u001b[2J\\u202e\"");
    expect(check.message?.includes("\u001b") || check.message?.includes("\u202e")).toBe(false);
  });

  it("names an inventory change by file", () => {
    const now = scenario(12, 5);
    const changed = { ...now, inv: loaded(now.inv, "/repo", { ...FILES, "sites/acme.example.yaml": "dddddddddddddddd" }) };
    const [d] = checkProposal(input(file, changed)).differences;
    expect(d?.reasons).toEqual(["the inventory changed since the plan: sites/acme.example.yaml was changed"]);
  });

  it("says when the file comes from another inventory, and accepts a copy of the same one elsewhere", () => {
    const elsewhere = { ...then, inv: loaded(then.inv, "/elsewhere", { ...FILES, "sites/new.yaml": "eeeeeeeeeeeeeeee" }) };
    const check = checkProposal(input(file, elsewhere));
    expect(check.ok).toBe(false);
    expect(check.fileProblems[0]).toBe(
      "plan.json comes from another inventory: it was planned from /repo, and this apply reads /elsewhere; run apply with --dir /repo if that is the one you meant",
    );
    const copy = { ...then, inv: loaded(then.inv, "/ci/checkout", FILES) };
    expect(checkProposal(input(file, copy)).ok).toBe(true);
  });

  it("refuses a file whose digest does not match even when its ops are the same", () => {
    const check = checkProposal(input(file, then, { intact: false }));
    expect(check.ok).toBe(false);
    expect(check.differences).toEqual([]);
    expect(check.message).toMatch(/plan\.json was edited after siteform wrote it/);
    expect(check.message).toMatch(/only files siteform wrote are applied/);
  });

  it("says that only time passed when planning as of the file's own time gives the file's ops", () => {
    const gone = desired({ domain: "gone.example", state: "cancelled", cancelledOn: "2025-07-10" });
    const inv = loaded(inventory([gone]), "/repo", FILES);
    const observed = [observedServer("fra1", [observedOf(gone, "site9", { state: "suspended" })])];
    // On 2025-08-01 the grace of 30 days is not over: no op. On 2025-08-12 it is: a delete.
    const early = plan(inv, observed, { servers: ["fra1"] });
    expect(early.ops).toEqual([]);
    const later = plan(inv, observed, { servers: ["fra1"], now: "2025-08-12T06:00:00.000Z" });
    expect(later.ops.map((o) => o.action)).toEqual(["delete"]);
    const check = checkProposal({ ...input(early, { inv, observed }), now: later, atPlanTime: early });
    expect(check.differences).toHaveLength(1);
    expect(check.differences[0]?.what).toBe("siteform would do this now, and plan.json does not");
    expect(check.differences[0]?.reasons).toEqual([`time passed since the plan was made (${early.createdAt}): a grace period ended or a date moved on`]);
  });
});

describe("differingParts", () => {
  const then = scenario(10, 5);
  const [op] = plan(then.inv, then.observed).ops;
  if (op === undefined) throw new Error("expected an op");

  it("finds nothing in the same op, and ignores what is only for people", () => {
    expect(differingParts(op, { ...op, reason: "other words", notes: ["a note"], target: { ...op.target, source: { file: "x", line: 99 } } })).toEqual([]);
  });

  it("names each part that differs", () => {
    expect(differingParts(op, { ...op, action: "delete" })).toEqual(["the file says update on fra1, siteform would delete on fra1"]);
    expect(differingParts(op, { ...op, flags: { reset: true } })).toEqual(['the flags differ (file: {}, now: {"reset":true})']);
    expect(differingParts(op, { ...op, dependsOn: ["fra1:create:x"] })).toEqual(["the dependencies differ (file: none; now: fra1:create:x)"]);
    expect(differingParts(op, { ...op, target: { ...op.target, id: "site7" } })[0]).toMatch(/^the target differs/);
    expect(differingParts(op, { ...op, preconditions: { ...op.preconditions, fields: {} } })).toEqual(["what it expects to find on the server differs"]);
  });
});
