/**
 * Apply trusts only what it checks, end to end: the real CLI in-process against emulated
 * servers. Each test is one way a saved plan, a colleague or a signal can get between review
 * and the server, and asserts both the message and what reached the server (the emulator's
 * count of mutating calls).
 */
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { serializePlan } from "../../src/planner/plan-file.js";
import type { Plan } from "../../src/model/index.js";
import { catalogueOf } from "../../src/providers/registry.js";
import { addSite, domainsOn, invoke, invokeDaysAgo, mutatingCalls, startTestFleet, waitFor, type TestFleet, SMALL_PLAN_YAML } from "./cli-harness.js";

const CONFIG = `servers:
  s1:
    url: http://127.0.0.1:1/soap
    key_env: S1_APISCP_KEY
    concurrency: 1
policy:
  max_deletes: 3
`;

const site = (name: string, extra = ""): string => `domain: ${name}.example\nserver: s1\nadmin_user: ${name}\nemail: owner@${name}.example\nplan: small\n${extra}`;

const BASE = {
  "siteform.yaml": CONFIG,
  "plans/small.yaml": SMALL_PLAN_YAML,
  "sites/alpha.yaml": site("alpha", "protect: true\n"),
  "sites/beta.yaml": site("beta"),
};

let fleet: TestFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

/** A fleet where alpha (protected) and beta exist with quota 1, so the plan updates both to 2. */
async function twoUpdates(files: Readonly<Record<string, string>> = BASE): Promise<TestFleet> {
  fleet = await startTestFleet(files);
  const s1 = fleet.server("s1");
  for (const name of ["alpha", "beta"]) {
    addSite(s1, `${name}.example`, name, { "siteinfo.plan": "starter", "siteinfo.email": `owner@${name}.example`, "diskquota.quota": 1 });
  }
  return fleet;
}

async function savedPlan(f: TestFleet, args: readonly string[] = []): Promise<Plan & { digest: string }> {
  const planned = await f.cli(["plan", "-o", "plan.json", ...args]);
  expect(planned.code, planned.stderr).toBe(0);
  return JSON.parse(await f.read("plan.json")) as Plan & { digest: string };
}

function quotaOf(f: TestFleet, domain: string): unknown {
  const rows = invoke(f.server("s1"), "admin_collect", ["diskquota.quota"], null, [domain]) as Record<string, { diskquota?: { quota?: unknown } }>;
  return Object.values(rows)[0]?.diskquota?.quota;
}

describe("a saved plan is a proposal apply re-derives", () => {
  it("an op edited from update to delete on a protected site is refused whole, nothing sent", async () => {
    const f = await twoUpdates();
    const doc = await savedPlan(f);
    expect(doc.ops.map((o) => o.id)).toEqual(["s1:update:alpha.example", "s1:update:beta.example"]);
    const text = (await f.read("plan.json")).replace('"action": "update"', '"action": "delete"');
    await f.write("plan.json", text);
    f.server("s1").calls.reset();
    const applied = await f.cli(["apply", "plan.json"]);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(/plan\.json is not what siteform would do now, so nothing was applied/);
    expect(applied.stderr).toMatch(/plan\.json was edited after siteform wrote it/);
    expect(mutatingCalls(f.server("s1"))).toBe(0);
    expect(domainsOn(f.server("s1"))).toEqual(["alpha.example", "beta.example"]);
  });

  it("an edit with a recomputed digest is still refused: apply plans again and names the op and why", async () => {
    const f = await twoUpdates();
    const doc = await savedPlan(f);
    const [alpha, beta] = doc.ops;
    if (alpha === undefined || beta === undefined) throw new Error("expected two ops");
    const forged = (ops: Plan["ops"]): string => serializePlan({ ...doc, ops }, catalogueOf());
    const cases: Array<{ name: string; ops: Plan["ops"]; expected: RegExp }> = [
      {
        name: "delete a protected site",
        ops: [{ ...alpha, id: "s1:delete:alpha.example", action: "delete", changes: [] }, beta],
        expected: /s1 delete alpha\.example \[s1:delete:alpha\.example\]: siteform would not do this now/,
      },
      {
        name: "another value",
        ops: [{ ...alpha, changes: alpha.changes.map((c) => ({ ...c, after: 99 })) }, beta],
        expected: /s1 update alpha\.example \[s1:update:alpha\.example\]: the file changes diskquota\.quota 1 → 99, siteform would change diskquota\.quota 1 → 2/,
      },
      {
        name: "an added password change",
        ops: [alpha, { ...beta, changes: [...beta.changes, { field: "auth.tpasswd", before: null, after: "[redacted]", secret: true }] }],
        expected: /the file changes auth\.tpasswd .*siteform would leave auth\.tpasswd alone/,
      },
    ];
    for (const c of cases) {
      await f.write("plan.json", forged(c.ops));
      f.server("s1").calls.reset();
      const applied = await f.cli(["apply", "plan.json"]);
      expect(applied.code, c.name).toBe(1);
      expect(applied.stderr, c.name).toMatch(c.expected);
      expect(applied.stderr, c.name).not.toMatch(/was edited after siteform wrote it/);
      expect(mutatingCalls(f.server("s1")), c.name).toBe(0);
    }
    expect(quotaOf(f, "alpha.example")).toBe(1);
    expect(domainsOn(f.server("s1"))).toEqual(["alpha.example", "beta.example"]);
  });

  it("a plan made from another inventory says so, and --dir as printed applies it", async () => {
    const f = await twoUpdates();
    const other = join(f.root, "other");
    await cp(f.dir, other, { recursive: true });
    await f.write("sites/beta.yaml", site("beta", "services:\n  diskquota:\n    quota: 7\n"));
    const planned = await f.cli(["plan", "-o", "plan.json", "--dir", other]);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stderr).toContain(`siteform apply plan.json --dir ${other}`);
    f.server("s1").calls.reset();
    const wrong = await f.cli(["apply", "plan.json"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`plan.json comes from another inventory: it was planned from ${other}, and this apply reads ${f.dir}; run apply with --dir ${other}`);
    expect(wrong.stderr).not.toMatch(/stale|other sites on the server changed/);
    expect(mutatingCalls(f.server("s1"))).toBe(0);
    const right = await f.cli(["apply", "plan.json", "--dir", other]);
    expect(right.code, right.stderr).toBe(0);
    expect(quotaOf(f, "beta.example")).toBe(2);
  });

  it("an inventory changed since the plan is named by file", async () => {
    const f = await twoUpdates();
    await savedPlan(f);
    await f.write("sites/beta.yaml", site("beta", "services:\n  diskquota:\n    quota: 7\n"));
    f.server("s1").calls.reset();
    const applied = await f.cli(["apply", "plan.json"]);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(/s1 update beta\.example \[s1:update:beta\.example\]: the file changes diskquota\.quota 1 → 2, siteform would change diskquota\.quota 1 → 7/);
    expect(applied.stderr).toMatch(/because the inventory changed since the plan: sites\/beta\.yaml was changed/);
    expect(applied.stderr).not.toMatch(/alpha\.example/);
    expect(mutatingCalls(f.server("s1"))).toBe(0);
  });

  it("more deletions than policy.max_deletes need --allow-deletes on apply too, not only on plan", async () => {
    const cancelled = "state: cancelled\ncancelled_on: 2020-01-01\n";
    fleet = await startTestFleet({
      "siteform.yaml": CONFIG.replace("max_deletes: 3", "max_deletes: 1"),
      "plans/small.yaml": SMALL_PLAN_YAML,
      "sites/old1.yaml": site("old1", cancelled),
      "sites/old2.yaml": site("old2", cancelled),
    });
    const f = fleet;
    const s1 = f.server("s1");
    for (const name of ["old1", "old2"]) {
      addSite(s1, `${name}.example`, name, { "siteinfo.plan": "starter", "siteinfo.email": `owner@${name}.example` });
      invokeDaysAgo(s1, 90, "admin_deactivate_site", `${name}.example`, { reason: "siteform: cancelled on 2020-01-01" });
    }
    expect((await f.cli(["plan", "-o", "plan.json"])).code).toBe(1);
    await savedPlan(f, ["--allow-deletes", "2"]);
    s1.calls.reset();
    const without = await f.cli(["apply", "plan.json"]);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/2 deletions on s1, more than policy\.max_deletes \(1\)\n\s+hint: .*run apply with --allow-deletes 2 \(as you did for plan\)/);
    expect(mutatingCalls(s1)).toBe(0);
    const allowed = await f.cli(["apply", "plan.json", "--allow-deletes", "2"]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(domainsOn(s1)).toEqual([]);
  });

  it("a change on the server that does not alter the ops does not refuse the plan", async () => {
    const f = await twoUpdates();
    await savedPlan(f);
    // Someone adds an unrelated site by hand: the server's fingerprint changes, the ops do not.
    addSite(f.server("s1"), "unrelated.example", "unrelated", { "siteinfo.plan": "starter" });
    const applied = await f.cli(["apply", "plan.json"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(quotaOf(f, "alpha.example")).toBe(2);
    expect(quotaOf(f, "beta.example")).toBe(2);
  });
});

describe("right before each mutation, the op's own target is re-read", () => {
  it("a site changed by someone while apply runs is a conflict: not overwritten, dependents skipped, exit 1", async () => {
    const f = await twoUpdates();
    await savedPlan(f);
    const s1 = f.server("s1");
    s1.calls.reset();
    // Concurrency 1: beta's update waits while alpha's is slow; meanwhile support edits beta.
    s1.setKnobs({ latencyMs: { admin_edit_site: 600 } });
    const running = f.cli(["apply", "plan.json", "--report-file", "report.txt"]);
    await waitFor(() => s1.calls.count("admin_edit_site") >= 1, 10_000, "alpha's edit in flight");
    invoke(s1, "admin_edit_site", "beta.example", { "diskquota.quota": 5 }, {});
    const applied = await running;
    expect(applied.code).toBe(1);
    expect(applied.stdout).toMatch(/Conflict: changed on the server since the plan, not sent \(1\):\n {2}s1 update beta\.example \(diskquota\.quota: 1 → \d+\): not sent: the site changed since the plan \(diskquota\.quota was 1 when planned, is now 5\)/);
    // Over the wire only alpha's edit (the one by hand is in-process); beta keeps the hand-made value.
    expect(s1.calls.count("admin_edit_site")).toBe(1);
    expect(quotaOf(f, "beta.example")).toBe(5);
    expect(quotaOf(f, "alpha.example")).toBe(2);
    expect(await f.read("report.txt")).toMatch(/1 done, 0 failed, 1 conflict/);
  });
});

describe("two applies on one machine do not interleave on a server", () => {
  it("the second waits for the first, says so, and then refuses what the first already did", async () => {
    fleet = await startTestFleet({ "siteform.yaml": CONFIG, "plans/small.yaml": SMALL_PLAN_YAML, "sites/gamma.yaml": site("gamma"), "sites/delta.yaml": site("delta") });
    const f = fleet;
    const s1 = f.server("s1");
    s1.setKnobs({ latencyMs: { admin_add_site: 400 } });
    const first = f.cli(["apply", "--auto-approve"]);
    await waitFor(() => s1.calls.count("admin_add_site") >= 1, 10_000, "the first apply's create");
    const second = await f.cli(["apply", "--auto-approve"]);
    const done = await first;
    expect(done.code, done.stderr).toBe(0);
    expect(second.stderr).toMatch(/waiting for siteform process \d+ \(apply, since [^)]+\) to finish with server s1/);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/the plan shown is not what siteform would do now/);
    expect(second.stderr).toMatch(/because the server changed since the plan: domain gamma\.example is now taken by/);
    // Each site created exactly once, by the first apply.
    expect(s1.calls.count("admin_add_site")).toBe(2);
    expect(domainsOn(s1)).toEqual(["delta.example", "gamma.example"]);
  });

  it("--lock-timeout 0 refuses at once while another apply holds the server", async () => {
    fleet = await startTestFleet({ "siteform.yaml": CONFIG, "plans/small.yaml": SMALL_PLAN_YAML, "sites/gamma.yaml": site("gamma") });
    const f = fleet;
    const s1 = f.server("s1");
    s1.setKnobs({ latencyMs: { admin_add_site: 400 } });
    const first = f.cli(["apply", "--auto-approve"]);
    await waitFor(() => s1.calls.count("admin_add_site") >= 1, 10_000, "the first apply's create");
    const refused = await f.cli(["apply", "--auto-approve", "--lock-timeout", "0"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/error: server s1 is being changed by siteform process \d+ \(apply, since .*\); nothing was applied/);
    expect((await first).code).toBe(0);
    expect(s1.calls.count("admin_add_site")).toBe(1);
  });
});

describe("interrupts during apply", () => {
  it("Ctrl-C while apply plans again ends it promptly with exit 130 and nothing sent", async () => {
    const f = await twoUpdates();
    await savedPlan(f);
    const s1 = f.server("s1");
    s1.calls.reset();
    s1.setKnobs({ latencyMs: { admin_collect: 20_000 } });
    const stop = new AbortController();
    const started = Date.now();
    const running = f.cli(["apply", "plan.json"], { interrupted: stop.signal });
    await waitFor(() => s1.calls.count("admin_collect") >= 1, 10_000, "the re-read");
    stop.abort();
    const applied = await running;
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(applied.code).toBe(130);
    expect(applied.stderr).toMatch(/apply interrupted: nothing was applied/);
    expect(mutatingCalls(s1)).toBe(0);
  });

  it("a second Ctrl-C names the ops in flight, writes the report and the journal's final records, exits 130", async () => {
    const names = ["one", "two", "three", "four"];
    fleet = await startTestFleet({
      "siteform.yaml": CONFIG.replace("concurrency: 1", "concurrency: 2"),
      "plans/small.yaml": SMALL_PLAN_YAML,
      ...Object.fromEntries(names.map((n) => [`sites/${n}.yaml`, site(n)])),
    });
    const f = fleet;
    const s1 = f.server("s1");
    s1.setKnobs({ latencyMs: { admin_add_site: 20_000 } });
    const first = new AbortController();
    const second = new AbortController();
    const started = Date.now();
    const running = f.cli(["apply", "--auto-approve", "--journal", "journal.jsonl", "--report-file", "report.json", "--report-format", "json"], {
      interrupted: first.signal,
      forced: second.signal,
    });
    await waitFor(() => s1.calls.count("admin_add_site") >= 2, 10_000, "two creates in flight");
    first.abort();
    second.abort();
    const applied = await running;
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(applied.code).toBe(130);
    expect(applied.stderr).toMatch(/apply was stopped a second time: 2 ops were in flight and may have completed \(s1 create \w+\.example, s1 create \w+\.example\)/);
    const report = JSON.parse(await f.read("report.json")) as { forced: boolean; totals: Record<string, number> };
    expect(report.forced).toBe(true);
    expect(report.totals).toMatchObject({ unknown: 2, skipped: 2, done: 0, total: 4 });
    const journal = (await f.read("journal.jsonl"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(journal.filter((r) => r.record === "finish" && r.status === "unknown")).toHaveLength(2);
    expect(journal.at(-1)).toMatchObject({ record: "footer", ok: false, interrupted: true, forced: true });
    expect(s1.calls.count("admin_add_site")).toBe(2);
  });
});
