import { describe, expect, it } from "vitest";
import { applyPlan, checkFormat, checkStale, recollect, type FingerprintOf } from "../../../src/applier/index.js";
import type { ObservedServer } from "../../../src/model/index.js";
import { FakeProvider, instant, providers } from "./fake-provider.js";
import { observed, op, plan, planServer, site } from "./ops.js";

// A stand-in for the planner's fingerprint: any function of the observed state will do here.
const fingerprintOf: FingerprintOf = (o: ObservedServer) => (o.ok ? `fp-${o.server}-${o.sites.length}` : null);

const acme = site("site1", "acme.example", { services: { diskquota: { quota: 25 } }, adminUser: "acme" });
const beta = site("site2", "beta.example", { adminUser: "beta" });

function currentPlan() {
  const update = op("update", "acme.example", { siteId: "site1", preconditions: { fields: { "diskquota.quota": 25, active: true, domain: "acme.example" } } });
  const create = op("create", "new.example", { preconditions: { freeAdminUser: "newbie" } });
  return plan([update, create], [planServer("fra1", "fp-fra1-2")]);
}

describe("checkStale", () => {
  it("accepts a plan whose server and preconditions still hold", () => {
    expect(checkStale(currentPlan(), [observed("fra1", [acme, beta])], fingerprintOf)).toEqual({ stale: false, servers: [], sites: [], message: null });
  });

  it("names the site whose precondition no longer holds and says to plan again", () => {
    const changed = { ...acme, services: { diskquota: { quota: 50 } } };
    const result = checkStale(currentPlan(), [observed("fra1", [changed, beta])], fingerprintOf);
    expect(result.stale).toBe(true);
    expect(result.sites).toEqual([{ server: "fra1", opId: "fra1:update:acme.example", siteId: "site1", domain: "acme.example", problem: "diskquota.quota was 25 when planned, is now 50" }]);
    expect(result.message).toContain("acme.example (site1)");
    expect(result.message).toContain("siteform plan");
  });

  it("flags a changed fingerprint even when no op's own site changed", () => {
    const extra = site("site3", "gamma.example");
    const result = checkStale(currentPlan(), [observed("fra1", [acme, beta, extra])], fingerprintOf);
    expect(result.servers).toEqual([{ server: "fra1", problem: "changed since the plan was made" }]);
    expect(result.sites).toEqual([]);
    expect(result.message).toContain("server fra1 changed since the plan was made");
  });

  it("flags a site that disappeared and a create whose domain or admin user was taken", () => {
    const squatter = site("site9", "other.example", { aliases: ["NEW.example"], adminUser: "newbie" });
    const result = checkStale(currentPlan(), [observed("fra1", [beta, squatter])], fingerprintOf);
    expect(result.sites.map((s) => [s.domain, s.problem])).toEqual([
      ["acme.example", "site site1 no longer exists"],
      ["new.example", "domain new.example is now taken by site9 (other.example); admin user newbie is now taken by site9 (other.example)"],
    ]);
  });

  it("accepts a create whose name a site holds that the plan renames or deletes first", () => {
    const renamed = site("site1", "acme.example", { adminUser: "acme" });
    const leaving = site("site2", "old.example", { adminUser: "newbie" });
    const rename = op("update", "acme.example", { siteId: "site1", preconditions: { fields: { domain: "acme.example", active: true } } });
    const remove = op("delete", "old.example", { siteId: "site2", preconditions: { fields: { domain: "old.example" } } });
    const takes = op("create", "acme.example", { dependsOn: [rename.id, remove.id], preconditions: { freeDomain: "acme.example", freeAdminUser: "newbie" } });
    const fp = fingerprintOf(observed("fra1", [renamed, leaving])) ?? "";
    expect(checkStale(plan([rename, remove, takes], [planServer("fra1", fp)]), [observed("fra1", [renamed, leaving])], fingerprintOf).stale).toBe(false);
    // Without the wait, the same holders are a real conflict.
    const unordered = op("create", "acme.example", { preconditions: { freeDomain: "acme.example", freeAdminUser: "newbie" } });
    const result = checkStale(plan([rename, remove, unordered], [planServer("fra1", fp)]), [observed("fra1", [renamed, leaving])], fingerprintOf);
    expect(result.sites.map((x) => x.problem)).toEqual(["domain acme.example is now taken by site1 (acme.example); admin user newbie is now taken by site2 (old.example)"]);
  });

  it("treats a server that could not be re-read as stale", () => {
    const result = checkStale(currentPlan(), [{ server: "fra1", ok: false, error: "connection refused" }], fingerprintOf);
    expect(result.servers[0]?.problem).toContain("could not be re-read (connection refused)");
    expect(checkStale(currentPlan(), [], fingerprintOf).stale).toBe(true);
  });

  it("lets the applier send zero calls when the check refuses, re-collecting with the plan's fields", async () => {
    const fra1 = new FakeProvider("fra1");
    fra1.collectAnswer = observed("fra1", [{ ...acme, active: false }, beta]);
    const p = currentPlan();
    const now = await recollect(p, providers(fra1));
    expect(fra1.calls).toEqual([{ method: "collect", opId: null, request: { fields: ["diskquota.quota"] } }]);
    const result = checkStale(p, now, fingerprintOf);
    expect(result.sites[0]?.problem).toBe("active was true when planned, is now false");
    // What the CLI does with the answer: apply only a current plan.
    if (!result.stale) await applyPlan(p, { providers: providers(fra1), concurrency: { perServer: {}, total: 1 }, failFast: false, ...instant() });
    expect(fra1.executions()).toBe(0);
  });
});

describe("checkFormat", () => {
  it("accepts the current version with a well-ordered graph", () => {
    expect(checkFormat(currentPlan())).toEqual({ ok: true });
  });

  it("refuses an unknown format version and says what to do", () => {
    const result = checkFormat({ formatVersion: 2, ops: [] });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/format version 2.*only version 1.*plan again/);
    expect(checkFormat({}).ok).toBe(false);
  });

  it("refuses a dependency that does not come before its op, and duplicate ids", () => {
    const a = op("update", "a.example");
    const b = op("update", "b.example", { dependsOn: [a.id] });
    expect(checkFormat(plan([b, a])).ok).toBe(false);
    expect(checkFormat(plan([a, a])).ok).toBe(false);
  });
});
