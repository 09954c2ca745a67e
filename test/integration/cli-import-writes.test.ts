/**
 * What `siteform import` writes, through the CLI against the ApisCP emulator, for the cases an
 * operator hit: a server without repository plans whose sites all carry the same overrides
 * (they go once into the plan the import proposes, not into every site file), a suspended site,
 * a 243-character domain among other sites, a failure part-way through writing (nothing is left
 * behind), and --dry-run (shows the files, writes none). Each ends with a plan that shows no
 * changes, or with the inventory exactly as it was.
 */
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, readdir, rm, rmdir, symlink, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { ONE_SERVER_CONFIG, addSite, invoke, mutatingCalls, startTestFleet, type TestFleet } from "./cli-harness.js";

const CONFIG = ONE_SERVER_CONFIG;

/** 243 characters, every label within 63: a valid domain longer than a file name may be. */
const LONG_DOMAIN = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(43)}.example`;

/** What the business sites have in common beyond their plan: the settings an operator would put in a plan. */
const SHARED = { "diskquota.quota": 60, "cgroup.memory": 384, "ssh.enabled": 0 };

let fleet: TestFleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

/** A server with no repository plans in git: eight business sites with the same overrides (one of them suspended) and one basic site. */
async function repeatedFleet(): Promise<TestFleet> {
  fleet = await startTestFleet({ "siteform.yaml": CONFIG });
  const s1 = fleet.server("s1");
  for (let i = 1; i <= 8; i++) {
    addSite(s1, `shop${i}.example`, `shop${i}`, { "siteinfo.plan": "business", "siteinfo.email": `owner@shop${i}.example`, ...SHARED });
  }
  // One of them differs in one setting: it keeps that override.
  invoke(s1, "admin_edit_site", "shop8.example", { "diskquota.quota": 80 }, {});
  invoke(s1, "admin_deactivate_site", "shop3.example", { reason: "unpaid invoice 2026-0042" });
  addSite(s1, "solo.example", "solo", { "siteinfo.plan": "basic", "siteinfo.email": "owner@solo.example", "cgroup.memory": 256 });
  s1.calls.reset();
  return fleet;
}

/** Every file under the inventory (hidden ones too), relative, with its text. */
async function snapshot(f: TestFleet): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(f.dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(f.dir.length + 1)] = await readFile(path, "utf8");
  }
  return out;
}

async function yamlOf(f: TestFleet, path: string): Promise<Record<string, unknown>> {
  return parse(await f.read(path)) as Record<string, unknown>;
}

async function expectNoChanges(f: TestFleet): Promise<void> {
  const validated = await f.cli(["validate"]);
  expect(validated.code, validated.stdout + validated.stderr).toBe(0);
  const planned = await f.cli(["plan", "--detailed-exitcode"]);
  expect(planned.code, planned.stdout + planned.stderr).toBe(0);
  expect(planned.stdout).toMatch(/No changes/);
  expect(planned.stdout).not.toMatch(/Unmanaged/);
}

describe("siteform import on a server without repository plans", () => {
  it("puts the overrides the sites repeat into the plan it proposes, once, and a plan right after shows no changes", async () => {
    const f = await repeatedFleet();
    const imported = await f.cli(["import", "--server", "s1"]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/Imported 9 sites from s1 into 11 files/);
    expect(mutatingCalls(f.server("s1"))).toBe(0);

    const business = await yamlOf(f, "plans/business.yaml");
    expect(business).toMatchObject({ apiscp_plan: "business", services: { diskquota: { quota: 60 }, cgroup: { memory: 384 } } });
    for (let i = 1; i <= 7; i++) {
      const site = await yamlOf(f, `sites/shop${i}.example.yaml`);
      expect(site.plan).toBe("business");
      const services = (site.services ?? {}) as Record<string, Record<string, unknown>>;
      expect(services.diskquota?.quota, `shop${i}`).toBeUndefined();
      expect(services.cgroup?.memory, `shop${i}`).toBeUndefined();
    }
    // The one that differs keeps its own value on top of the plan.
    expect(await yamlOf(f, "sites/shop8.example.yaml")).toMatchObject({ services: { diskquota: { quota: 80 } } });
    expect(await f.read("sites/shop1.example.yaml")).not.toMatch(/quota: 60|memory: 384/);

    // A plan for one site shares nothing: the site keeps its override, the plan only names the server plan and says why.
    const basic = await f.read("plans/basic.yaml");
    expect(parse(basic)).toEqual({ description: expect.any(String) as string, apiscp_plan: "basic" });
    expect(basic).toMatch(/have no setting in common that differs from the server plan, so it only names the server plan \(every site must name a plan\)/);
    expect(await yamlOf(f, "sites/solo.example.yaml")).toMatchObject({ plan: "basic", services: { cgroup: { memory: 256 } } });
    await expectNoChanges(f);
  });

  it("when the server plans' defaults cannot be read, the values every site reports alike go to the plan, not into every file", async () => {
    const f = await repeatedFleet();
    // A fault is final (not retried): the importer warns and writes every value the server reports.
    f.server("s1").setKnobs({ failProbability: { admin_get_plan: 1 }, failForm: { admin_get_plan: "fault" } });
    const imported = await f.cli(["import", "--server", "s1"]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/warning: .*sites on plan business get every value written/);
    const plan = (await yamlOf(f, "plans/business.yaml")).services as Record<string, Record<string, unknown>>;
    const planned = Object.values(plan).reduce((n, params) => n + Object.keys(params).length, 0);
    expect(planned).toBeGreaterThan(10);
    for (let i = 1; i <= 7; i++) {
      const services = ((await yamlOf(f, `sites/shop${i}.example.yaml`)).services ?? {}) as Record<string, Record<string, unknown>>;
      // Only what is the site's own (its database prefixes) stays in its file.
      const own = Object.values(services).reduce((n, params) => n + Object.keys(params).length, 0);
      expect(own, `shop${i}`).toBeLessThanOrEqual(3);
    }
    f.server("s1").setKnobs({ failProbability: {}, failForm: {} });
    await expectNoChanges(f);
  });

  it("marks a suspended site suspended, says the server gives no reason, and a plan shows no changes", async () => {
    const f = await repeatedFleet();
    expect((await f.cli(["import", "--server", "s1", "--site", "shop3.example"])).code).toBe(0);
    const text = await f.read("sites/shop3.example.yaml");
    expect(parse(text)).toMatchObject({ state: "suspended" });
    expect(text).toMatch(/# suspended on the server, which does not say why: add suspend_reason if you know it/);
    const planned = await f.cli(["plan", "--detailed-exitcode", "--format", "json"]);
    expect(planned.code, planned.stderr).toBe(0);
  });
});

describe("siteform import of a 243-character domain", () => {
  it("writes it under a bounded, recognisable file name after six other sites, and a plan right after shows no changes", async () => {
    fleet = await startTestFleet({ "siteform.yaml": CONFIG });
    const f = fleet;
    const s1 = f.server("s1");
    for (let i = 1; i <= 6; i++) addSite(s1, `before${i}.example`, `before${i}`, { "siteinfo.plan": "basic", "siteinfo.email": `o@before${i}.example` });
    addSite(s1, LONG_DOMAIN, "longname", { "siteinfo.plan": "basic", "siteinfo.email": "owner@long.example" });
    expect(LONG_DOMAIN).toHaveLength(243);

    const imported = await f.cli(["import", "--server", "s1"]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.stderr).not.toMatch(/ENAMETOOLONG|internal/);
    expect(imported.stdout).toMatch(/Imported 7 sites from s1 into 8 files/);
    const names = (await readdir(join(f.dir, "sites"))).sort();
    expect(names).toHaveLength(7);
    const long = names.find((name) => name.startsWith("a".repeat(63)));
    expect(long).toMatch(/^a{63}\.b+-[0-9a-f]{8}\.yaml$/);
    expect(Buffer.byteLength(long!)).toBeLessThanOrEqual(105);
    expect(await yamlOf(f, `sites/${long}`)).toMatchObject({ domain: LONG_DOMAIN });
    await expectNoChanges(f);
    expect((await f.cli(["import", "--server", "s1"])).stdout).toMatch(/Nothing to import/);
  });
});

/** Whether nothing can be created in `dir` (even by root, for a folder of the kernel's). */
async function refusesCreate(dir: string): Promise<boolean> {
  const probe = join(dir, ".siteform-probe");
  try {
    await writeFile(probe, "", { flag: "wx" });
  } catch {
    return true;
  }
  await unlink(probe);
  return false;
}

/** A folder nothing can be created in: a read-only one of our own, or (for root, whom modes do not stop) one of the kernel's; null where there is none (the test then fails). */
async function lockedFolder(root: string): Promise<string | null> {
  const own = join(root, "locked");
  await mkdir(own);
  await chmod(own, 0o555);
  if (await refusesCreate(own)) return own;
  for (const candidate of ["/sys/power", "/sys/fs/ext4/features", "/sys/module/loop/parameters"]) {
    if (existsSync(candidate) && (await refusesCreate(candidate))) return candidate;
  }
  return null;
}

describe("siteform import is all or nothing", () => {
  it("removes the files it wrote when writing fails part-way, and says which file failed and why", async () => {
    const f = await repeatedFleet();
    const locked = await lockedFolder(f.root);
    // Every machine the suite runs on has one (CI runs as root, where /sys refuses new files).
    expect(locked, "a folder nothing can be created in: a read-only one, or one under /sys for root").not.toBeNull();
    if (locked === null) return;
    // plans/ takes the proposed plans (written first); sites/ points where nothing can be created.
    await rmdir(join(f.dir, "sites"));
    await symlink(locked, join(f.dir, "sites"));
    const before = await snapshot(f);

    const imported = await f.cli(["import", "--server", "s1"]);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toMatch(/^error: not written: sites\/shop1\.example\.yaml: permission denied: siteform may not create files there; make the folder writable for this user$/m);
    expect(imported.stderr).toMatch(/Nothing was imported: no file was written/);
    expect(imported.stdout).not.toMatch(/wrote/);
    expect(await snapshot(f)).toEqual(before);
    expect(await readdir(join(f.dir, "plans"))).toEqual([]);
    expect(mutatingCalls(f.server("s1"))).toBe(0);

    // Once the folder can be written, the same import succeeds.
    await unlink(join(f.dir, "sites"));
    await mkdir(join(f.dir, "sites"));
    expect((await f.cli(["import", "--server", "s1"])).code).toBe(0);
    await expectNoChanges(f);
    await rm(join(f.root, "locked"), { recursive: true, force: true }).catch(() => undefined);
  });
});

describe("siteform import --dry-run", () => {
  it("prints every file it would write with its contents, writes nothing, and the real import then writes exactly that", async () => {
    const f = await repeatedFleet();
    const before = await snapshot(f);
    const dry = await f.cli(["import", "--server", "s1", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^would write plans\/business\.yaml$/m);
    expect(dry.stdout).toMatch(/^would write sites\/shop1\.example\.yaml: shop1\.example \(site1\)$/m);
    expect(dry.stdout).toMatch(/^ {4}apiscp_plan: business$/m);
    expect(dry.stdout).toMatch(/Dry run: would import 9 sites from s1 into 11 files; nothing was written/);
    expect(dry.stdout).not.toMatch(/^wrote /m);
    expect(await snapshot(f)).toEqual(before);

    const real = await f.cli(["import", "--server", "s1"]);
    expect(real.code).toBe(0);
    const after = await snapshot(f);
    const written = Object.keys(after).filter((path) => !(path in before));
    expect(written).toHaveLength(11);
    for (const path of written) {
      const shown = after[path]!.replace(/\n$/, "").split("\n").map((line) => (line === "" ? "" : `    ${line}`)).join("\n");
      expect(dry.stdout, path).toContain(`would write ${path}`);
      expect(dry.stdout, path).toContain(shown);
    }
  });

  it("fails, writing nothing, when the import would fail", async () => {
    const f = await repeatedFleet();
    await rmdir(join(f.dir, "plans"));
    await writeFile(join(f.dir, "plans"), "a file where the plans folder should be\n");
    const before = await snapshot(f);
    const dry = await f.cli(["import", "--server", "s1", "--dry-run"]);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toMatch(/^error: would not be written: plans\/business\.yaml: plans is a file, not a folder: move it away, then import again$/m);
    expect(dry.stderr).toMatch(/The import would fail \(see above\); nothing was written/);
    expect(await snapshot(f)).toEqual(before);
  });
});
