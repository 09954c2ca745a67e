/**
 * importAccounts: the files a WHM import writes, from accounts read through the provider's own
 * row readers (listaccts and showbw rows as WHM writes them) and package defaults in the
 * provider's form. The written files pass the inventory check beside the inventory, and the
 * real planner sees no change for the imported accounts.
 */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { checkInventory, type SourceText } from "../../../src/inventory/index.js";
import type { Inventory } from "../../../src/model/inventory.js";
import type { ObservedServer } from "../../../src/model/resource.js";
import { buildPlan } from "../../../src/planner/index.js";
import { importAccounts, importFields, type Defaults, type ImportInput, type ImportResult } from "../../../src/providers/whm/importer/index.js";
import { mbToBytes } from "../../../src/providers/whm/limits.js";
import { observedAccounts } from "../../../src/providers/whm/observe.js";
import { readAccounts, readBandwidth } from "../../../src/providers/whm/results.js";

const DATE = "2025-07-01";

const CONFIG = `servers:
  fra1:
    url: https://fra1.example.net:2083/soap
    key_env: FRA1_KEY
  cp1:
    provider: whm
    url: https://cp1.example.net:2087
    key_env: CP1_TOKEN
    user_env: CP1_USER
`;

/** An ApisCP plan called starter: a generated WHM plan for package starter must not take its name. */
const APISCP_STARTER = "apiscp_plan: starter\n";
/** A repository plan on WHM's business package with more disk. */
const SHOPS = "kind: whm/account\nwhm_package: business\nservices:\n  limits:\n    disk_mb: 30720\n";
/** Another on business with more mailboxes too. */
const BIG_SHOPS = "kind: whm/account\nwhm_package: business\nservices:\n  limits:\n    disk_mb: 30720\n    mailboxes: 500\n";
const KNOWN = "kind: whm/account\nserver: cp1\nuser: known\ndomain: known.example\nplan: shops\n";

const BASE: Record<string, string> = {
  "siteform.yaml": CONFIG,
  "plans/starter.yaml": APISCP_STARTER,
  "plans/shops.yaml": SHOPS,
  "plans/big-shops.yaml": BIG_SHOPS,
  "sites/known.yaml": KNOWN,
};

/** Package defaults as WhmProvider.templateDefaults gives them. */
const PACKAGES: Record<string, Defaults> = {
  default: {
    limits: {
      disk_mb: "unlimited",
      bandwidth_mb: "unlimited",
      mailboxes: "unlimited",
      databases: "unlimited",
      ftp_accounts: "unlimited",
      subdomains: "unlimited",
      parked_domains: 0,
      addon_domains: 0,
    },
    shell: { enabled: false },
  },
  starter: {
    limits: { disk_mb: 5120, bandwidth_mb: 51200, mailboxes: 10, databases: 2, ftp_accounts: 2, subdomains: 5, parked_domains: 1, addon_domains: 0 },
    shell: { enabled: false },
  },
  business: {
    limits: { disk_mb: 20480, bandwidth_mb: 204800, mailboxes: 100, databases: 20, ftp_accounts: 10, subdomains: "unlimited", parked_domains: 10, addon_domains: 5 },
    shell: { enabled: true },
  },
};

type Limits = Record<string, string | number>;

/** A listaccts row on `pkg` as WHM writes it: every limit the package's (in its units and spellings), then `extra`. */
function row(uid: number, user: string, domain: string, pkg: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const limits = (PACKAGES[pkg]?.limits ?? PACKAGES.default?.limits ?? {}) as Limits;
  const text = (value: string | number | undefined): string => String(value ?? "unlimited");
  return {
    uid: String(uid),
    user,
    domain,
    email: `owner@${domain}`,
    plan: pkg,
    suspended: 0,
    suspendreason: "not suspended",
    suspendtime: 0,
    disklimit: limits.disk_mb === "unlimited" ? "unlimited" : `${text(limits.disk_mb)}M`,
    maxpop: text(limits.mailboxes),
    maxsql: text(limits.databases),
    maxftp: text(limits.ftp_accounts),
    maxsub: text(limits.subdomains),
    maxparked: text(limits.parked_domains),
    maxaddons: text(limits.addon_domains),
    shell: PACKAGES[pkg]?.shell?.enabled === true ? "/bin/bash" : "/usr/local/cpanel/bin/noshell",
    ...extra,
  };
}

/** The showbw line of a row: its package's bandwidth limit in bytes unless `limit` is given. */
function bandwidthOf(raw: Record<string, unknown>, limit?: number | string): Record<string, unknown> {
  const pkgLimit = (PACKAGES[String(raw.plan)]?.limits as Limits | undefined)?.bandwidth_mb;
  const chosen = limit ?? (pkgLimit === "unlimited" || pkgLimit === undefined ? 0 : mbToBytes(Number(pkgLimit)));
  return { user: raw.user, limit: String(chosen), totalbytes: "0" };
}

/** The server as a collect of every importable field reports it. */
function observedServer(rows: Array<Record<string, unknown>>, bandwidth: Record<string, number | string> = {}, packages = Object.keys(PACKAGES)): ObservedServer & { ok: true } {
  const accounts = readAccounts({ acct: rows });
  const lines = readBandwidth({ acct: rows.map((r) => bandwidthOf(r, bandwidth[String(r.user)])) });
  return {
    server: "cp1",
    ok: true,
    resources: observedAccounts("cp1", accounts, lines, importFields()),
    templates: { "whm/account": packages },
    fields: { "whm/account": importFields() },
  };
}

function inventoryOf(files: Record<string, string>): { sources: SourceText[]; inventory: Inventory } {
  const sources = Object.entries(files).map(([file, text]) => ({ file, text }));
  const checked = checkInventory(sources);
  if (!checked.ok) throw new Error(`inventory invalid: ${JSON.stringify(checked.diagnostics)}`);
  return { sources, inventory: checked.inventory };
}

function runImport(server: ObservedServer & { ok: true }, inventory: Inventory, extra: Partial<ImportInput> = {}): ImportResult {
  return importAccounts({
    inventory,
    server: "cp1",
    observed: server.resources,
    packages: server.templates["whm/account"] ?? [],
    packageDefaults: PACKAGES,
    date: DATE,
    ...extra,
  });
}

/** The inventory with the import's files added; fails the test on any error diagnostic. */
function withImport(sources: SourceText[], result: ImportResult): Inventory {
  const checked = checkInventory([...sources, ...result.files.map((f) => ({ file: f.path, text: f.text }))]);
  expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (!checked.ok) throw new Error("unreachable");
  return checked.inventory;
}

function planOf(inventory: Inventory, server: ObservedServer) {
  return buildPlan(inventory, [server], { now: "2025-07-01T12:00:00Z", commit: { commit: null, dirty: false }, allowDeletes: null, allowPaid: null, servers: ["cp1"], resetPlanDefaults: false });
}

/** The plan's ops on the accounts the import wrote (the base inventory's own entries may have others). */
function importedOps(inventory: Inventory, server: ObservedServer, result: ImportResult): unknown[] {
  const paths = new Set(result.files.map((f) => f.path));
  const plan = planOf(inventory, server);
  expect(plan.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return plan.ops.filter((op) => op.target.source !== null && paths.has(op.target.source.file));
}

function fileValue(result: ImportResult, path: string): Record<string, unknown> {
  const file = result.files.find((f) => f.path === path);
  if (file === undefined) throw new Error(`no file ${path} among ${result.files.map((f) => f.path).join(", ")}`);
  return parse(file.text) as Record<string, unknown>;
}

/** A server with a bit of everything the import can write. */
function richServer(): ObservedServer & { ok: true } {
  return observedServer(
    [
      row(1001, "known", "known.example", "business", { disklimit: "30720M" }),
      row(1002, "acme", "acme.example", "starter"),
      // Own limits: unlimited disk, no mailboxes at all (0 is not unlimited), a shell.
      row(1003, "bravo", "Bravo.example", "starter", { disklimit: "unlimited", maxpop: "0", maxsql: "unlimited", shell: "/bin/bash" }),
      // Like the shops plan, with more databases.
      row(1004, "shopco", "shopco.example", "business", { disklimit: "30720M", maxsql: "40" }),
      row(1005, "summit", "summit.example", "default", { suspended: 1, suspendreason: "unpaid invoice 2026-1187", suspendtime: "1750000000" }),
    ],
    { bravo: mbToBytes(100_000) },
  );
}

describe("importAccounts on a server with a bit of everything", () => {
  const { sources, inventory } = inventoryOf(BASE);
  const server = richServer();
  const result = runImport(server, inventory);

  it("writes a plan per package no repository plan builds on, then one file per account in uid order", () => {
    expect(result.files.map((f) => [f.path, f.role])).toEqual([
      ["plans/starter-2.yaml", "plan"],
      ["plans/default.yaml", "plan"],
      ["sites/acme.example.yaml", "resource"],
      ["sites/bravo.example.yaml", "resource"],
      ["sites/shopco.example.yaml", "resource"],
      ["sites/summit.example.yaml", "resource"],
    ]);
    expect(result.files.flatMap((f) => f.resources)).toEqual([
      { id: "1002", name: "acme.example" },
      { id: "1003", name: "Bravo.example" },
      { id: "1004", name: "shopco.example" },
      { id: "1005", name: "summit.example" },
    ]);
    expect(result.skipped).toEqual([]);
  });

  it("writes a generated plan that only names its package", () => {
    expect(fileValue(result, "plans/starter-2.yaml")).toEqual({
      kind: "whm/account",
      description: "WHM package starter as it is; accounts override what differs.",
      whm_package: "starter",
    });
  });

  it("writes an account exactly on its package without services", () => {
    expect(fileValue(result, "sites/acme.example.yaml")).toEqual({
      kind: "whm/account",
      server: "cp1",
      user: "acme",
      domain: "acme.example",
      email: "owner@acme.example",
      plan: "starter-2",
    });
  });

  it("writes only the limits that differ, in the schema's order, unlimited and 0 as WHM means them", () => {
    expect(fileValue(result, "sites/bravo.example.yaml")).toEqual({
      kind: "whm/account",
      server: "cp1",
      user: "bravo",
      domain: "bravo.example",
      email: "owner@Bravo.example",
      plan: "starter-2",
      services: { limits: { disk_mb: "unlimited", bandwidth_mb: 100_000, mailboxes: 0, databases: "unlimited" }, shell: { enabled: true } },
    });
    const text = result.files.find((f) => f.path === "sites/bravo.example.yaml")?.text ?? "";
    expect(text.indexOf("disk_mb")).toBeLessThan(text.indexOf("bandwidth_mb"));
    expect(text.indexOf("bandwidth_mb")).toBeLessThan(text.indexOf("mailboxes"));
  });

  it("reuses the repository plan on the package that needs the fewest overrides, and overrides only what differs from it", () => {
    expect(fileValue(result, "sites/shopco.example.yaml")).toMatchObject({ plan: "shops", services: { limits: { databases: 40 } } });
    expect(Object.keys((fileValue(result, "sites/shopco.example.yaml").services as { limits: object }).limits)).toEqual(["databases"]);
  });

  it("writes a suspended account as suspended, with WHM's reason", () => {
    const summit = fileValue(result, "sites/summit.example.yaml");
    expect(summit).toMatchObject({ plan: "default", state: "suspended", suspend_reason: "unpaid invoice 2026-1187" });
    expect(summit.services).toBeUndefined();
    // "not suspended" is WHM's way of saying there is no reason: never written.
    for (const file of result.files) if (!file.path.includes("summit")) expect(file.text).not.toMatch(/suspend|state:/);
  });

  it("starts every file with the schema modeline and says where it came from", () => {
    for (const file of result.files) {
      const schema = file.role === "plan" ? "plan.schema.json" : "account.schema.json";
      expect(file.text.split("\n")[0]).toBe(`# yaml-language-server: $schema=../src/providers/whm/schemas/${schema}`);
      expect(file.text).toContain(`# Imported from server cp1 on ${DATE} by siteform import.`);
    }
    expect(result.files.find((f) => f.path === "sites/summit.example.yaml")?.text).toContain("Server uid: 1005.");
  });

  it("passes the inventory check, and the planner sees no change for the imported accounts", () => {
    const merged = withImport(sources, result);
    expect(merged.resources.filter((r) => r.server === "cp1").map((r) => r.name)).toHaveLength(5);
    const plan = planOf(merged, server);
    expect(plan.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(plan.ops).toEqual([]);
    expect(plan.servers[0]?.unmanaged).toEqual([]);
  });
});

describe("importAccounts choices", () => {
  const { sources, inventory } = inventoryOf(BASE);

  it("writes every limit the server reports when a package's defaults could not be read, and says so", () => {
    const server = observedServer([row(1002, "acme", "acme.example", "starter")]);
    const result = runImport(server, inventory, { packageDefaults: {} });
    const acme = result.files.find((f) => f.path === "sites/acme.example.yaml");
    expect(acme?.text).toContain("# the defaults of package starter could not be read: every limit the server reported is written");
    expect(fileValue(result, "sites/acme.example.yaml").services).toEqual({
      limits: { disk_mb: 5120, bandwidth_mb: 51200, mailboxes: 10, databases: 2, ftp_accounts: 2, subdomains: 5, parked_domains: 1, addon_domains: 0 },
      shell: { enabled: false },
    });
    expect(importedOps(withImport(sources, result), server, result)).toEqual([]);
  });

  it("leaves out what policy.ignore lists and what the schema cannot hold, naming the field, never the value", () => {
    const ignoring = inventoryOf({ ...BASE, "siteform.yaml": `${CONFIG}policy:\n  ignore:\n    - limits.ftp_accounts\n` });
    // Bandwidth that is not whole MB cannot be written: the schema takes whole MB.
    const server = observedServer([row(1002, "acme", "acme.example", "starter", { maxftp: "9" })], { acme: mbToBytes(100) + 512 });
    const result = runImport(server, ignoring.inventory);
    const text = result.files.find((f) => f.path === "sites/acme.example.yaml")?.text ?? "";
    expect(text).toContain("# not written, listed in policy.ignore: limits.ftp_accounts");
    expect(text).toContain("# not written, the server's value does not fit the schema: limits.bandwidth_mb");
    expect(text).not.toMatch(/100\.0|services/);
    expect(importedOps(withImport(ignoring.sources, result), server, result)).toEqual([]);
  });

  it("leaves out a contact address or a suspension reason the schema refuses, with a note", () => {
    const server = observedServer([row(1002, "acme", "acme.example", "starter", { email: "not an address", suspended: 1, suspendreason: "line one\nline two" })]);
    const result = runImport(server, inventory);
    const acme = fileValue(result, "sites/acme.example.yaml");
    expect(acme.email).toBeUndefined();
    expect(acme.state).toBe("suspended");
    expect(acme.suspend_reason).toBeUndefined();
    const text = result.files.find((f) => f.path === "sites/acme.example.yaml")?.text ?? "";
    expect(text).toContain("# its contact address is not written");
    expect(text).toContain("# its suspension reason is not written");
    expect(text).not.toContain("not an address");
    expect(importedOps(withImport(sources, result), server, result)).toEqual([]);
  });

  it("writes a suspended account without a reason as suspended only", () => {
    const server = observedServer([row(1002, "acme", "acme.example", "starter", { suspended: 1, suspendreason: "not suspended" })]);
    const acme = fileValue(runImport(server, inventory), "sites/acme.example.yaml");
    expect(acme.state).toBe("suspended");
    expect(acme.suspend_reason).toBeUndefined();
  });

  it("skips, with the reason, accounts it cannot write as they are", () => {
    const server = observedServer(
      [
        // Its package was deleted in WHM.
        row(1010, "orphan", "orphan.example", "gone"),
        // A package name a plan cannot hold.
        row(1011, "odd", "odd.example", "odd/pkg"),
        // A user the account schema refuses (WHM once allowed it).
        row(1012, "testing", "testing.example", "starter"),
        // Its user is held by the pinned entry for another account.
        row(1013, "known", "known-two.example", "starter"),
        row(1014, "renamed", "renamed.example", "business", { disklimit: "30720M" }),
      ],
      {},
      [...Object.keys(PACKAGES), "odd/pkg"],
    );
    const pinned = inventoryOf({ ...BASE, "sites/known.yaml": `${KNOWN}id: "1014"\n` });
    const result = runImport(server, pinned.inventory);
    expect(result.files).toEqual([]);
    expect(result.skipped.map((s) => [s.id, s.name, s.reason])).toEqual([
      ["1010", "orphan.example", expect.stringMatching(/^its package "gone" does not exist on this server .*create the package again in WHM/)],
      ["1011", "odd.example", expect.stringMatching(/^its package name "odd\/pkg" cannot be a plan's whm_package/)],
      ["1012", "testing.example", expect.stringMatching(/^what the server reports does not fit the account schema: \/user must match pattern/)],
      ["1013", "known-two.example", expect.stringMatching(/^its user "known" is already written in sites\/known\.yaml, whose entry the plan does not match to this account/)],
    ]);
  });

  it("writes no plan file that no written account names", () => {
    const server = observedServer([row(1012, "testing", "testing.example", "starter")]);
    const result = runImport(server, inventory);
    expect(result.files).toEqual([]);
    expect(result.skipped).toHaveLength(1);
  });

  it("imports only the selected accounts, by uid, user or domain, and reports selectors that name none or name one in git", () => {
    const result = runImport(richServer(), inventory, { select: ["1002", "summit", "BRAVO.example", "nowhere.example", "known"] });
    expect(result.files.map((f) => f.path)).toEqual([
      "plans/starter-2.yaml",
      "plans/default.yaml",
      "sites/acme.example.yaml",
      "sites/bravo.example.yaml",
      "sites/summit.example.yaml",
    ]);
    expect(result.skipped).toEqual([
      { id: null, name: "nowhere.example", reason: "no account on this server has this uid, user or domain" },
      { id: "1001", name: "known.example", reason: "it is already in the inventory (sites/known.yaml)" },
    ]);
  });

  it("never reuses a path that exists on disk", () => {
    const server = observedServer([row(1002, "acme", "acme.example", "starter")]);
    const taken = new Set(["sites/acme.example.yaml", "sites/acme.example-2.yaml", "plans/starter-2.yaml"]);
    const result = runImport(server, inventory, { exists: (path) => taken.has(path) });
    expect(result.files.map((f) => f.path)).toEqual(["plans/starter-3.yaml", "sites/acme.example-3.yaml"]);
    expect(fileValue(result, "sites/acme.example-3.yaml").plan).toBe("starter-3");
  });

  it("reuses a repository plan on the package in another run, writing no plan", () => {
    const first = runImport(richServer(), inventory);
    const merged = withImport(sources, first);
    const server = observedServer([row(1020, "later", "later.example", "starter", { maxpop: "12" })]);
    const second = runImport(server, merged);
    expect(second.files.map((f) => f.path)).toEqual(["sites/later.example.yaml"]);
    expect(fileValue(second, "sites/later.example.yaml")).toMatchObject({ plan: "starter-2", services: { limits: { mailboxes: 12 } } });
  });

  it("gives a very long domain a short file name that is the same on every import", () => {
    const long = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(49)}.example`;
    const server = observedServer([row(1030, "longname", long, "starter")]);
    const once = runImport(server, inventory).files.map((f) => f.path);
    const twice = runImport(server, inventory).files.map((f) => f.path);
    expect(once).toEqual(twice);
    const path = once[1] ?? "";
    expect(path).toMatch(/^sites\/a{63}\.b+-[0-9a-f]{8}\.yaml$/);
    expect(path.length).toBeLessThanOrEqual("sites/".length + 100 + ".yaml".length);
  });
});
