/**
 * `siteform usage` against the ApisCP emulator: the figures are what the emulator holds (storage
 * in KB and bandwidth in bytes, converted to bytes once), sorted closest to a limit first, the
 * managed sites apart from the unmanaged ones; `--over` lists only those at or above it and exits
 * 2 when there are any, 0 when not; `--target` narrows; a server that cannot be read exits 1.
 * Nothing is changed on the server.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { UsageReport } from "../../src/resources/usage-report.js";
import { ALPHA_SITE_YAML, SMALL_PLAN_YAML, TWO_SERVERS_CONFIG, addSite, mutatingCalls, siteYaml, startTestFleet, type TestFleet } from "./cli-harness.js";

const GB = 1024 ** 3;
const MB = 1024 ** 2;

const BETA = siteYaml("beta", "s1", "INV-2");

const GAMMA = siteYaml("gamma", "s2");

let fleet: TestFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

/** Two servers: alpha and beta managed on s1 with a stray site beside them, gamma managed on s2; usage set as the panel would measure it. */
async function start(): Promise<TestFleet> {
  const f = (fleet = await startTestFleet({ "siteform.yaml": TWO_SERVERS_CONFIG, "plans/small.yaml": SMALL_PLAN_YAML, "sites/alpha.yaml": ALPHA_SITE_YAML, "sites/beta.yaml": BETA, "sites/gamma.yaml": GAMMA }));
  expect((await f.cli(["apply", "--auto-approve"])).code).toBe(0);
  addSite(f.server("s1"), "stray.example", "stray");
  const s1 = f.server("s1").api;
  const s2 = f.server("s2").api;
  // alpha: 1946 MB of its 2 GB quota (95 %), 2 GB of its plan's 10 GB traffic; beta: 512 MB (25 %); stray (on `basic`): 4916 MB of 5 GB (96 %), of 50 GB traffic; gamma: 1 GB (50 %).
  s1.setUsage?.("alpha.example", { storageKb: 1946 * 1024, bandwidthBytes: 2 * GB });
  s1.setUsage?.("beta.example", { storageKb: (512 * MB) / 1024, bandwidthBytes: 0 });
  s1.setUsage?.("stray.example", { storageKb: 4916 * 1024, bandwidthBytes: 123_456 });
  s2.setUsage?.("gamma.example", { storageKb: GB / 1024, bandwidthBytes: 5 * MB });
  f.server("s1").calls.reset();
  f.server("s2").calls.reset();
  return f;
}

function parse(stdout: string): UsageReport {
  return JSON.parse(stdout) as UsageReport;
}

describe("siteform usage", () => {
  it("reports what the emulator holds, in bytes, closest to a limit first, unmanaged apart, with one call per server and field", async () => {
    const f = await start();
    const r = await f.cli(["usage", "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const report = parse(r.stdout);
    expect(report.managed.map((row) => row.name)).toEqual(["alpha.example", "gamma.example", "beta.example"]);
    expect(report.unmanaged.map((row) => row.name)).toEqual(["stray.example"]);
    const alpha = report.managed[0];
    expect(alpha).toMatchObject({ server: "s1", kind: "apiscp/site", source: { file: "sites/alpha.yaml", line: 1 } });
    // Converted once: the KB the panel reports times 1024, the bytes as they are.
    expect(alpha?.disk).toMatchObject({ used: 1946 * MB, limit: 2 * GB });
    expect(alpha?.bandwidth).toMatchObject({ used: 2 * GB, limit: 10 * GB, percent: 20 });
    expect(alpha?.percent).toBeCloseTo((1946 / 2048) * 100, 6);
    expect(report.managed[2]?.disk).toMatchObject({ used: 512 * MB, limit: 2 * GB, percent: 25 });
    expect(report.unmanaged[0]).toMatchObject({ source: null, disk: { used: 4916 * MB, limit: 5 * GB }, bandwidth: { used: 123_456, limit: 50 * GB } });
    expect(report.overLimit).toBe(false);
    // Storage, bandwidth and the names: three reads per server, nothing changed.
    for (const name of ["s1", "s2"]) {
      expect(f.server(name).calls.byMethod()).toEqual({ admin_get_usage: 2, admin_get_domains: 1 });
      expect(mutatingCalls(f.server(name))).toBe(0);
    }
  });

  it("renders text with sizes in the panels' units and markdown for the drift issue", async () => {
    const f = await start();
    const text = await f.cli(["usage"]);
    expect(text.code).toBe(0);
    const lines = text.stdout.split("\n");
    expect(lines[0]).toBe("Disk and bandwidth against their limits, closest to a limit first:");
    expect(lines[2]).toMatch(/^ {2}RESOURCE +SERVER +DISK +BANDWIDTH +IN GIT$/);
    expect(lines[3]).toMatch(/^ {2}alpha\.example \(site\d+\) +s1 +1\.9 GB of 2 GB \(95 %\) +2 GB of 10 GB \(20 %\) +sites\/alpha\.yaml:1$/);
    expect(text.stdout).toMatch(/Not in git \(unmanaged\):\n {2}stray\.example \(site\d+\) +s1 +4\.8 GB of 5 GB \(96 %\) +120\.6 KB of 50 GB \(0 %\)\n/);
    expect(text.stderr).toMatch(/read s1: 3 sites in/);
    const md = await f.cli(["usage", "--over", "90", "--format", "markdown"]);
    expect(md.code).toBe(2);
    expect(md.stdout).toMatch(/^### Near the limit: 90 % or more of disk or bandwidth\n\n2 resources are at or above 90 % of a disk or bandwidth limit, closest first:\n/);
    expect(md.stdout).toContain("| alpha.example (site");
    expect(md.stdout).toContain("| `sites/alpha.yaml:1` |");
    expect(md.stdout).not.toContain("beta.example");
  });

  it("--over exits 2 when a resource is at or above the threshold, 0 when none is, and lists only those", async () => {
    const f = await start();
    const over = await f.cli(["usage", "--over", "95", "--format", "json"]);
    expect(over.code).toBe(2);
    expect(parse(over.stdout)).toMatchObject({ over: 95, overLimit: true, managed: [{ name: "alpha.example" }], unmanaged: [{ name: "stray.example" }] });
    const none = await f.cli(["usage", "--over", "97"]);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe("No resource is at or above 97 % of a disk or bandwidth limit.\n");
    const bad = await f.cli(["usage", "--over", "150"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/must be a percentage from 0 to 100/);
  });

  it("--target and --server narrow it; a target that names nothing gets the closest name", async () => {
    const f = await start();
    const one = parse((await f.cli(["usage", "--format", "json", "--target", "beta"])).stdout);
    expect([...one.managed, ...one.unmanaged].map((r) => r.name)).toEqual(["beta.example"]);
    const server = parse((await f.cli(["usage", "--format", "json", "--server", "s2"])).stdout);
    expect(server.managed.map((r) => r.name)).toEqual(["gamma.example"]);
    expect(server.servers.map((s) => s.name)).toEqual(["s2"]);
    const typo = await f.cli(["usage", "--target", "alpah.example"]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/--target "alpah\.example" names no resource[^\n]*\n {2}hint: did you mean "alpha\.example"\?/);
  });

  it("names a server that cannot be read, reports the others, and exits 1", async () => {
    const f = await start();
    await f.server("s2").stop();
    const r = await f.cli(["usage", "--over", "90"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/alpha\.example/);
    expect(r.stdout).toMatch(/^s2: could not be read: s2: read disk and bandwidth usage: /m);
  });
});
