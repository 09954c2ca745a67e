/**
 * `siteform drift` end to end: servers brought to the inventory's state with `apply`, then
 * changed by hand through the emulator's API the way support would in the panel; drift must
 * name each kind of difference, honour policy.ignore, and set the exit codes DESIGN.md gives.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { DriftReport } from "../../src/drift/index.js";
import { addSite, invoke, invokeDaysAgo, mutatingCalls, startTestFleet, type TestFleet } from "./cli-harness.js";

const CONFIG = `servers:
  s1:
    url: http://127.0.0.1:1/soap
    key_env: S1_APISCP_KEY
    concurrency: 4
policy:
  ignore:
    - bandwidth.threshold
`;

const SMALL_PLAN = `apiscp_plan: starter
services:
  diskquota:
    quota: 2
  bandwidth:
    threshold: 20
`;

const site = (name: string, extra = ""): string => `domain: ${name}.example\nserver: s1\nadmin_user: ${name}\nemail: owner@${name}.example\nplan: small\n${extra}`;

const BASE = {
  "siteform.yaml": CONFIG,
  "plans/small.yaml": SMALL_PLAN,
  "sites/alpha.yaml": site("alpha", "invoice: INV-1\n"),
  "sites/beta.yaml": site("beta", "invoice: INV-2\n"),
};

let fleet: TestFleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

/** A fleet whose server matches the inventory (applied), with the call counters reset. */
async function converged(files: Readonly<Record<string, string>> = BASE): Promise<TestFleet> {
  fleet = await startTestFleet(files);
  const applied = await fleet.cli(["apply", "--auto-approve"]);
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  fleet.server("s1").calls.reset();
  return fleet;
}

async function drift(f: TestFleet, ...args: string[]): Promise<{ code: number; report: DriftReport; stderr: string }> {
  const result = await f.cli(["drift", "--format", "json", "--detailed-exitcode", ...args]);
  return { code: result.code, report: JSON.parse(result.stdout) as DriftReport, stderr: result.stderr };
}

describe("siteform drift", () => {
  it("finds no drift right after an apply, and changes nothing", async () => {
    const f = await converged();
    const { code, report } = await drift(f);
    expect(code).toBe(0);
    expect(report.total).toBe(0);
    const text = await f.cli(["drift"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/No drift: 1 server \(2 sites\) match the inventory\./);
    expect(mutatingCalls(f.server("s1"))).toBe(0);
  });

  it("reports a field changed in the panel as modified (exit 2)", async () => {
    const f = await converged();
    invoke(f.server("s1"), "admin_edit_site", "alpha.example", { "diskquota.quota": 7 }, {});
    const { code, report } = await drift(f);
    expect(code).toBe(2);
    expect(report.entries).toHaveLength(1);
    expect(report.entries[0]).toMatchObject({ class: "modified", kind: "apiscp/site", name: "alpha.example", changes: [{ field: "diskquota.quota", before: 7, after: 2 }] });
    const text = await f.cli(["drift"]);
    expect(text.code).toBe(0); // without --detailed-exitcode drift is success
    expect(text.stdout).toMatch(/modified\s+alpha\.example/);
    expect(text.stdout).toMatch(/diskquota\.quota: server 7, git 2/);
  });

  it("reports a site suspended in the panel as state", async () => {
    const f = await converged();
    invoke(f.server("s1"), "admin_deactivate_site", "beta.example", { reason: "abuse report" });
    const { code, report } = await drift(f);
    expect(code).toBe(2);
    expect(report.entries).toEqual([expect.objectContaining({ class: "state", name: "beta.example", observed: "suspended", desired: "active" })]);
  });

  it("reports a site deleted in the panel as missing", async () => {
    const f = await converged();
    invoke(f.server("s1"), "admin_delete_site", "beta.example", {});
    const { code, report } = await drift(f);
    expect(code).toBe(2);
    expect(report.entries).toEqual([expect.objectContaining({ class: "missing", name: "beta.example", resourceId: null, observed: "absent" })]);
  });

  it("reports a site created by hand as unmanaged and leaves it alone", async () => {
    const f = await converged();
    addSite(f.server("s1"), "stray.example", "stray", { "siteinfo.email": "x@stray.example" });
    const { code, report } = await drift(f);
    expect(code).toBe(2);
    expect(report.entries).toEqual([expect.objectContaining({ class: "unmanaged", name: "stray.example", opId: null })]);
  });

  it("reports a site moved to another server plan as server plan changed", async () => {
    const f = await converged();
    invoke(f.server("s1"), "admin_edit_site", "alpha.example", {}, { plan: "business" });
    const { code, report } = await drift(f);
    expect(code).toBe(2);
    expect(report.counts["server-plan"]).toBe(1);
    expect(report.entries.find((e) => e.class === "server-plan")).toMatchObject({ name: "alpha.example", changes: [expect.objectContaining({ before: "business", after: "starter" })] });
    const text = await f.cli(["drift", "--format", "markdown"]);
    expect(text.stdout).toMatch(/alpha\.example/);
  });

  it("does not report a field listed in policy.ignore", async () => {
    const f = await converged();
    invoke(f.server("s1"), "admin_edit_site", "alpha.example", { "bandwidth.threshold": 500 }, {});
    const { code, report } = await drift(f);
    expect(code).toBe(0);
    expect(report.total).toBe(0);
  });

  it("exits 3 when fixing the drift deletes a site (a cancellation past its grace period)", async () => {
    const files = { ...BASE, "sites/old.yaml": site("oldsite", "state: cancelled\ncancelled_on: 2020-01-01\n").replace("domain: oldsite.example", "domain: old.example") };
    const f = await converged(files);
    const s1 = f.server("s1");
    invokeDaysAgo(s1, 90, "admin_add_site", "old.example", "oldsite", { "siteinfo.email": "owner@oldsite.example", "diskquota.quota": 2 }, { plan: "starter" });
    invokeDaysAgo(s1, 90, "admin_deactivate_site", "old.example", { reason: "siteform: cancelled on 2020-01-01" });
    const { code, report } = await drift(f);
    expect(code).toBe(3);
    expect(report.deletions).toBe(1);
    expect(report.entries.find((e) => e.name === "old.example")).toMatchObject({ class: "state", action: "delete", desired: "deleted" });
  });

  it("exits 1 when a server cannot be read, and says which", async () => {
    const f = await converged();
    const result = await f.cli(["drift", "--detailed-exitcode"], { env: {} });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/S1_APISCP_KEY/);
    await f.server("s1").stop();
    const down = await f.cli(["drift", "--detailed-exitcode"]);
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/s1: could not be read/);
  });

  it("refuses an unknown --server", async () => {
    const f = await converged();
    const result = await f.cli(["drift", "--server", "nope"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown server 'nope'/);
  });
});
