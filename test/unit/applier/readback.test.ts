import { describe, expect, it } from "vitest";
import { applyPlan, judgeReadBack, READ_BACK_NOTE } from "../../../src/applier/index.js";
import { FakeProvider, fail, instant, providers } from "./fake-provider.js";
import { op, plan, site } from "./ops.js";

const quota = { field: "diskquota.quota", before: 25, after: 40 };
const aliases = { field: "aliases.aliases", before: ["a.example"], after: ["b.example", "c.example"] };
const withQuota = (q: number, list: string[] = ["c.example", "b.example"]) => site("site-a.example", "a.example", { services: { diskquota: { quota: q }, aliases: { aliases: list } } });

describe("judgeReadBack", () => {
  it.each([
    ["create found", op("create", "n.example"), site("site9", "n.example"), { kind: "took-effect", siteId: "site9" }],
    ["create missing", op("create", "n.example"), null, { kind: "not-taken" }],
    ["delete gone", op("delete", "d.example"), null, { kind: "took-effect", siteId: null }],
    ["delete still there", op("delete", "d.example"), site("site-d.example", "d.example"), { kind: "not-taken" }],
    ["suspend inactive", op("suspend", "s.example"), site("site-s.example", "s.example", { active: false }), { kind: "took-effect" }],
    ["suspend still active", op("suspend", "s.example"), site("site-s.example", "s.example"), { kind: "not-taken" }],
    ["activate active", op("activate", "s.example"), site("site-s.example", "s.example"), { kind: "took-effect" }],
    ["activate gone", op("activate", "s.example"), null, { kind: "undecided" }],
    ["update holds (string vs number, set-equal)", op("update", "a.example", { changes: [{ ...quota, after: "40" }, aliases] }), withQuota(40), { kind: "took-effect" }],
    ["update partly", op("update", "a.example", { changes: [quota, aliases] }), withQuota(25), { kind: "not-taken" }],
    ["update only secrets", op("update", "a.example", { changes: [{ field: "auth.tpasswd", before: "[REDACTED]", after: "[REDACTED]", secret: true }] }), withQuota(25), { kind: "undecided" }],
  ] as const)("%s", (_name, o, observed, expected) => {
    expect(judgeReadBack(o, observed)).toMatchObject(expected);
  });
});

describe("applyPlan: lost answers", () => {
  const options = (fra1: FakeProvider) => ({ providers: providers(fra1), concurrency: { perServer: {}, total: 1 }, failFast: false, ...instant() });

  it("marks an op done without executing it again when the read-back shows it took effect", async () => {
    const fra1 = new FakeProvider("fra1");
    const create = op("create", "new.example");
    fra1.script(create.id, { error: fail("unknown-outcome", "timed out after sending") }).readBack("new.example", site("site31", "new.example"));
    const report = await applyPlan(plan([create]), options(fra1));
    expect(report.ops[0]).toMatchObject({ status: "done", siteId: "site31", note: READ_BACK_NOTE, attempts: 1 });
    expect(fra1.executions()).toBe(1);
    expect(fra1.calls.find((c) => c.method === "readSite")?.request).toEqual({ siteId: null, domain: "new.example", fields: [] });
  });

  it("executes again when the read-back shows the op did not take effect", async () => {
    const fra1 = new FakeProvider("fra1");
    const update = op("update", "a.example", { changes: [quota] });
    fra1.script(update.id, { error: fail("unknown-outcome", "connection dropped") }).readBack("a.example", withQuota(25));
    const report = await applyPlan(plan([update]), options(fra1));
    expect(report.ops[0]).toMatchObject({ status: "done", attempts: 2, note: null });
    expect(fra1.executions()).toBe(2);
    expect(fra1.calls.map((c) => c.method)).toEqual(["execute", "readSite", "execute"]);
  });

  it("reports unknown, and skips dependents, when the site cannot be read back", async () => {
    const fra1 = new FakeProvider("fra1");
    const parent = op("create", "p.example");
    const child = op("create", "c.example", { dependsOn: [parent.id] });
    fra1.script(parent.id, { error: fail("unknown-outcome", "null answer") }).readBack("p.example", fail("rejected", "collect refused"));
    const report = await applyPlan(plan([parent, child]), options(fra1));
    expect(report.ops[0]?.status).toBe("unknown");
    expect(report.ops[0]?.message).toContain("null answer; reading the site back failed: collect refused");
    expect(report.ops[1]).toMatchObject({ status: "skipped", message: `depends on ${parent.id} whose outcome is unknown` });
    expect(fra1.executions()).toBe(1);
    expect(report.ok).toBe(false);
  });

  it("retries a read-back that hits a transport error", async () => {
    const fra1 = new FakeProvider("fra1");
    const del = op("delete", "d.example");
    fra1.script(del.id, { error: fail("unknown-outcome") }).readBack("d.example", fail("transport", "reset"), null);
    const report = await applyPlan(plan([del]), options(fra1));
    expect(report.ops[0]).toMatchObject({ status: "done", siteId: null, note: READ_BACK_NOTE });
    expect(fra1.calls.filter((c) => c.method === "readSite")).toHaveLength(2);
  });
});
