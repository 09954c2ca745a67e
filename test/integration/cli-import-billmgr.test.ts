/**
 * `siteform import` from a BILLmanager server, end to end through the CLI against the
 * BILLmanager emulator: an account holding a virtual server with add-ons, shared hosting, a
 * suspended service, a licence, a service ordered without a remoteid (someone else's), one
 * still processing and one already in git is imported; `validate` passes and a plan right after
 * shows no changes for what was imported. `--site` narrows the import, a second import writes
 * nothing new, and nothing on the server changes (no order, no edit).
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import type { BillmgrServiceInput } from "../../src/emulator/billmgr/index.js";
import { billmgrServer, billmgrSnapshot, everyFile, startTestFleet, type TestFleet, withoutReadProgress } from "./cli-harness.js";

/** siteform.yaml with one BILLmanager server `bm1`; the fleet points its URL at the emulator and fills both variables. */
const BILLMGR_CONFIG = `servers:
  bm1:
    provider: billmgr
    url: http://127.0.0.1:1
    key_env: BM1_PASSWORD
    user_env: BM1_USER
`;

const KNOWN_SERVICE = `kind: billmgr/service
server: bm1
name: known-vps
itemtype: vds
tariff: 12
datacenter: 1
period: 1
domain: known.example
`;

const BASE = { "siteform.yaml": BILLMGR_CONFIG, "services/known-vps.yaml": KNOWN_SERVICE };

const SERVICES: BillmgrServiceInput[] = [
  { id: 101, itemtype: "vds", pricelist: 12, domain: "known.example", remoteid: "known-vps", ostempl: "ISPsystem__Debian-12-x86_64" },
  // A virtual server with add-ons above the tariff's, auto-renewal and an OS template.
  { id: 102, itemtype: "vds", pricelist: 12, domain: "shop.example", remoteid: "shop-vps", ostempl: "ISPsystem__AlmaLinux-9-x86_64", period: 3, autoprolong: 3, addons: { "22": 4, "23": 2 } },
  { id: 103, itemtype: "vhost", pricelist: 11, domain: "blog.example", remoteid: "blog-hosting", addons: { "21": 20 } },
  { id: 104, itemtype: "vhost", pricelist: 11, domain: "old.example", remoteid: "old-hosting", item_status: 3 },
  { id: 105, itemtype: "softexternal", pricelist: 14, ip: "203.0.113.5", licname: "web1.example", remoteid: "cl-web1", period: 12 },
  // Ordered in the panel by hand: no remoteid.
  { id: 106, itemtype: "vhost", pricelist: 11, domain: "Legacy.Example" },
  // Stuck in processing.
  { id: 107, itemtype: "vds", pricelist: 12, domain: "new.example", remoteid: "new-vps", item_status: 5 },
  // A licence ordered by hand: no remoteid, found by its id.
  { id: 108, itemtype: "softexternal", pricelist: 15, ip: "203.0.113.6", licname: "web2.example" },
];

let fleet: TestFleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

async function billmgrFleet(services: BillmgrServiceInput[] = SERVICES): Promise<TestFleet> {
  fleet = await startTestFleet(BASE, { billmgrStates: { bm1: { services } }, billmgrEmulator: { processingSteps: 0 } });
  return fleet;
}

async function filesUnder(f: TestFleet, dir: string): Promise<string[]> {
  return (await readdir(join(f.dir, dir))).filter((name) => !name.startsWith(".")).sort();
}

async function yamlOf(f: TestFleet, path: string): Promise<Record<string, unknown>> {
  return parse(await f.read(path)) as Record<string, unknown>;
}

/** The plan as JSON: its ops by resource name. */
async function planOps(f: TestFleet): Promise<Array<{ action: string; name: string; fields: string[] }>> {
  const planned = await f.cli(["plan", "--format", "json"]);
  expect(planned.code, planned.stdout + planned.stderr).toBe(0);
  const plan = JSON.parse(planned.stdout) as { ops: Array<{ action: string; target: { name: string }; changes: Array<{ field: string }> }> };
  return plan.ops.map((op) => ({ action: op.action, name: op.target.name, fields: op.changes.map((c) => c.field) }));
}

describe("siteform import from a BILLmanager server", () => {
  it("imports every service and licence git does not name, and a plan right after shows no changes", async () => {
    const f = await billmgrFleet();
    const before = billmgrSnapshot(billmgrServer(f, "bm1"));
    const imported = await f.cli(["import", "--server", "bm1"]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/wrote services\/shop-vps\.yaml: shop-vps \(102\)\n/);
    expect(imported.stdout).toMatch(/wrote licenses\/cl-web1\.yaml: cl-web1 \(105\)\n/);
    expect(imported.stdout).toMatch(/Imported 6 services from bm1 into 6 files/);
    expect(withoutReadProgress(imported.stderr)).toBe("skipped new-vps (107): BILLmanager is still setting it up (ordered or processing): import again when it is active\n");
    expect(billmgrSnapshot(billmgrServer(f, "bm1"))).toBe(before);

    expect(await filesUnder(f, "services")).toEqual(["blog-hosting.yaml", "known-vps.yaml", "legacy-example.yaml", "old-hosting.yaml", "shop-vps.yaml"]);
    expect(await filesUnder(f, "licenses")).toEqual(["cl-web1.yaml", "web2-example.yaml"]);
    expect(await yamlOf(f, "services/shop-vps.yaml")).toEqual({
      kind: "billmgr/service",
      server: "bm1",
      name: "shop-vps",
      itemtype: "vds",
      tariff: 12,
      datacenter: 1,
      period: 3,
      domain: "shop.example",
      os_template: "ISPsystem__AlmaLinux-9-x86_64",
      autoprolong: 3,
      services: { addons: { addon_22: 4, addon_23: 2 } },
    });
    expect(await yamlOf(f, "services/blog-hosting.yaml")).toMatchObject({ itemtype: "vhost", tariff: 11, autoprolong: "off", services: { addons: { addon_21: 20 } } });
    expect(await yamlOf(f, "services/old-hosting.yaml")).toMatchObject({ name: "old-hosting", state: "suspended" });
    expect(await yamlOf(f, "licenses/cl-web1.yaml")).toEqual({
      kind: "billmgr/license",
      server: "bm1",
      name: "cl-web1",
      tariff: 14,
      period: 12,
      licname: "web1.example",
      ip: "203.0.113.5",
      autoprolong: "off",
    });
    // No remoteid: a made-up name; a service is found by its domain, a licence (matched by name only) by a pin.
    expect(await yamlOf(f, "services/legacy-example.yaml")).toMatchObject({ name: "legacy-example", domain: "legacy.example" });
    expect(await yamlOf(f, "services/legacy-example.yaml")).not.toHaveProperty("id");
    expect(await yamlOf(f, "licenses/web2-example.yaml")).toMatchObject({ name: "web2-example", id: "108", licname: "web2.example" });
    expect(await f.read("services/legacy-example.yaml")).toMatch(/# BILLmanager knows this service without a siteform name \(it has no remoteid\)/);
    const header = await f.read("services/shop-vps.yaml");
    expect(header).toMatch(/^# yaml-language-server: \$schema=\.\.\/src\/providers\/billmgr\/schemas\/service\.schema\.json\n# Imported from server bm1 on \d{4}-\d\d-\d\d by siteform import\. BILLmanager service id: 102\.\n/);
    expect(header).toMatch(/# No renew_ahead_days: without it siteform never renews this service/);
    expect(header).not.toMatch(/^renew_ahead_days/m);
    expect(await everyFile(f.dir)).not.toMatch(/new-vps|new\.example/);

    const validated = await f.cli(["validate"]);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    // What siteform ordered (a remoteid): no change at all. What it did not: only its name, recorded as its remoteid for free.
    expect(await planOps(f)).toEqual([
      { action: "update", name: "Legacy.Example", fields: ["service.name"] },
      { action: "update", name: "web2.example", fields: ["license.name"] },
    ]);
    const applied = await f.cli(["apply", "--auto-approve"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(billmgrServer(f, "bm1").orders()).toEqual([]);
    expect(billmgrServer(f, "bm1").services().find((s) => s.id === 106)?.remoteid).toBe("legacy-example");
    const planned = await f.cli(["plan", "--detailed-exitcode"]);
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
    expect(planned.stdout).toMatch(/No changes/);
  });

  it("when every service has siteform's name, `plan --detailed-exitcode` right after the import exits 0", async () => {
    const f = await billmgrFleet(SERVICES.filter((s) => s.remoteid !== undefined));
    const imported = await f.cli(["import", "--server", "bm1"]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/Imported 4 services from bm1 into 4 files/);
    const validated = await f.cli(["validate"]);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    const planned = await f.cli(["plan", "--detailed-exitcode"]);
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
    expect(planned.stdout).toMatch(/No changes/);
    // Only the one BILLmanager is still setting up stays outside the inventory.
    expect(planned.stdout).toMatch(/Unmanaged services \(on the server, not in the inventory\): 1\n\s+bm1: new-vps \(107\)/);
  });

  it("with --site imports only the services named, by id, remoteid or domain, and reports the rest", async () => {
    const f = await billmgrFleet();
    const imported = await f.cli(["import", "--server", "bm1", "--site", "shop-vps", "--site", "105", "--site", "LEGACY.example", "--site", "known-vps", "--site", "nothing.example"]);
    expect(imported.code).toBe(1);
    expect(imported.stdout).toMatch(/Imported 3 services from bm1 into 3 files/);
    expect(imported.stderr).toMatch(/skipped known-vps \(101\): it is already in the inventory \(services\/known-vps\.yaml\)\n/);
    expect(imported.stderr).toMatch(/skipped nothing\.example: no service or licence on this server has this id, remoteid or domain\n/);
    expect(await filesUnder(f, "services")).toEqual(["known-vps.yaml", "legacy-example.yaml", "shop-vps.yaml"]);
    expect(await filesUnder(f, "licenses")).toEqual(["cl-web1.yaml"]);
    const planned = await f.cli(["plan", "--detailed-exitcode"]);
    expect(planned.stdout).not.toMatch(/shop-vps|cl-web1/);

    const processing = await f.cli(["import", "--server", "bm1", "--site", "new-vps"]);
    expect(processing.code).toBe(1);
    expect(processing.stderr).toMatch(/skipped new-vps \(107\): BILLmanager is still setting it up/);
  });

  it("a second import writes nothing new", async () => {
    const f = await billmgrFleet();
    expect((await f.cli(["import", "--server", "bm1"])).code).toBe(0);
    const written = [...(await filesUnder(f, "services")), ...(await filesUnder(f, "licenses"))];
    const again = await f.cli(["import", "--server", "bm1"]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toBe("Nothing to import: every service on bm1 that can be imported is already in the inventory.\n");
    expect(again.stderr).toMatch(/skipped new-vps \(107\)/);
    expect([...(await filesUnder(f, "services")), ...(await filesUnder(f, "licenses"))]).toEqual(written);
  });
});
