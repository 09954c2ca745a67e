import { describe, expect, it } from "vitest";
import { applyPlan, judgeReadBack, READ_BACK_NOTE } from "../../../src/applier/index.js";
import { FakeProvider, fail, instant, providers } from "./fake-provider.js";
import { CATALOGUE, op, plan, site } from "./ops.js";

const quota = { field: "diskquota.quota", before: 25, after: 40 };
const aliases = { field: "aliases.aliases", before: ["a.example"], after: ["b.example", "c.example"] };
const withQuota = (q: number, list: string[] = ["c.example", "b.example"]) => site("site-a.example", "a.example", { fields: { diskquota: { quota: q }, aliases: { aliases: list } } });

describe("judgeReadBack", () => {
  it.each([
    ["create found", op("create", "n.example"), site("site9", "n.example"), { kind: "took-effect", resourceId: "site9" }],
    ["create found still being set up", op("create", "n.example"), site("site9", "n.example", { state: "transitional" }), { kind: "took-effect", resourceId: "site9" }],
    ["create missing", op("create", "n.example"), null, { kind: "not-taken" }],
    ["create found only as a deleted namesake", op("create", "n.example"), site("site3", "n.example", { state: "gone" }), { kind: "not-taken" }],
    ["delete gone", op("delete", "d.example"), null, { kind: "took-effect", resourceId: null }],
    ["delete reported gone", op("delete", "d.example"), site("site-d.example", "d.example", { state: "gone" }), { kind: "took-effect", resourceId: null }],
    ["delete still there", op("delete", "d.example"), site("site-d.example", "d.example"), { kind: "not-taken" }],
    ["suspend inactive", op("suspend", "s.example"), site("site-s.example", "s.example", { state: "suspended" }), { kind: "took-effect" }],
    ["suspend still active", op("suspend", "s.example"), site("site-s.example", "s.example"), { kind: "not-taken" }],
    ["activate active", op("activate", "s.example"), site("site-s.example", "s.example"), { kind: "took-effect" }],
    ["activate gone", op("activate", "s.example"), null, { kind: "undecided" }],
    ["update holds (string vs number, set-equal)", op("update", "a.example", { changes: [{ ...quota, after: "40" }, aliases] }), withQuota(40), { kind: "took-effect" }],
    ["update partly", op("update", "a.example", { changes: [quota, aliases] }), withQuota(25), { kind: "not-taken" }],
    ["update only secrets", op("update", "a.example", { changes: [{ field: "auth.tpasswd", before: "[REDACTED]", after: "[REDACTED]", secret: true }] }), withQuota(25), { kind: "undecided" }],
  ] as const)("%s", (_name, o, observed, expected) => {
    expect(judgeReadBack(o, observed, CATALOGUE)).toMatchObject(expected);
  });
});

// The read-back loop itself is tested on executeOp (execute-op.test.ts); here, what the run makes of it.
describe("applyPlan: lost answers", () => {
  const options = (fra1: FakeProvider) => ({ providers: providers(fra1), catalogue: CATALOGUE, concurrency: { perServer: {}, total: 1 }, failFast: false, ...instant() });

  it("marks a create done without executing it again when the read-back finds it", async () => {
    const fra1 = new FakeProvider("fra1");
    const create = op("create", "new.example");
    fra1.script(create.id, { error: fail("unknown-outcome", "timed out after sending") }).readBack("new.example", null, site("site31", "new.example"));
    const report = await applyPlan(plan([create]), options(fra1));
    expect(report.ops[0]).toMatchObject({ status: "done", resourceId: "site31", note: READ_BACK_NOTE, attempts: 1 });
    expect(fra1.executions()).toBe(1);
    expect(fra1.calls.filter((c) => c.method === "readResource").at(-1)?.request).toEqual({ kind: "apiscp/site", id: null, name: "new.example", fields: [] });
  });

  it("reports unknown, sends nothing twice, and skips dependents, when a create never shows", async () => {
    const fra1 = new FakeProvider("fra1");
    const parent = op("create", "p.example");
    const child = op("create", "c.example", { dependsOn: [parent.id] });
    fra1.script(parent.id, { error: fail("unknown-outcome", "null answer") }, {}).readBack("p.example", null);
    const report = await applyPlan(plan([parent, child]), options(fra1));
    expect(report.ops[0]?.status).toBe("unknown");
    expect(report.ops[0]?.message).toMatch(/^null answer; no site holds p\.example \(read back \d+ times over 60\.0 s\); it was not sent again/);
    expect(report.ops[1]).toMatchObject({ status: "skipped", message: `depends on ${parent.id} whose outcome is unknown` });
    expect(fra1.executions()).toBe(1);
    expect(report.ok).toBe(false);
  });
});
