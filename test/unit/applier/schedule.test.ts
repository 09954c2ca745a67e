import { describe, expect, it } from "vitest";
import { Schedule } from "../../../src/applier/schedule.js";
import { op } from "./ops.js";

const a = op("create", "a.example");
const b = op("create", "b.example", { dependsOn: [a.id] });
const c = op("update", "c.example", { dependsOn: [b.id] });
const d = op("update", "d.example", { server: "ams1" });
const e = op("update", "e.example", { server: "ams1", dependsOn: [a.id] });

const ids = (ops: { id: string }[]) => ops.map((o) => o.id);

describe("Schedule", () => {
  it("offers ops whose dependencies are done, in plan order, within the limits", () => {
    const s = new Schedule([a, b, c, d, e], { perServer: { fra1: 1 }, total: 10 });
    expect(ids(s.take())).toEqual([a.id, d.id]);
    expect(s.take()).toEqual([]);
    expect(s.finish(a.id, "done")).toEqual([]);
    expect(ids(s.take())).toEqual([b.id, e.id]);
    expect(s.running).toBe(3);
  });

  it("starts an op released late before later ready ops of its server, in plan order across servers", () => {
    const first = op("update", "first.example");
    const waits = op("update", "waits.example", { dependsOn: [first.id] });
    const later = [1, 2, 3].map((n) => op("update", `later${n}.example`));
    const other = op("update", "other.example", { server: "ams1" });
    const s = new Schedule([first, waits, ...later, other], { perServer: { fra1: 1, ams1: 1 }, total: 1 });
    expect(ids(s.take())).toEqual([first.id]);
    s.finish(first.id, "done");
    // Released after later1..3 were ready: it still comes first, being earlier in the plan.
    expect(ids(s.take())).toEqual([waits.id]);
    s.finish(waits.id, "done");
    expect(ids(s.take())).toEqual([later[0]?.id]);
    s.finish(later[0]?.id ?? "", "done");
    expect(ids(s.take())).toEqual([later[1]?.id]);
    s.finish(later[1]?.id ?? "", "done");
    expect(ids(s.take())).toEqual([later[2]?.id]);
    s.finish(later[2]?.id ?? "", "done");
    expect(ids(s.take())).toEqual([other.id]);
  });

  it("shares a tight overall limit among the servers, so none is left to run alone at the end", () => {
    const servers = ["s0", "s1", "s2", "s3"];
    const ops = servers.flatMap((server) => Array.from({ length: 6 }, (_, n) => op("update", `${server}-${n}.example`, { server })));
    const s = new Schedule(ops, { perServer: Object.fromEntries(servers.map((n) => [n, 3])), total: 8 });
    const perServer = (started: { server: string }[]): number[] => servers.map((n) => started.filter((o) => o.server === n).length);
    // 8 slots for 4 servers with 3 each: two each, not three for the first two servers in the plan.
    expect(perServer(s.take())).toEqual([2, 2, 2, 2]);
    // Each server's ops still start in plan order.
    s.finish(`s0:update:s0-0.example`, "done");
    expect(ids(s.take())).toEqual(["s0:update:s0-2.example"]);
  });

  it("bounds the total across servers", () => {
    const s = new Schedule([a, d], { perServer: {}, total: 1 });
    expect(ids(s.take())).toEqual([a.id]);
    s.finish(a.id, "done");
    expect(ids(s.take())).toEqual([d.id]);
  });

  it("skips every transitive dependent of a failure with the root cause, and settles", () => {
    const s = new Schedule([a, b, c, d, e], { perServer: {}, total: 10 });
    s.take();
    expect(s.finish(a.id, "failed")).toEqual([
      { id: b.id, reason: `depends on ${a.id} which failed` },
      { id: e.id, reason: `depends on ${a.id} which failed` },
      { id: c.id, reason: `depends on ${a.id} which failed` },
    ]);
    expect(s.settled).toBe(false);
    s.finish(d.id, "done");
    expect(s.settled).toBe(true);
  });

  it("stopAll skips what has not started; stopServer also skips dependents elsewhere", () => {
    const s = new Schedule([a, b, c, d, e], { perServer: { fra1: 1, ams1: 1 }, total: 10 });
    s.take();
    expect(ids(s.stopAll("not started: interrupted"))).toEqual([b.id, c.id, e.id]);
    expect(s.settled).toBe(false);
    const t = new Schedule([a, b, c, d, e], { perServer: {}, total: 10 });
    expect(ids(t.stopServer("fra1", "key refused"))).toEqual([a.id, b.id, e.id, c.id]);
    expect(t.statusOf(e.id)).toBe("skipped");
    expect(ids(t.take())).toEqual([d.id]);
  });

  it("refuses a finish for an op that is not running", () => {
    const s = new Schedule([a], { perServer: {}, total: 1 });
    expect(() => s.finish(a.id, "done")).toThrow(/not running/);
  });
});
