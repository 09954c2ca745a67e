/**
 * `siteform import` end to end: a server with a bit of everything (an invoice group whose
 * members are on different plans, settings that differ from the plan, a suspended site, a site
 * exactly on its plan, a site already in git) is imported, and a plan right after shows no
 * changes. Import never overwrites a file and never changes the server.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ALPHA_SITE_YAML, ONE_SERVER_CONFIG, SMALL_PLAN_YAML, addSite, invoke, mutatingCalls, startTestFleet, type TestFleet } from "./cli-harness.js";

const CONFIG = ONE_SERVER_CONFIG;

const SMALL_PLAN = SMALL_PLAN_YAML;
const ALPHA = ALPHA_SITE_YAML;

const BASE = { "siteform.yaml": CONFIG, "plans/small.yaml": SMALL_PLAN, "sites/alpha.yaml": ALPHA };

let fleet: TestFleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

/** The rich server: alpha as git has it, and five sites git does not know. */
async function richFleet(files: Readonly<Record<string, string>> = BASE): Promise<TestFleet> {
  fleet = await startTestFleet(files);
  const s1 = fleet.server("s1");
  addSite(s1, "alpha.example", "alpha", { "siteinfo.plan": "starter", "siteinfo.email": "owner@alpha.example", "billing.invoice": "INV-1", "diskquota.quota": 2 });
  // An invoice group: the parent on business with more disk, children on other plans.
  addSite(s1, "studio.example", "studio", {
    "siteinfo.plan": "business",
    "siteinfo.email": ["ops@studio.example", "boss@studio.example"],
    "billing.invoice": "INV-10",
    "diskquota.quota": 60,
    "aliases.aliases": ["studio-nord.example"],
  });
  addSite(s1, "kid-one.example", "kidone", { "siteinfo.plan": "basic", "siteinfo.email": "ops@studio.example", "billing.parent_invoice": "INV-10", "mysql.dbaseprefix": "kid1_" });
  addSite(s1, "kid-two.example", "kidtwo", { "siteinfo.plan": "starter", "siteinfo.email": "ops@studio.example", "billing.parent_invoice": "INV-10", "ssh.enabled": 1 });
  // A standalone site with overrides, suspended.
  addSite(s1, "linden.example", "linden", {
    "siteinfo.plan": "starter",
    "siteinfo.email": "it@linden.example",
    "billing.invoice": "INV-30",
    "aliases.aliases": ["linden-apo.example"],
    "diskquota.quota": 3,
    "cgroup.memory": 384,
    "siteinfo.notes": "migrated from the old box",
  });
  invoke(s1, "admin_deactivate_site", "linden.example", { reason: "unpaid" });
  // Exactly its server plan.
  addSite(s1, "plain.example", "plainsite", { "siteinfo.plan": "reseller", "siteinfo.email": "a@plain.example" });
  s1.calls.reset();
  return fleet;
}

async function filesUnder(f: TestFleet, dir: string): Promise<string[]> {
  return (await readdir(join(f.dir, dir))).filter((name) => !name.startsWith(".")).sort();
}

describe("siteform import", () => {
  it("imports every site git does not name, and a plan right after shows no changes", async () => {
    const f = await richFleet();
    const imported = await f.cli(["import", "--server", "s1"]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/wrote sites\/studio\.example\.yaml: studio\.example \(site2\), kid-one\.example \(site3\), kid-two\.example \(site4\)/);
    expect(imported.stdout).toMatch(/wrote sites\/linden\.example\.yaml/);
    expect(imported.stdout).toMatch(/Imported 5 sites from s1/);
    expect(mutatingCalls(f.server("s1"))).toBe(0);

    const linden = await f.read("sites/linden.example.yaml");
    expect(linden).toMatch(/state: suspended/);
    expect(linden).toMatch(/quota: 3/);
    const group = await f.read("sites/studio.example.yaml");
    expect(group).toMatch(/invoice: INV-10/);
    expect(group).toMatch(/quota: 60/);
    expect(await filesUnder(f, "sites")).toEqual(["alpha.yaml", "linden.example.yaml", "plain.example.yaml", "studio.example.yaml"]);

    const validated = await f.cli(["validate"]);
    expect(validated.code, validated.stdout).toBe(0);
    const planned = await f.cli(["plan", "--detailed-exitcode"]);
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
    expect(planned.stdout).toMatch(/No changes/);
    expect(planned.stdout).not.toMatch(/Unmanaged/);
  });

  it("imports only the sites --site names (a group member brings its group)", async () => {
    const f = await richFleet();
    const imported = await f.cli(["import", "--server", "s1", "--site", "linden.example", "--site", "site3"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(await filesUnder(f, "sites")).toEqual(["alpha.yaml", "linden.example.yaml", "studio.example.yaml"]);
    const planned = await f.cli(["plan", "--detailed-exitcode", "--format", "json"]);
    expect(planned.code).toBe(0);
    const plan = JSON.parse(planned.stdout) as { servers: Array<{ unmanaged: Array<{ name: string }> }> };
    expect(plan.servers[0]?.unmanaged.map((u) => u.name)).toEqual(["plain.example"]);
  });

  it("fails for a --site that names no site, and for one already in git", async () => {
    const f = await richFleet();
    const unknown = await f.cli(["import", "--server", "s1", "--site", "nowhere.example"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/skipped nowhere\.example: no site on this server/);
    const known = await f.cli(["import", "--server", "s1", "--site", "alpha.example"]);
    expect(known.code).toBe(1);
    expect(known.stderr).toMatch(/already in the inventory \(sites\/alpha\.yaml\)/);
    expect(await filesUnder(f, "sites")).toEqual(["alpha.yaml"]);
  });

  it("never overwrites a file: a taken name gets another, and importing again finds nothing new", async () => {
    // sites/linden.example.yaml already exists and holds another site.
    const other = ALPHA.replace(/alpha/g, "other").replace("INV-1", "INV-77");
    const f = await richFleet({ ...BASE, "sites/linden.example.yaml": other });
    addSite(f.server("s1"), "other.example", "other", { "siteinfo.plan": "starter", "siteinfo.email": "owner@other.example", "billing.invoice": "INV-77", "diskquota.quota": 2 });
    const before = await f.read("sites/linden.example.yaml");
    const imported = await f.cli(["import", "--server", "s1"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(await f.read("sites/linden.example.yaml")).toBe(before);
    expect(imported.stdout).toMatch(/wrote sites\/linden\.example-2\.yaml: linden\.example/);

    const snapshot = await Promise.all((await filesUnder(f, "sites")).map((name) => f.read(`sites/${name}`)));
    const again = await f.cli(["import", "--server", "s1"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Nothing to import/);
    expect(await Promise.all((await filesUnder(f, "sites")).map((name) => f.read(`sites/${name}`)))).toEqual(snapshot);
    expect((await f.cli(["plan", "--detailed-exitcode"])).code).toBe(0);
  });

  it("needs a known server and its key", async () => {
    const f = await richFleet();
    const unknown = await f.cli(["import", "--server", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown server 'nope'/);
    const noKey = await f.cli(["import", "--server", "s1"], { env: {} });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/S1_APISCP_KEY/);
    const missing = await f.cli(["import"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--server/);
    expect(await filesUnder(f, "sites")).toEqual(["alpha.yaml"]);
  });
});
