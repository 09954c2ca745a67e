/**
 * The `whm/account` declaration in the core: its schemas compile in a Catalogue beside the
 * ApisCP kind, account files and WHM plans validate (and WHM's user name rules, limits and
 * entry-field marks refuse what they should), and an account read in WHM's own spellings
 * (`"5120M"`, `"unlimited"`, bytes) plans nothing when it is as the inventory says: what the
 * planner compares is what a read gives back. Real inventory check and real planner.
 */
import { describe, expect, it } from "vitest";
import { checkInventory } from "../../../src/inventory/index.js";
import { schemasFor } from "../../../src/inventory/schema.js";
import { Catalogue } from "../../../src/kinds/catalogue.js";
import type { Inventory } from "../../../src/model/inventory.js";
import type { Op } from "../../../src/model/op.js";
import type { Plan } from "../../../src/model/plan.js";
import type { ObservedServer } from "../../../src/model/resource.js";
import { buildPlan } from "../../../src/planner/index.js";
import { APISCP } from "../../../src/providers/apiscp/module.js";
import { ACCOUNT, ACCOUNT_KIND } from "../../../src/providers/whm/kinds.js";
import { mbToBytes } from "../../../src/providers/whm/limits.js";
import { WHM } from "../../../src/providers/whm/module.js";
import { observedAccounts, readFields } from "../../../src/providers/whm/observe.js";
import { accountWork } from "../../../src/providers/whm/op-calls.js";
import { readAccounts, readBandwidth } from "../../../src/providers/whm/results.js";

const catalogue = new Catalogue([...APISCP.kinds, ...WHM.kinds]);
const ENV = { FRA1_KEY: "k1", CP1_TOKEN: "t", CP1_USER: "root" };
const NOW = "2026-06-15T12:00:00Z";

const lines = (...text: string[]): string => `${text.join("\n")}\n`;

const CONFIG = lines(
  "servers:",
  "  fra1:",
  "    url: http://127.0.0.1:1",
  "    key_env: FRA1_KEY",
  "  cp1:",
  "    provider: whm",
  "    url: https://cp1.example:2087",
  "    key_env: CP1_TOKEN",
  "    user_env: CP1_USER",
);

function account(extra: string[] = [], user = "acme", domain = "acme.example"): string {
  return lines("kind: whm/account", "server: cp1", `user: ${user}`, `domain: ${domain}`, "email: owner@acme.example", "plan: starter", ...extra);
}

type Files = Record<string, string>;

function files(extra: Files = {}): Files {
  return {
    "siteform.yaml": CONFIG,
    "plans/starter.yaml": lines("kind: whm/account", "whm_package: starter", "services:", "  limits:", "    mailboxes: 10"),
    "sites/acme.yaml": account(),
    ...extra,
  };
}

function check(f: Files) {
  return checkInventory(
    Object.entries(f).map(([file, text]) => ({ file, text })),
    { catalogue, env: ENV },
  );
}

function inventoryOf(f: Files): Inventory {
  const result = check(f);
  if (!result.ok) throw new Error(`inventory does not validate: ${result.diagnostics.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`).join("; ")}`);
  return result.inventory;
}

function errorsOf(f: Files): string[] {
  return check(f).diagnostics.filter((d) => d.severity === "error").map((d) => `${d.file}:${d.line} ${d.message}`);
}

describe("the whm/account declaration", () => {
  it("compiles in a catalogue beside the ApisCP site, as the default kind of the whm provider", () => {
    expect(catalogue.defaultKind("whm")).toBe(ACCOUNT_KIND);
    const schemas = schemasFor(catalogue);
    expect(schemas.resource.has(ACCOUNT_KIND)).toBe(true);
    expect(schemas.plan.has(ACCOUNT_KIND)).toBe(true);
    const kind = catalogue.kind(ACCOUNT_KIND);
    expect(kind.identityFields()).toEqual(["account.domain", "account.package", "account.user"]);
    expect(kind.fieldSetBy("plan")).toBe("account.package");
    expect(kind.fieldMarks("usage.disk_mb")?.readOnly).toBe(true);
    expect(kind.fieldMarks("account.domain")?.caseInsensitive).toBe(true);
  });

  it("has the neutral envelope's fields in its entry schema", () => {
    const properties = Object.keys((ACCOUNT.entry as { properties: Record<string, unknown> }).properties);
    for (const field of ["kind", "server", "plan", "services", "state", "cancelled_on", "suspend_reason", "protect", "id"]) expect(properties).toContain(field);
  });

  it("resolves an account with its entry fields, the plan's package and limits", () => {
    const inventory = inventoryOf(files({ "sites/acme.yaml": account(["services:", "  limits:", "    disk_mb: 5120", "  shell:", "    enabled: false"]) }));
    const acme = inventory.resources.find((r) => r.kind === ACCOUNT_KIND);
    expect(acme).toMatchObject({ server: "cp1", name: "acme.example", plan: { name: "starter", template: "starter" }, state: "active" });
    expect(acme?.fields).toEqual({
      account: { user: "acme", domain: "acme.example", email: "owner@acme.example", package: "starter" },
      limits: { mailboxes: 10, disk_mb: 5120 },
      shell: { enabled: false },
    });
  });

  it("takes an account file without kind: on a WHM server as an account", () => {
    const inventory = inventoryOf(files({ "sites/acme.yaml": account().replace("kind: whm/account\n", "") }));
    expect(inventory.resources.map((r) => r.kind)).toEqual([ACCOUNT_KIND]);
  });

  it("applies WHM's user name rules", () => {
    expect(errorsOf(files({ "sites/acme.yaml": account([], "testacme") }))).toEqual([expect.stringMatching(/sites\/acme\.yaml:3 .*/)]);
    expect(errorsOf(files({ "sites/acme.yaml": account([], "acmeacmeacmeacme1") }))).toHaveLength(1);
    expect(errorsOf(files({ "sites/acme.yaml": account([], "1acme") }))).toHaveLength(1);
    expect(errorsOf(files({ "sites/acme.yaml": account([], "Acme") }))).toHaveLength(1);
    expect(errorsOf(files({ "sites/acme.yaml": account([], "acme_1") }))).toHaveLength(1);
    expect(errorsOf(files({ "sites/acme.yaml": account([], "acmeacmeacmeacme") }))).toEqual([]);
    expect(errorsOf(files({ "sites/acme.yaml": account([], "atest") }))).toEqual([]);
  });

  it("says why a user name starting with test is refused", () => {
    const diagnostics = check(files({ "sites/acme.yaml": account([], "testacme") })).diagnostics;
    expect(diagnostics.map((d) => `${d.message}; ${d.hint ?? ""}`)).toEqual([expect.stringMatching(/^"testacme" is not a valid cPanel user name for `user`; .*not with `test`/)]);
  });

  it("takes limits as whole numbers or unlimited, and refuses 0 for the sizes WHM reads as unlimited", () => {
    const limits = (...l: string[]) => files({ "sites/acme.yaml": account(["services:", "  limits:", ...l.map((x) => `    ${x}`)]) });
    expect(errorsOf(limits("disk_mb: unlimited", "bandwidth_mb: 20000", "mailboxes: 0", "databases: unlimited"))).toEqual([]);
    expect(errorsOf(limits("disk_mb: 0"))).toHaveLength(1);
    expect(errorsOf(limits("bandwidth_mb: 0"))).toHaveLength(1);
    expect(errorsOf(limits("mailboxes: -1"))).toHaveLength(1);
    expect(errorsOf(limits("mailboxes: lots"))).toHaveLength(1);
    expect(errorsOf(limits("disk_mb: 1.5"))).toHaveLength(1);
    expect(errorsOf(limits("inodes: 5"))).toHaveLength(1);
  });

  it("refuses entry fields, read-only usage and unknown groups under services:", () => {
    const services = (...l: string[]) => files({ "sites/acme.yaml": account(["services:", ...l.map((x) => `  ${x}`)]) });
    expect(errorsOf(services("account:", "  user: other"))).toHaveLength(1);
    expect(errorsOf(services("account:", "  package: business"))).toHaveLength(1);
    expect(errorsOf(services("usage:", "  disk_mb: 5"))).toHaveLength(1);
    expect(errorsOf(services("diskquota:", "  quota: 5"))).toHaveLength(1);
  });

  it("needs whm_package in a WHM plan, and pins an id only as a uid", () => {
    expect(errorsOf(files({ "plans/starter.yaml": lines("kind: whm/account", "description: no package") }))).not.toEqual([]);
    expect(errorsOf(files({ "sites/acme.yaml": account(["id: '1001'"]) }))).toEqual([]);
    expect(errorsOf(files({ "sites/acme.yaml": account(["id: site7"]) }))).toHaveLength(1);
  });

  it("refuses two accounts with one user or one domain on a server", () => {
    const same = check(files({ "sites/b.yaml": account([], "acme", "b.example") }));
    expect(same.diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual(["duplicate-user"]);
    const domain = check(files({ "sites/b.yaml": account([], "bravo", "acme.example") }));
    expect(domain.diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual(["duplicate-domain"]);
  });
});

/** An account as listaccts writes it. */
function row(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uid: 1001,
    user: "acme",
    domain: "acme.example",
    email: "owner@acme.example",
    plan: "starter",
    suspended: 0,
    suspendreason: "not suspended",
    suspendtime: null,
    disklimit: "5120M",
    maxpop: "10",
    maxsql: "unlimited",
    shell: "/usr/local/cpanel/bin/noshell",
    ...extra,
  };
}

function observed(rows: Record<string, unknown>[], bandwidth: Record<string, unknown>[] | null, fields: string[]): ObservedServer {
  return {
    server: "cp1",
    ok: true,
    resources: observedAccounts("cp1", readAccounts({ acct: rows }), bandwidth === null ? null : readBandwidth({ acct: bandwidth }), readFields(fields)),
    templates: { [ACCOUNT_KIND]: ["default", "starter", "business"] },
    fields: { [ACCOUNT_KIND]: fields },
  };
}

function plan(inventory: Inventory, server: ObservedServer): Plan {
  return buildPlan(inventory, [server], { now: NOW, commit: { commit: null, dirty: false }, allowDeletes: null, allowPaid: null, servers: ["cp1"], resetPlanDefaults: false });
}

const MANAGED = ["account.domain", "account.email", "account.package", "account.user", "limits.bandwidth_mb", "limits.databases", "limits.disk_mb", "limits.mailboxes", "shell.enabled"];
const LIMITED = account(["services:", "  limits:", "    disk_mb: 5120", "    bandwidth_mb: 20000", "    databases: unlimited", "  shell:", "    enabled: false"]);

describe("planning accounts read in WHM's spellings", () => {
  it("plans nothing when the server has what the inventory says", () => {
    const inventory = inventoryOf(files({ "sites/acme.yaml": LIMITED }));
    const p = plan(inventory, observed([row()], [{ user: "acme", limit: mbToBytes(20000), totalbytes: 0 }], MANAGED));
    expect(p.diagnostics).toEqual([]);
    expect(p.ops).toEqual([]);
  });

  it("plans an update with exactly the limits that differ, which become the parameters that set them", () => {
    const inventory = inventoryOf(files({ "sites/acme.yaml": LIMITED }));
    const p = plan(inventory, observed([row({ disklimit: "unlimited", maxsql: "5", shell: "/bin/bash" })], [{ user: "acme", limit: 0, totalbytes: 0 }], MANAGED));
    expect(p.ops.map((o) => o.id)).toEqual(["cp1:update:acme.example"]);
    const op = p.ops[0] as Op;
    expect(op.target).toMatchObject({ id: "1001", name: "acme.example" });
    expect(op.changes).toEqual([
      { field: "limits.bandwidth_mb", before: "unlimited", after: 20000 },
      { field: "limits.databases", before: 5, after: "unlimited" },
      { field: "limits.disk_mb", before: "unlimited", after: 5120 },
      { field: "shell.enabled", before: true, after: false },
    ]);
    expect(accountWork(op)).toEqual({ limits: { modify: { MAXSQL: "unlimited", HASSHELL: false }, quotaMb: 5120, bandwidthMb: 20000 } });
  });

  it("renames the user in place when the uid is pinned, keeping the account", () => {
    const inventory = inventoryOf(files({ "sites/acme.yaml": account(["id: '1001'"], "acmenew") }));
    const p = plan(inventory, observed([row()], null, ["account.domain", "account.email", "account.package", "account.user", "limits.mailboxes"]));
    expect(p.ops.map((o) => o.id)).toEqual(["cp1:update:acme.example"]);
    expect(p.ops[0]?.changes).toEqual([{ field: "account.user", before: "acme", after: "acmenew" }]);
  });

  it("finds a renamed user by its domain, and a renamed domain by its user", () => {
    const byDomain = plan(inventoryOf(files({ "sites/acme.yaml": account([], "acmenew") })), observed([row()], null, ["account.email", "account.user", "limits.mailboxes"]));
    expect(byDomain.ops.map((o) => [o.id, o.changes.map((c) => c.field)])).toEqual([["cp1:update:acme.example", ["account.user"]]]);
    const byUser = plan(inventoryOf(files({ "sites/acme.yaml": account([], "acme", "acme.test") })), observed([row()], null, ["account.domain", "account.email", "limits.mailboxes"]));
    expect(byUser.ops.map((o) => [o.id, o.changes.map((c) => c.field)])).toEqual([["cp1:update:acme.example", ["account.domain"]]]);
  });

  it("moves package with every managed limit re-sent, so the account's own limits survive the package change", () => {
    const inventory = inventoryOf(files({ "plans/business.yaml": lines("kind: whm/account", "whm_package: business"), "sites/acme.yaml": LIMITED.replace("plan: starter", "plan: business") }));
    const p = plan(inventory, observed([row()], [{ user: "acme", limit: mbToBytes(20000), totalbytes: 0 }], MANAGED));
    const op = p.ops[0] as Op;
    expect(op.flags).toEqual({ template: "business" });
    expect(op.changes.map((c) => c.field)).toEqual(["account.email", "account.package", "limits.bandwidth_mb", "limits.databases", "limits.disk_mb", "shell.enabled"]);
    expect(accountWork(op)).toMatchObject({ package: "business", limits: { modify: { MAXSQL: "unlimited", HASSHELL: false }, quotaMb: 5120, bandwidthMb: 20000 } });
  });

  it("refuses a package the server does not have, at the plan's file", () => {
    const inventory = inventoryOf(files({ "plans/gold.yaml": lines("kind: whm/account", "whm_package: gold"), "sites/acme.yaml": account().replace("plan: starter", "plan: gold") }));
    const p = plan(inventory, observed([row()], null, ["account.package"]));
    expect(p.diagnostics.map((d) => [d.code, d.message])).toEqual([[expect.any(String), expect.stringMatching(/package gold, which cp1 does not have/)]]);
  });
});
