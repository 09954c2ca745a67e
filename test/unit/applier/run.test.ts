import { describe, expect, it } from "vitest";
import { applyPlan, type ApplyEvent, type ApplyOptions } from "../../../src/applier/index.js";
import type { Op } from "../../../src/model/index.js";
import { FakeProvider, Tracker, deferred, fail, instant, providers } from "./fake-provider.js";
import { CATALOGUE, op, plan, site } from "./ops.js";

/** The graph's logic alone: the re-read before each op has its own tests (preflight.test.ts). */
function options(fakes: Map<string, FakeProvider>, extra: Partial<ApplyOptions> = {}): ApplyOptions {
  const clock = instant();
  return { providers: fakes, catalogue: CATALOGUE, concurrency: { perServer: {}, total: 8 }, failFast: false, reread: false, now: clock.now, sleep: clock.sleep, random: clock.random, ...extra };
}

function statuses(report: Awaited<ReturnType<typeof applyPlan>>): Record<string, string> {
  return Object.fromEntries(report.ops.map((o) => [o.id, o.status]));
}

describe("applyPlan: graph execution", () => {
  it("starts no op before every op it depends on has finished", async () => {
    const tracker = new Tracker();
    const fra1 = new FakeProvider("fra1", tracker);
    const parent = op("create", "parent.example");
    const child1 = op("create", "child1.example", { dependsOn: [parent.id] });
    const child2 = op("create", "child2.example", { dependsOn: [parent.id] });
    const grand = op("update", "grand.example", { dependsOn: [child1.id, child2.id] });
    fra1.script(parent.id, { delayMs: 20 }).script(child1.id, { delayMs: 5 }).script(child2.id, { delayMs: 15 });
    const report = await applyPlan(plan([parent, child1, child2, grand]), options(providers(fra1)));
    expect(report.ok).toBe(true);
    for (const o of [child1, child2, grand]) {
      for (const dep of o.dependsOn) expect(tracker.ends(dep)[0]).toBeLessThan(tracker.starts(o.id)[0] ?? -1);
    }
    // Not in waves: the children overlapped each other.
    expect(tracker.starts(child2.id)[0]).toBeLessThan(tracker.ends(child1.id)[0] ?? -1);
  });

  it("starts an op as soon as its own dependencies are done, not when a slow unrelated op is", async () => {
    const tracker = new Tracker();
    const fra1 = new FakeProvider("fra1", tracker);
    const slow = op("update", "slow.example");
    const fast = op("update", "fast.example");
    const after = op("update", "after.example", { dependsOn: [fast.id] });
    fra1.script(slow.id, { delayMs: 40 });
    await applyPlan(plan([slow, fast, after]), options(providers(fra1)));
    expect(tracker.starts(after.id)[0]).toBeLessThan(tracker.ends(slow.id)[0] ?? -1);
  });

  it("never exceeds the per-server and total concurrency", async () => {
    const tracker = new Tracker();
    const fakes = providers(new FakeProvider("fra1", tracker), new FakeProvider("ams1", tracker), new FakeProvider("nyc1", tracker));
    const ops: Op[] = [];
    for (const server of ["fra1", "ams1", "nyc1"]) {
      for (let i = 0; i < 12; i++) ops.push(op("update", `s${i}.example`, { server }));
    }
    for (const o of ops) fakes.get(o.server)?.script(o.id, { delayMs: 2 + (o.target.name.length % 4) });
    const report = await applyPlan(plan(ops), options(fakes, { concurrency: { perServer: { fra1: 2, ams1: 3 }, total: 5 } }));
    expect(report.totals.done).toBe(36);
    expect(tracker.maxPerServer.get("fra1")).toBe(2);
    expect(tracker.maxPerServer.get("ams1")).toBeLessThanOrEqual(3);
    expect(tracker.maxTotal).toBe(5);
  });

  it("skips only the transitive dependents of a rejected op, naming the root cause", async () => {
    const fra1 = new FakeProvider("fra1");
    const bad = op("create", "bad.example");
    const child = op("create", "child.example", { dependsOn: [bad.id] });
    const grandchild = op("update", "grandchild.example", { dependsOn: [child.id] });
    const other = op("update", "other.example");
    fra1.script(bad.id, { error: fail("rejected", "domain bad.example is reserved") });
    const report = await applyPlan(plan([bad, child, grandchild, other]), options(providers(fra1)));
    expect(statuses(report)).toEqual({ [bad.id]: "failed", [child.id]: "skipped", [grandchild.id]: "skipped", [other.id]: "done" });
    expect(report.ops[0]?.message).toBe("domain bad.example is reserved");
    expect(report.ops[0]?.attempts).toBe(1);
    expect(report.ops[2]?.message).toBe(`depends on ${bad.id} which failed`);
    expect(fra1.executions(child.id)).toBe(0);
    expect(report.ok).toBe(false);
  });

  it("records the new site id after a create", async () => {
    const fra1 = new FakeProvider("fra1");
    const create = op("create", "new.example");
    fra1.script(create.id, { result: { id: "site42" } });
    const report = await applyPlan(plan([create]), options(providers(fra1)));
    expect(report.ops[0]).toMatchObject({ status: "done", resourceId: "site42", attempts: 1 });
  });

  it("looks the new id up by name when the provider does not report it", async () => {
    const fra1 = new FakeProvider("fra1");
    const create = op("create", "new.example");
    fra1.script(create.id, { result: { id: null } }).readBack("new.example", site("site77", "new.example"));
    const report = await applyPlan(plan([create]), options(providers(fra1)));
    expect(report.ops[0]).toMatchObject({ status: "done", resourceId: "site77" });
  });

  it("with failFast starts nothing after the first failure and says why", async () => {
    const fra1 = new FakeProvider("fra1");
    const first = op("update", "a.example");
    const rest = ["b", "c", "d"].map((n) => op("update", `${n}.example`));
    fra1.script(first.id, { error: fail("rejected", "quota too large") });
    const report = await applyPlan(plan([first, ...rest]), options(providers(fra1), { concurrency: { perServer: {}, total: 1 }, failFast: true }));
    expect(report.ops.map((o) => o.status)).toEqual(["failed", "skipped", "skipped", "skipped"]);
    expect(report.ops[1]?.message).toBe("not started: --fail-fast");
    expect(fra1.executions()).toBe(1);
    expect(report.interrupted).toBe(false);
  });

  it("on abort lets ops in flight finish, starts no new one and reports interrupted", async () => {
    const fra1 = new FakeProvider("fra1");
    const gate = deferred();
    const ops = ["a", "b", "c", "d", "e"].map((n) => op("update", `${n}.example`));
    fra1.script(ops[0]?.id ?? "", { gate: gate.promise }).script(ops[1]?.id ?? "", { gate: gate.promise });
    const controller = new AbortController();
    const seen: ApplyEvent[] = [];
    const running = applyPlan(plan(ops), options(providers(fra1), { concurrency: { perServer: {}, total: 2 }, signal: controller.signal, events: (e) => seen.push(e) }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    gate.resolve();
    const report = await running;
    expect(report.ops.map((o) => o.status)).toEqual(["done", "done", "skipped", "skipped", "skipped"]);
    expect(report.ops[4]?.message).toBe("not started: interrupted");
    expect(report.interrupted).toBe(true);
    expect(fra1.executions()).toBe(2);
    expect(seen.some((e) => e.type === "apply-interrupted")).toBe(true);
  });

  it("starts nothing when the signal is already aborted", async () => {
    const fra1 = new FakeProvider("fra1");
    const report = await applyPlan(plan([op("update", "a.example")]), options(providers(fra1), { signal: AbortSignal.abort() }));
    expect(report.ops[0]).toMatchObject({ status: "skipped", message: "not started: interrupted" });
    expect(fra1.executions()).toBe(0);
  });

  it("stops a server's other ops once its key is refused, while other servers go on", async () => {
    const fra1 = new FakeProvider("fra1");
    const ams1 = new FakeProvider("ams1");
    const a = op("update", "a.example");
    const b = op("update", "b.example");
    const c = op("update", "c.example", { server: "ams1" });
    fra1.script(a.id, { error: fail("auth", "the API key was refused") });
    const report = await applyPlan(plan([a, b, c]), options(providers(fra1, ams1), { concurrency: { perServer: { fra1: 1 }, total: 4 } }));
    expect(statuses(report)).toEqual({ [a.id]: "failed", [b.id]: "skipped", [c.id]: "done" });
    expect(report.ops[1]?.message).toBe("not started: server fra1 refused the API key");
  });

  it("fails an op whose server has no provider and reports an empty plan as ok", async () => {
    const report = await applyPlan(plan([op("update", "a.example", { server: "gone1" })]), options(providers()));
    expect(report.ops[0]).toMatchObject({ status: "failed", attempts: 0 });
    expect(report.ops[0]?.message).toContain("gone1");
    const empty = await applyPlan(plan([]), options(providers()));
    expect(empty).toMatchObject({ ok: true, totals: { total: 0 } });
  });

  it("stops starting ops when an event sink throws, since the run could not be recorded", async () => {
    const fra1 = new FakeProvider("fra1");
    const ops = ["a", "b", "c"].map((n) => op("update", `${n}.example`));
    let writes = 0;
    const events = (e: ApplyEvent): void => {
      if (e.type === "op-finished" && ++writes === 1) throw new Error("ENOSPC: no space left on device");
    };
    const report = await applyPlan(plan(ops), options(providers(fra1), { concurrency: { perServer: {}, total: 1 }, events }));
    expect(report.ops.map((o) => o.status)).toEqual(["done", "skipped", "skipped"]);
    expect(report.ops[1]?.message).toContain("ENOSPC");
  });
});
