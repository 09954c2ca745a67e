/**
 * `--target`: a plan narrowed below a server, through the real CLI against the ApisCP
 * emulator. Only the resources named and what they wait for (a group's parent before its
 * child) are planned and applied; a saved plan keeps its targets, so apply re-derives the same
 * narrowed plan; a target naming nothing is an error with the closest name; the guards count
 * only what the narrowed plan runs.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ONE_SERVER_CONFIG, SMALL_PLAN_YAML, addSite, domainsOn, invokeDaysAgo, startTestFleet, type TestFleet } from "./cli-harness.js";

const CONFIG = ONE_SERVER_CONFIG;

const site = (domain: string, admin: string, invoice: string): string => `domain: ${domain}
server: s1
admin_user: ${admin}
email: owner@${domain}
plan: small
invoice: ${invoice}
`;

const GROUP = `invoice: INV-9
server: s1
sites:
  - domain: parent.example
    admin_user: parentadm
    email: owner@parent.example
    plan: small
  - domain: child.example
    admin_user: childadm
    email: owner@child.example
    plan: small
`;

let fleet: TestFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

async function start(): Promise<TestFleet> {
  fleet = await startTestFleet({
    "siteform.yaml": CONFIG,
    "plans/small.yaml": SMALL_PLAN_YAML,
    "sites/alpha.yaml": site("alpha.example", "alpha", "INV-1"),
    "sites/beta.yaml": site("beta.example", "beta", "INV-2"),
    "sites/group.yaml": GROUP,
  });
  return fleet;
}

describe("--target", () => {
  it("plans only the resource named, by name, server/name or inventory file", async () => {
    const f = await start();
    for (const target of ["alpha.example", "s1/alpha.example", "sites/alpha.yaml", "ALPHA.example"]) {
      const { code, stdout } = await f.cli(["plan", "--target", target, "--detailed-exitcode"]);
      expect(code, `${target}\n${stdout}`).toBe(2);
      expect(stdout).toContain("s1: 1 to create");
      expect(stdout).toContain("+ create   alpha.example");
      expect(stdout).not.toContain("beta.example");
    }
  });

  it("takes along what the resource waits for: a group's parent is created before its child", async () => {
    const f = await start();
    const { stdout } = await f.cli(["plan", "--target", "child.example"]);
    expect(stdout).toContain("s1: 2 to create");
    expect(stdout.indexOf("+ create   parent.example")).toBeGreaterThan(0);
    expect(stdout).not.toContain("alpha.example");
  });

  it("keeps its targets in the plan file, and apply runs exactly that narrowed plan", async () => {
    const f = await start();
    const planned = await f.cli(["plan", "--target", "beta.example", "-o", "plan.json"]);
    expect(planned.code, planned.stderr).toBe(0);
    expect(JSON.parse(await f.read("plan.json")).options.targets).toEqual(["beta.example"]);
    const applied = await f.cli(["apply", "plan.json"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(domainsOn(f.server("s1"))).toEqual(["beta.example"]);
    // Without a target, the rest is still to do.
    const rest = await f.cli(["plan"]);
    expect(rest.stdout).toContain("s1: 3 to create");
  });

  it("counts only the narrowed plan against the guards: two deletions over max_deletes 1, one targeted", async () => {
    const cancelled = (name: string): string => `domain: ${name}.example\nserver: s1\nadmin_user: ${name}\nemail: owner@${name}.example\nplan: small\nstate: cancelled\ncancelled_on: 2020-01-01\n`;
    const f = (fleet = await startTestFleet({
      "siteform.yaml": `${CONFIG}policy:\n  max_deletes: 1\n`,
      "plans/small.yaml": SMALL_PLAN_YAML,
      "sites/old1.yaml": cancelled("old1"),
      "sites/old2.yaml": cancelled("old2"),
      "sites/alpha.yaml": site("alpha.example", "alpha", "INV-1"),
    }));
    // alpha stays: the server is not being emptied, so only the count of deletions is at stake.
    expect((await f.cli(["apply", "--auto-approve", "--target", "alpha.example"])).code).toBe(0);
    for (const name of ["old1", "old2"]) {
      addSite(f.server("s1"), `${name}.example`, name, { "siteinfo.plan": "starter", "siteinfo.email": `owner@${name}.example` });
      invokeDaysAgo(f.server("s1"), 90, "admin_deactivate_site", `${name}.example`, { reason: "siteform: cancelled on 2020-01-01" });
    }
    const whole = await f.cli(["plan"]);
    expect(whole.code).toBe(1);
    expect(whole.stdout).toContain("too-many-deletes");
    const one = await f.cli(["plan", "--target", "old1.example", "--detailed-exitcode"]);
    expect(one.code, one.stdout).toBe(3);
    expect(one.stdout).toContain("- delete   old1.example");
    expect(one.stdout).not.toContain("old2.example");
  });

  it("refuses a target that names nothing, with the closest name, and sends nothing", async () => {
    const f = await start();
    const { code, stdout } = await f.cli(["plan", "--target", "alpah.example"]);
    expect(code).toBe(1);
    expect(stdout).toContain('--target "alpah.example" names no resource in the inventory or on the servers in scope');
    expect(stdout).toContain('did you mean "alpha.example"?');
    expect(f.server("s1").calls.count("admin_add_site")).toBe(0);
  });
});
