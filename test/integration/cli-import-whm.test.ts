/**
 * `siteform import` from a WHM server, end to end through the CLI against the WHM emulator: a
 * server with accounts on different packages, some with limits of their own ("unlimited"
 * among them), one suspended, one already in git and one with a domain too long for a file
 * name, is imported; a plan right after shows no changes. `--site` narrows the import, a
 * second import writes nothing new, and nothing on the server changes.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import type { WhmAccountInput } from "../../src/emulator/whm/index.js";
import { startTestFleet, type TestFleet, WHM_CONFIG, whmMutatingCalls, whmServer, withoutReadProgress } from "./cli-harness.js";



/** A repository plan on business with a bigger disk: an account like it reuses it. */
const SHOPS_PLAN = `kind: whm/account
whm_package: business
services:
  limits:
    disk_mb: 30720
`;

const KNOWN_ACCOUNT = `kind: whm/account
server: cp1
user: known
domain: known.example
email: owner@known.example
plan: shops
`;

const BASE = { "siteform.yaml": WHM_CONFIG, "plans/shops.yaml": SHOPS_PLAN, "sites/known.yaml": KNOWN_ACCOUNT };

/** 249 characters: a valid domain whose file name (and the writer's temporary beside it) is longer than a file system allows. */
const LONG_DOMAIN = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(49)}.example`;

/** The emulator's default packages (default, starter, business) and these accounts. */
const ACCOUNTS: WhmAccountInput[] = [
  { uid: 1001, user: "known", domain: "known.example", email: "owner@known.example", plan: "business", limits: { quotaMb: 30720 } },
  // Exactly its package.
  { uid: 1002, user: "acme", domain: "acme.example", email: "owner@acme.example", plan: "starter" },
  // Limits of its own, one of them unlimited, and a shell the package does not give.
  {
    uid: 1003,
    user: "bravo",
    domain: "bravo.example",
    email: "it@bravo.example",
    plan: "starter",
    limits: { quotaMb: "unlimited", maxpop: 50, bwlimitMb: 100_000 },
    hasshell: true,
  },
  // On business like the shops plan, with more databases.
  { uid: 1004, user: "shopco", domain: "shopco.example", email: "sales@shopco.example", plan: "business", limits: { quotaMb: 30720, maxsql: 40 } },
  // Suspended, on WHM's default package.
  {
    uid: 1005,
    user: "summit",
    domain: "summit.example",
    email: "accounts@summit.example",
    plan: "default",
    suspended: true,
    suspendreason: "unpaid invoice 2026-1187",
    suspendtime: 1_750_000_000,
  },
  { uid: 1006, user: "longname", domain: LONG_DOMAIN, email: "owner@long.example", plan: "starter" },
];

let fleet: TestFleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

async function whmFleet(files: Readonly<Record<string, string>> = BASE, accounts: WhmAccountInput[] = ACCOUNTS): Promise<TestFleet> {
  fleet = await startTestFleet(files, { whmStates: { cp1: { accounts } } });
  whmServer(fleet, "cp1").calls.reset();
  return fleet;
}

async function filesUnder(f: TestFleet, dir: string): Promise<string[]> {
  return (await readdir(join(f.dir, dir))).filter((name) => !name.startsWith(".")).sort();
}

async function yamlOf(f: TestFleet, path: string): Promise<Record<string, unknown>> {
  return parse(await f.read(path)) as Record<string, unknown>;
}

describe("siteform import from a WHM server", () => {
  it("imports every account git does not name, and a plan right after shows no changes", async () => {
    const f = await whmFleet();
    const imported = await f.cli(["import", "--server", "cp1"]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    // Only which server was read, and what it holds.
    expect(withoutReadProgress(imported.stderr)).toBe("");
    expect(imported.stderr).toMatch(/read cp1: \d+ accounts? in \d+\.\d s\n/);
    expect(imported.stdout).toMatch(/wrote plans\/starter\.yaml\n/);
    expect(imported.stdout).toMatch(/wrote plans\/default\.yaml\n/);
    expect(imported.stdout).toMatch(/wrote sites\/bravo\.example\.yaml: bravo\.example \(1003\)/);
    expect(imported.stdout).toMatch(/Imported 5 accounts from cp1 into 7 files/);
    expect(whmMutatingCalls(whmServer(f, "cp1"))).toBe(0);

    expect(await filesUnder(f, "plans")).toEqual(["default.yaml", "shops.yaml", "starter.yaml"]);
    const sites = await filesUnder(f, "sites");
    expect(sites.filter((name) => !name.startsWith("a".repeat(10)))).toEqual(["acme.example.yaml", "bravo.example.yaml", "known.yaml", "shopco.example.yaml", "summit.example.yaml"]);

    // A generated plan names its package only.
    expect(await yamlOf(f, "plans/starter.yaml")).toEqual({ kind: "whm/account", description: expect.any(String) as string, whm_package: "starter" });
    expect(await yamlOf(f, "sites/acme.example.yaml")).toEqual({
      kind: "whm/account",
      server: "cp1",
      user: "acme",
      domain: "acme.example",
      email: "owner@acme.example",
      plan: "starter",
    });
    expect(await yamlOf(f, "sites/bravo.example.yaml")).toMatchObject({
      plan: "starter",
      services: { limits: { disk_mb: "unlimited", bandwidth_mb: 100_000, mailboxes: 50 }, shell: { enabled: true } },
    });
    // The repository plan on business already has the disk: only the databases differ.
    expect(await yamlOf(f, "sites/shopco.example.yaml")).toMatchObject({ plan: "shops", services: { limits: { databases: 40 } } });
    expect(await yamlOf(f, "sites/summit.example.yaml")).toMatchObject({ plan: "default", state: "suspended", suspend_reason: "unpaid invoice 2026-1187" });
    expect(await f.read("sites/summit.example.yaml")).not.toMatch(/services/);
    expect(await f.read("sites/acme.example.yaml")).toMatch(/^# yaml-language-server: \$schema=\.\.\/src\/providers\/whm\/schemas\/account\.schema\.json\n# Imported from server cp1 on \d{4}-\d\d-\d\d by siteform import\. Server uid: 1002\.\n/);

    // The very long domain got a shortened, still recognisable file name.
    const long = sites.find((name) => name.startsWith("a".repeat(10)));
    expect(long).toBeDefined();
    expect((long ?? "").length).toBeLessThanOrEqual(105);
    expect(await yamlOf(f, `sites/${long ?? ""}`)).toMatchObject({ domain: LONG_DOMAIN, user: "longname" });

    const validated = await f.cli(["validate"]);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    const planned = await f.cli(["plan", "--detailed-exitcode"]);
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
    expect(planned.stdout).toMatch(/No changes/);
    expect(planned.stdout).not.toMatch(/Unmanaged/);
  });

  it("imports only the accounts --site names, by uid, user or domain", async () => {
    const f = await whmFleet();
    const imported = await f.cli(["import", "--server", "cp1", "--site", "1003", "--site", "summit", "--site", "ShopCo.example"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(await filesUnder(f, "sites")).toEqual(["bravo.example.yaml", "known.yaml", "shopco.example.yaml", "summit.example.yaml"]);
    expect(await filesUnder(f, "plans")).toEqual(["default.yaml", "shops.yaml", "starter.yaml"]);
    const planned = await f.cli(["plan", "--detailed-exitcode", "--format", "json"]);
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout) as { servers: Array<{ unmanaged: Array<{ name: string }> }> };
    expect(plan.servers[0]?.unmanaged.map((u) => u.name)).toEqual(["acme.example", LONG_DOMAIN]);
  });

  it("fails for a --site that names no account, and for one already in git", async () => {
    const f = await whmFleet();
    const unknown = await f.cli(["import", "--server", "cp1", "--site", "nowhere.example"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/skipped nowhere\.example: no account on this server has this uid, user or domain/);
    const known = await f.cli(["import", "--server", "cp1", "--site", "known"]);
    expect(known.code).toBe(1);
    expect(known.stderr).toMatch(/skipped known\.example \(1001\): it is already in the inventory \(sites\/known\.yaml\)/);
    expect(await filesUnder(f, "sites")).toEqual(["known.yaml"]);
    expect(await filesUnder(f, "plans")).toEqual(["shops.yaml"]);
  });

  it("writes nothing new on a second import, and never overwrites a file", async () => {
    // sites/acme.example.yaml exists already and holds another account.
    const other = KNOWN_ACCOUNT.replace(/known/g, "other");
    const f = await whmFleet({ ...BASE, "sites/acme.example.yaml": other }, [
      ...ACCOUNTS,
      { uid: 1007, user: "other", domain: "other.example", email: "owner@other.example", plan: "business", limits: { quotaMb: 30720 } },
    ]);
    const before = await f.read("sites/acme.example.yaml");
    const imported = await f.cli(["import", "--server", "cp1"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(await f.read("sites/acme.example.yaml")).toBe(before);
    expect(imported.stdout).toMatch(/wrote sites\/acme\.example-2\.yaml: acme\.example \(1002\)/);

    const snapshot = async (): Promise<string[]> => {
      const paths = [...(await filesUnder(f, "plans")).map((n) => `plans/${n}`), ...(await filesUnder(f, "sites")).map((n) => `sites/${n}`)];
      return Promise.all(paths.map(async (path) => `${path}\n${await f.read(path)}`));
    };
    const first = await snapshot();
    const again = await f.cli(["import", "--server", "cp1"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Nothing to import: every account on cp1 that can be imported is already in the inventory/);
    expect(await snapshot()).toEqual(first);
    expect(whmMutatingCalls(whmServer(f, "cp1"))).toBe(0);
    expect((await f.cli(["plan", "--detailed-exitcode"])).code).toBe(0);
  });

  it("skips an account whose user another entry already holds, and says why", async () => {
    // The entry is pinned to uid 1001, so the account called known on the server now (uid 1009) is another one.
    const pinned = `${KNOWN_ACCOUNT}id: "1001"\n`;
    const f = await whmFleet({ ...BASE, "sites/known.yaml": pinned }, [
      { uid: 1001, user: "renamed", domain: "renamed.example", email: "owner@known.example", plan: "business", limits: { quotaMb: 30720 } },
      { uid: 1009, user: "known", domain: "other-known.example", email: "x@other-known.example", plan: "starter" },
    ]);
    const imported = await f.cli(["import", "--server", "cp1"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/skipped other-known\.example \(1009\): its user "known" is already written in sites\/known\.yaml/);
    expect(imported.stdout).toMatch(/Nothing to import/);
    expect(await filesUnder(f, "sites")).toEqual(["known.yaml"]);
  });

  it("needs the server's token and user variables", async () => {
    const f = await whmFleet();
    const noToken = await f.cli(["import", "--server", "cp1"], { env: { CP1_WHM_USER: "root" } });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/CP1_WHM_TOKEN/);
    expect(await filesUnder(f, "sites")).toEqual(["known.yaml"]);
  });
});
