import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, applyPlan } from "../../../src/applier/index.js";
import { preflight, sameTargetChanges } from "../../../src/applier/preflight.js";
import { ResourceReads } from "../../../src/applier/resource-reads.js";
import { Catalogue } from "../../../src/kinds/catalogue.js";
import type { ObservedResource } from "../../../src/model/index.js";
import { SITE as SITE_DECLARATION } from "../../../src/providers/apiscp/kinds.js";
import { ProviderError } from "../../../src/providers/provider.js";
import { BOX_KIND, BOX_KIND_ID } from "../../support/box/kind.js";
import { FakeProvider, instant, providers } from "./fake-provider.js";
import { CATALOGUE, op, plan, site as observedSite } from "./ops.js";

function site(domain: string, patch: Partial<ObservedResource> = {}): ObservedResource {
  const { fields, ...rest } = patch;
  return observedSite(rest.id ?? `site-${domain}`, domain, { ...rest, fields: { diskquota: { quota: 5 }, ...fields } });
}

const quota = (before: number, after: number) => [{ field: "diskquota.quota", before, after }];
const context = { ignore: new Set<string>(), retry: DEFAULT_RETRY_POLICY, clock: instant(), reads: new ResourceReads(), catalogue: CATALOGUE };

describe("the re-read right before a mutation", () => {
  it("lets an op through when its target is as planned, and asks only for the fields it checks", async () => {
    const fra1 = new FakeProvider("fra1").readBack("acme.example", site("acme.example"));
    const update = op("update", "acme.example", { changes: quota(5, 10), preconditions: { fields: { "diskquota.quota": 5, state: "active", "siteinfo.domain": "acme.example" } } });
    expect(await preflight(update, fra1, context)).toEqual({ kind: "clear" });
    expect(fra1.calls).toEqual([
      { method: "readResource", opId: null, request: { kind: "apiscp/site", id: "site-acme.example", name: "acme.example", fields: ["diskquota.quota", "siteinfo.domain"] } },
    ]);
  });

  it("reports a changed or vanished target as a conflict naming what changed", async () => {
    const update = op("update", "acme.example", { changes: quota(5, 10), preconditions: { fields: { "diskquota.quota": 5, state: "active" } } });
    const changed = new FakeProvider("fra1").readBack("acme.example", site("acme.example", { fields: { diskquota: { quota: 7 } }, state: "suspended" }));
    expect(await preflight(update, changed, context)).toEqual({
      kind: "conflict",
      message: "not sent: the site changed since the plan (diskquota.quota was 5 when planned, is now 7; state was active when planned, is now suspended); siteform does not overwrite it: plan again",
    });
    const gone = new FakeProvider("fra1").readBack("acme.example", null);
    expect(await preflight(update, gone, context)).toMatchObject({ kind: "conflict", message: expect.stringMatching(/site site-acme\.example no longer exists/) });
  });

  it("a create is not re-read: the server checks that its names are free when it creates", async () => {
    const fra1 = new FakeProvider("fra1").readBack("new.example", site("new.example", { id: "site42" }));
    expect(await preflight(op("create", "new.example"), fra1, context)).toEqual({ kind: "clear" });
    expect(fra1.calls).toEqual([]);
  });

  it("ops started together on one server are re-read in one call", async () => {
    const fra1 = new FakeProvider("fra1");
    const ams1 = new FakeProvider("ams1");
    const ops = [
      ...["a", "b", "c"].map((n) => op("update", `${n}.example`, { changes: quota(1, 2) })),
      op("update", "d.example", { server: "ams1", changes: quota(1, 2) }),
    ];
    const report = await applyPlan(plan(ops), { providers: providers(fra1, ams1), catalogue: CATALOGUE, concurrency: { perServer: {}, total: 8 }, failFast: false, ...instant() });
    expect(report.ok).toBe(true);
    expect(fra1.batches).toEqual([3]);
    expect(ams1.batches).toEqual([1]);
  });

  it("a read that keeps failing sends nothing and says so", async () => {
    const fra1 = new FakeProvider("fra1").readBack("acme.example", new ProviderError("rejected", "fault", false));
    const verdict = await preflight(op("suspend", "acme.example"), fra1, context);
    expect(verdict).toMatchObject({ kind: "unreadable", message: expect.stringMatching(/^not sent: the target could not be re-read before changing it \(fault\)/) });
  });

  it("does not count this run's own work on the same site as a conflict", () => {
    const rename = op("update", "old.example", { changes: [{ field: "siteinfo.domain", before: "old.example", after: "new.example" }] });
    const activate = op("activate", "old.example", { preconditions: { fields: { "siteinfo.domain": "old.example", state: "suspended" } } });
    const elsewhere = op("update", "other.example", { changes: quota(1, 2) });
    const ignore = sameTargetChanges([rename, activate, elsewhere]);
    expect([...(ignore.get(activate.id) ?? [])]).toEqual(["siteinfo.domain"]);
    expect([...(ignore.get(rename.id) ?? [])]).toEqual(["state"]);
    expect([...(ignore.get(elsewhere.id) ?? [])]).toEqual([]);
  });

  it("in a run: the op in conflict is not sent and its dependents are skipped; independent ops run", async () => {
    const fra1 = new FakeProvider("fra1")
      .readBack("acme.example", site("acme.example", { fields: { diskquota: { quota: 9 } } }))
      .readBack("other.example", site("other.example", { fields: { diskquota: { quota: 1 } } }));
    const update = op("update", "acme.example", { changes: quota(5, 10), preconditions: { fields: { "diskquota.quota": 5 } } });
    const after = op("suspend", "acme.example", { dependsOn: [update.id] });
    const other = op("update", "other.example", { changes: quota(1, 2), preconditions: { fields: { "diskquota.quota": 1 } } });
    const report = await applyPlan(plan([update, after, other]), { providers: providers(fra1), catalogue: CATALOGUE, concurrency: { perServer: {}, total: 1 }, failFast: false, ...instant(), reread: true });
    expect(report.ops.map((r) => [r.id, r.status])).toEqual([
      [update.id, "conflict"],
      [after.id, "skipped"],
      [other.id, "done"],
    ]);
    expect(report.ops[1]?.message).toBe(`depends on ${update.id}, which was in conflict and not sent`);
    expect(fra1.executions(update.id)).toBe(0);
    expect(fra1.executions(other.id)).toBe(1);
    expect(report.totals).toMatchObject({ conflict: 1, skipped: 1, done: 1 });
    expect(report.ok).toBe(false);
  });
});

describe("a target the panel is still setting up", () => {
  // ApisCP sites have no transitional state: the test-only box kind does.
  const catalogue = new Catalogue([SITE_DECLARATION, BOX_KIND]);
  const box = (name: string, state: ObservedResource["state"]): ObservedResource => ({ server: "fra1", kind: BOX_KIND_ID, id: "7", name, state, fields: { vm: { name } } });
  const suspendBox = (id: string | null) => ({ ...op("suspend", "web"), kind: BOX_KIND_ID, target: { id, name: "web", key: null, source: null }, preconditions: { exists: id !== null, id, fields: { "vm.name": "web", state: "active" } } });

  it("is waited for, then the op's preconditions are checked as usual", async () => {
    const clock = instant();
    const fra1 = new FakeProvider("fra1").readBack("web", box("web", "transitional"), box("web", "transitional"), box("web", "active"));
    expect(await preflight(suspendBox("7"), fra1, { ...context, clock, reads: new ResourceReads(), catalogue })).toEqual({ kind: "clear" });
    expect(fra1.calls).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it("a create's follow-up op, which has no id yet, waits too, by name", async () => {
    const fra1 = new FakeProvider("fra1").readBack("web", box("web", "transitional"), box("web", "active"));
    expect(await preflight(suspendBox(null), fra1, { ...context, clock: instant(), reads: new ResourceReads(), catalogue })).toEqual({ kind: "clear" });
    expect(fra1.calls.map((c) => c.request)).toEqual([
      { kind: BOX_KIND_ID, id: null, name: "web", fields: [] },
      { kind: BOX_KIND_ID, id: null, name: "web", fields: [] },
    ]);
  });

  it("still being set up after as long as one call may take: not sent, a conflict", async () => {
    const clock = instant();
    const fra1 = new FakeProvider("fra1").readBack("web", box("web", "transitional"));
    fra1.callTimeoutMs = 5_000;
    const verdict = await preflight(suspendBox("7"), fra1, { ...context, clock, reads: new ResourceReads(), catalogue });
    expect(verdict).toEqual({ kind: "conflict", message: "not sent: the box is still being set up by the panel (waited 5 s); plan again once it settles" });
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5_000);
  });

  it("a kind without transitional states does not read a create's follow-up at all", async () => {
    const fra1 = new FakeProvider("fra1");
    const followUp = { ...op("suspend", "new.example"), target: { id: null, name: "new.example", key: null, source: null } };
    expect(await preflight(followUp, fra1, context)).toEqual({ kind: "clear" });
    expect(fra1.calls).toEqual([]);
  });
});
