/**
 * The helper thread in the built program (`node bin/siteform.js`, where the worker's code is):
 * with SITEFORM_THREADS=2 it parses the last half of the inventory and reads part of the
 * servers, an ApisCP and a WHM one among them, with providers of its own. What siteform says
 * must be exactly what it says on one thread: the same plan, the same diagnostics at the same
 * lines, the same apply. A signal still ends a run at once, and a bad SITEFORM_THREADS is
 * refused before anything is read.
 */
import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { runBuilt, type Ended } from "../support/built-cli.js";
import { SMALL_PLAN_YAML, TWO_SERVERS_CONFIG, WHM_CONFIG, siteYaml, startTestFleet, waitFor, type TestFleet } from "./cli-harness.js";

/** Two ApisCP servers, s1 and s2, and the WHM server cp1. */
const CONFIG = TWO_SERVERS_CONFIG + WHM_CONFIG.slice("servers:\n".length);

function files(): Record<string, string> {
  const out: Record<string, string> = {
    "siteform.yaml": CONFIG,
    "plans/small.yaml": SMALL_PLAN_YAML,
    "plans/whm-small.yaml": "whm_package: starter\n",
  };
  // s1 holds 7 sites, cp1 6 accounts, s2 5 sites: the largest (s1) is read here, the next two on the helper.
  for (let i = 0; i < 12; i++) out[`sites/site${String(i).padStart(2, "0")}.yaml`] = siteYaml(`site${i}`, i < 7 ? "s1" : "s2");
  for (const user of ["ua", "ub", "uc", "ud", "ue", "uf"]) out[`sites/${user}.yaml`] = `server: cp1\nuser: ${user}\ndomain: ${user}.example\nemail: owner@${user}.example\nplan: whm-small\n`;
  return out;
}

let fleet: TestFleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

function siteform(f: TestFleet, threads: string, args: readonly string[], whenStarted?: (child: ChildProcess) => void): Promise<Ended> {
  const run = runBuilt(args, { cwd: f.dir, env: { ...f.env, SITEFORM_THREADS: threads } });
  whenStarted?.(run.child);
  return run.ended;
}

/** A JSON plan without the moment it was made (and the digest that covers it). */
function timeless(json: string): unknown {
  const plan = JSON.parse(json) as Record<string, unknown>;
  delete plan.createdAt;
  delete plan.digest;
  return plan;
}

function readsByThread(stderr: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stderr.split("\n")) {
    if (!line.startsWith("{")) continue;
    const event = JSON.parse(line) as { event?: string; server?: string; thread?: string };
    if (event.event === "read-finished" && event.server !== undefined && event.thread !== undefined) out[event.server] = event.thread;
  }
  return out;
}

describe("SITEFORM_THREADS=2: the helper thread", () => {
  it("plans exactly what one thread plans, with part of the servers read on the helper", async () => {
    fleet = await startTestFleet(files());
    const one = await siteform(fleet, "1", ["--log-format", "json", "plan", "--format", "json"]);
    const two = await siteform(fleet, "2", ["--log-format", "json", "plan", "--format", "json"]);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(timeless(two.stdout)).toEqual(timeless(one.stdout));
    expect((timeless(two.stdout) as { ops: unknown[] }).ops.length).toBeGreaterThanOrEqual(18);
    expect(readsByThread(one.stderr)).toEqual({ s1: "main", s2: "main", cp1: "main" });
    expect(readsByThread(two.stderr)).toEqual({ s1: "main", s2: "helper", cp1: "helper" });
  });

  it("applies on two threads, and the servers then match git", async () => {
    fleet = await startTestFleet(files());
    expect((await siteform(fleet, "2", ["plan", "-o", "plan.json"])).code).toBe(0);
    const applied = await siteform(fleet, "2", ["apply", "plan.json"]);
    expect(applied.code, applied.stderr).toBe(0);
    const domains = ["s1", "s2"].flatMap((name) => (fleet as TestFleet).server(name).api.snapshot().sites.map((s) => s.services.siteinfo?.domain));
    for (let i = 0; i < 12; i++) expect(domains).toContain(`site${i}.example`);
    const after = await siteform(fleet, "2", ["plan", "--detailed-exitcode"]);
    expect(after.code, after.stdout).toBe(0);
  });

  it("finds the same mistakes at the same lines, in files parsed on either thread", async () => {
    const broken = files();
    broken["sites/site00.yaml"] = "domain: site0.example\nserver: s1\nadmin_user: site0\nemail: not-an-address\nplan: small\n";
    broken["sites/site05.yaml"] = "domain: site5.example\nserver: s2\nadmin_user: site5\nemail: owner@site5.example\nplan: small\nservices:\n  diskquota:\n    quota: many\n";
    broken["sites/site09.yaml"] = "domain: site9.example\n  server: s2\n";
    broken["sites/site11.yaml"] = "domain: site11.example\nserver: s2\nadmin_user: site11\nemail: owner@site11.example\nplan: small\nplan: small\n";
    fleet = await startTestFleet(broken);
    const one = await siteform(fleet, "1", ["validate"]);
    const two = await siteform(fleet, "2", ["validate"]);
    expect(one.code).toBe(1);
    expect({ code: two.code, stdout: two.stdout, stderr: two.stderr }).toEqual({ code: one.code, stdout: one.stdout, stderr: one.stderr });
    const said = one.stdout + one.stderr;
    for (const place of ["sites/site00.yaml:4", "sites/site05.yaml:8", "sites/site09.yaml:1", "sites/site11.yaml:6"]) expect(said).toContain(place);
  });

  it("a signal during a read on the helper ends the run at once, exit 130, no plan file", async () => {
    fleet = await startTestFleet(files());
    const f = fleet;
    // s2 is read on the helper (see files()); s1 here.
    for (const name of ["s1", "s2"]) f.server(name).setKnobs({ latencyMs: { admin_collect: 60_000 } });
    const sent = { at: 0 };
    const ended = await siteform(f, "2", ["plan", "-o", "plan.json"], (child) => {
      void waitFor(() => f.server("s1").calls.count("admin_collect") + f.server("s2").calls.count("admin_collect") >= 2, 25_000, "both ApisCP reads").then(() => {
        sent.at = Date.now();
        child.kill("SIGINT");
      });
    });
    expect({ code: ended.code, signal: ended.signal }).toEqual({ code: 130, signal: null });
    expect(ended.stderr).toContain("plan interrupted: nothing was written or changed\n");
    expect(Date.now() - sent.at).toBeLessThan(10_000);
  });

  it("refuses a SITEFORM_THREADS that is not a number of threads, before reading anything", async () => {
    fleet = await startTestFleet(files());
    const ran = await siteform(fleet, "two", ["plan"]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("SITEFORM_THREADS must be `auto` or a whole number of threads");
    expect(fleet.server("s1").calls.count("admin_collect")).toBe(0);
  });
});
