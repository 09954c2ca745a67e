import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyPlan } from "../../../src/applier/index.js";
import type { Op, OpAction } from "../../../src/model/index.js";
import { FakeProvider, Tracker, fail, instant, providers, type ReadStep, type Step } from "./fake-provider.js";
import { CATALOGUE, op, plan, site, DELETES_ALLOWED } from "./ops.js";

const SERVERS = ["fra1", "ams1", "nyc1"];
const ACTIONS: OpAction[] = ["create", "update", "suspend", "activate", "delete"];

type Fate = "ok" | "rejected" | "flaky" | "down" | "lost";
const fateArb = fc.constantFrom<Fate>("ok", "ok", "ok", "rejected", "flaky", "down", "lost");

const nodeArb = fc.record({
  server: fc.integer({ min: 0, max: SERVERS.length - 1 }),
  action: fc.constantFrom(...ACTIONS),
  fate: fateArb,
  readBack: fc.constantFrom<"gone" | "active" | "suspended" | "unreadable">("gone", "active", "suspended", "unreadable"),
  delayMs: fc.integer({ min: 0, max: 2 }),
  deps: fc.array(fc.nat(), { maxLength: 3 }),
});

const runArb = fc.record({
  nodes: fc.array(nodeArb, { minLength: 1, maxLength: 20 }),
  perServer: fc.integer({ min: 1, max: 3 }),
  total: fc.integer({ min: 1, max: 5 }),
  failFast: fc.boolean(),
});

function steps(fate: Fate, delayMs: number): Step[] {
  switch (fate) {
    case "ok":
      return [{ delayMs }];
    case "rejected":
      return [{ delayMs, error: fail("rejected") }];
    case "flaky":
      return [{ delayMs, error: fail("transport") }, { delayMs }];
    case "down":
      return Array.from({ length: 10 }, () => ({ delayMs, error: fail("transport") }));
    case "lost":
      return [{ delayMs, error: fail("unknown-outcome") }, { delayMs }];
  }
}

function readAnswer(kind: "gone" | "active" | "suspended" | "unreadable", domain: string): ReadStep {
  if (kind === "gone") return null;
  if (kind === "unreadable") return fail("rejected", "cannot read");
  return site(`site-${domain}`, domain, { state: kind });
}

describe("applyPlan on random graphs (property)", () => {
  it("gives every op exactly one status, never runs an op before or without its dependencies, and respects the limits", async () => {
    await fc.assert(
      fc.asyncProperty(runArb, async ({ nodes, perServer, total, failFast }) => {
        const tracker = new Tracker();
        const fakes = providers(...SERVERS.map((s) => new FakeProvider(s, tracker)));
        const ops: Op[] = [];
        nodes.forEach((n, i) => {
          const deps = i === 0 ? [] : [...new Set(n.deps.map((d) => ops[d % i]?.id ?? ""))];
          const o = op(n.action, `d${i}.example`, { server: SERVERS[n.server], dependsOn: deps });
          ops.push(o);
          fakes.get(o.server)?.script(o.id, ...steps(n.fate, n.delayMs)).readBack(o.target.name, readAnswer(n.readBack, o.target.name));
        });
        const clock = instant({ random: () => 0.3 });
        const report = await applyPlan(plan(ops), {
          providers: fakes,
          catalogue: CATALOGUE,
          concurrency: { perServer: Object.fromEntries(SERVERS.map((s) => [s, perServer])), total },
          failFast,
          // One fake clock serves every op, and each sleep moves it at once: another op's patient
          // read-back (a minute of fake time) would use up this op's time budget. The time bound
          // has its own tests (retry.test.ts); here only the attempt bound applies.
          retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, maxTotalMs: Number.MAX_SAFE_INTEGER },
          // Scheduling and read-back under faults; the re-read before each op is preflight.test.ts'.
          reread: false,
          deletionRules: DELETES_ALLOWED,
          ...clock,
        });

        expect(report.ops.map((r) => r.id)).toEqual(ops.map((o) => o.id));
        const status = new Map(report.ops.map((r) => [r.id, r.status]));
        expect(report.totals.done + report.totals.failed + report.totals.skipped + report.totals.unknown).toBe(ops.length);
        expect(report.ok).toBe(report.totals.done === ops.length);
        for (const o of ops) {
          const starts = tracker.starts(o.id);
          if (status.get(o.id) === "done") for (const dep of o.dependsOn) expect(status.get(dep)).toBe("done");
          if (status.get(o.id) === "skipped") expect(starts).toEqual([]);
          for (const dep of o.dependsOn) {
            const depEnds = tracker.ends(dep);
            for (const start of starts) expect(depEnds.length > 0 && depEnds.every((end) => end < start)).toBe(true);
          }
          // Without fail-fast, an op that could run and was scripted to succeed did.
          const fate = nodes[ops.indexOf(o)]?.fate;
          if (!failFast && (fate === "ok" || fate === "flaky") && o.dependsOn.every((d) => status.get(d) === "done")) expect(status.get(o.id)).toBe("done");
        }
        expect(tracker.maxTotal).toBeLessThanOrEqual(total);
        for (const s of SERVERS) expect(tracker.maxPerServer.get(s) ?? 0).toBeLessThanOrEqual(perServer);
      }),
      { numRuns: 80 },
    );
  });
});
