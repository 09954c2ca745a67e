/**
 * Ctrl-C on the commands that only read (plan, drift, import, validate): they end at once, even
 * with a server read in flight that would take a minute, write nothing, exit 130 and say so in
 * one line on stderr. The server's slowness is the emulator's latency knob on admin_collect; the
 * interrupt is the CliIO signal the real SIGINT handler aborts.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ALPHA_SITE_YAML, ONE_SERVER_CONFIG, SMALL_PLAN_YAML, addSite, startTestFleet, waitFor, withoutReadProgress, type TestFleet } from "./cli-harness.js";

const CONFIG = ONE_SERVER_CONFIG;

const BASE = { "siteform.yaml": CONFIG, "plans/small.yaml": SMALL_PLAN_YAML, "sites/alpha.yaml": ALPHA_SITE_YAML };

/** Far longer than the test's timeout: a command that waited for the answer would fail the test. */
const LATENCY_MS = 60_000;

let fleet: TestFleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

/** A fleet whose server holds a site git does not know (for import) and answers admin_collect only after LATENCY_MS. */
async function slowFleet(): Promise<TestFleet> {
  fleet = await startTestFleet(BASE);
  const s1 = fleet.server("s1");
  addSite(s1, "alpha.example", "alpha", { "siteinfo.plan": "starter", "siteinfo.email": "owner@alpha.example", "billing.invoice": "INV-1" });
  addSite(s1, "unknown.example", "unknown", { "siteinfo.plan": "basic", "siteinfo.email": "a@unknown.example" });
  s1.setKnobs({ latencyMs: { admin_collect: LATENCY_MS } });
  s1.calls.reset();
  return fleet;
}

/** Runs `args`, interrupts it once the server has received admin_collect, and returns what it did. */
async function interruptWhileReading(f: TestFleet, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string; elapsedMs: number }> {
  const stop = new AbortController();
  const started = Date.now();
  const running = f.cli(args, { interrupted: stop.signal });
  await waitFor(() => f.server("s1").calls.count("admin_collect") >= 1, 20_000, "admin_collect to reach the server");
  stop.abort();
  const result = await running;
  return { ...result, elapsedMs: Date.now() - started };
}

async function siteFiles(f: TestFleet): Promise<string[]> {
  return (await readdir(join(f.dir, "sites"), { recursive: true })).sort();
}

describe("interrupting a command that reads a slow server", () => {
  it("plan -o: ends at once, exit 130, one line, and the plan file is not written", async () => {
    const f = await slowFleet();
    const { code, stdout, stderr, elapsedMs } = await interruptWhileReading(f, ["plan", "-o", "plan.json"]);
    expect(code).toBe(130);
    // Besides the read progress (which server it was reading), one line says what was stopped.
    expect(withoutReadProgress(stderr)).toBe("plan interrupted: nothing was written or changed\n");
    expect(stderr).toMatch(/reading 1 server: s1\n/);
    expect(stdout).toBe("");
    expect(elapsedMs).toBeLessThan(LATENCY_MS);
    expect(await readdir(f.dir)).not.toContain("plan.json");
  });

  it("drift: ends at once, exit 130, one line, no report", async () => {
    const f = await slowFleet();
    const { code, stdout, stderr, elapsedMs } = await interruptWhileReading(f, ["drift", "--detailed-exitcode"]);
    expect(code).toBe(130);
    expect(withoutReadProgress(stderr)).toBe("drift interrupted: nothing was written or changed\n");
    expect(stdout).toBe("");
    expect(elapsedMs).toBeLessThan(LATENCY_MS);
  });

  it("import: ends at once, exit 130, one line, and no YAML is written", async () => {
    const f = await slowFleet();
    const before = await siteFiles(f);
    const plansBefore = await readdir(join(f.dir, "plans"));
    const { code, stdout, stderr, elapsedMs } = await interruptWhileReading(f, ["import", "--server", "s1"]);
    expect(code).toBe(130);
    expect(withoutReadProgress(stderr)).toBe("import interrupted: nothing was written\n");
    expect(stdout).toBe("");
    expect(elapsedMs).toBeLessThan(LATENCY_MS);
    expect(await siteFiles(f)).toEqual(before);
    expect(await readdir(join(f.dir, "plans"))).toEqual(plansBefore);
  });

  it("import: a read on a reused connection (the plan defaults after collect) is cut short too, not sent again", async () => {
    const f = await slowFleet();
    const s1 = f.server("s1");
    s1.setKnobs({ latencyMs: { admin_get_plan: LATENCY_MS } });
    const stop = new AbortController();
    const started = Date.now();
    const running = f.cli(["import", "--server", "s1"], { interrupted: stop.signal });
    await waitFor(() => s1.calls.count("admin_get_plan") >= 1, 20_000, "admin_get_plan to reach the server");
    stop.abort();
    const { code, stderr } = await running;
    expect(code).toBe(130);
    expect(withoutReadProgress(stderr)).toBe("import interrupted: nothing was written\n");
    expect(Date.now() - started).toBeLessThan(LATENCY_MS);
    expect(s1.calls.count("admin_get_plan")).toBe(1);
  });

  it("import still works when nobody interrupts it (the same fleet without the latency)", async () => {
    const f = await slowFleet();
    f.server("s1").setKnobs({ latencyMs: {} });
    const result = await f.cli(["import", "--server", "s1"]);
    expect(result.code, result.stderr).toBe(0);
    expect(await siteFiles(f)).toContain("unknown.example.yaml");
  });
});

describe("interrupting validate", () => {
  it("stops reading the inventory: exit 130, one line, no report", async () => {
    const sites = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [`sites/s${i}.yaml`, ALPHA_SITE_YAML.replace(/alpha/g, `s${i}`).replace("INV-1", `INV-S${i}`)]),
    );
    fleet = await startTestFleet({ ...BASE, ...sites });
    const stop = new AbortController();
    // The command is under way (its first read is pending) when the signal fires.
    const running = fleet.cli(["validate"], { interrupted: stop.signal });
    stop.abort();
    const { code, stdout, stderr } = await running;
    expect(code).toBe(130);
    expect(stderr).toBe("validate interrupted: the inventory was not checked\n");
    expect(stdout).toBe("");
    // The same inventory, not interrupted, is valid: the 130 above came from the interrupt alone.
    const whole = await fleet.cli(["validate"]);
    expect(whole.code, whole.stdout).toBe(0);
  });
});
