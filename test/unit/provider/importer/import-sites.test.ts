import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { checkInventory, type SourceText } from "../../../../src/inventory/index.js";
import { valueAt } from "../../../../src/kinds/values.js";
import type { DesiredResource, Inventory, ObservedResource, ObservedValue } from "../../../../src/model/index.js";
import { importSites, type ImportResult } from "../../../../src/providers/apiscp/importer/index.js";
import { EmulatedServer } from "./emulated-server.js";

const ROOT = join(import.meta.dirname, "../../../..");
const DATE = "2025-07-01";

/** The example inventory this repository ships, read as the loader would. */
function exampleSources(): SourceText[] {
  const files = ["siteform.yaml"];
  for (const dir of ["plans", "sites"]) {
    for (const entry of readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith(".yaml")) files.push(relative(ROOT, join(entry.parentPath, entry.name)));
    }
  }
  return files.map((file) => ({ file, text: readFileSync(join(ROOT, file), "utf8") }));
}

function exampleInventory(): { sources: SourceText[]; inventory: Inventory } {
  const sources = exampleSources();
  const checked = checkInventory(sources);
  if (!checked.ok) throw new Error(`example inventory invalid: ${JSON.stringify(checked.diagnostics)}`);
  return { sources, inventory: checked.inventory };
}

/** A server with a bit of everything: known sites, new ones of every shape, and ones that cannot be imported. */
function richServer(): EmulatedServer {
  return new EmulatedServer("fra1")
    // already in git (by admin user, by alias)
    .add("acme-bakery.example", "acmebakery", { "siteinfo.plan": "basic", "billing.invoice": "INV-1001" })
    .add("kessler-partner.example", "someoneelse", { "siteinfo.plan": "business" })
    // standalone on a plan no repository plan builds on, with overrides and a suspension
    .add("linden-apotheke.example", "lindenapo", {
      "siteinfo.plan": "starter",
      "siteinfo.email": ["it@linden-apotheke.example", "chef@linden-apotheke.example"],
      "billing.invoice": "INV-3001",
      "aliases.aliases": ["linden-apo.example"],
      "mysql.dbaseprefix": "linden_",
      "ssh.enabled": 1,
      "diskquota.quota": 3,
      "siteinfo.notes": "migrated from the old box",
    })
    .suspend("linden-apotheke.example")
    // exactly the server plan: no services to write
    .add("plain.example", "plainsite", { "siteinfo.plan": "reseller", "siteinfo.email": "a@plain.example" })
    // an invoice group: parent on business, children on basic
    .add("studio-nord.example", "studionord", {
      "siteinfo.plan": "business",
      "siteinfo.email": "ops@studio-nord.example",
      "billing.invoice": "INV-3100",
      "diskquota.quota": 60,
      "bandwidth.units": "TB",
      "bandwidth.threshold": 1,
      "aliases.max": 50,
      "mysql.dbasenum": 100,
      "pgsql.dbasenum": 20,
      "cgroup.memory": 4096,
      "cgroup.cpu": 400,
      "cgroup.proclimit": 300,
      "users.max": 100,
    })
    .add("client-one.example", "clientone", { "siteinfo.plan": "basic", "siteinfo.email": "ops@studio-nord.example", "billing.parent_invoice": "INV-3100" })
    .add("client-two.example", "clienttwo", {
      "siteinfo.plan": "basic",
      "siteinfo.email": "ops@studio-nord.example",
      "billing.parent_invoice": "INV-3100",
      "cgroup.memory": 1024,
    })
    .suspend("client-two.example")
    // cannot be imported: invoice taken in git, child of a parent in git
    .add("copycat.example", "copycat", { "siteinfo.plan": "basic", "billing.invoice": "INV-1022" })
    .add("kessler-archive.example", "kesslerarchive", { "siteinfo.plan": "business", "billing.parent_invoice": "INV-1001" });
}

function runImport(server: EmulatedServer, inventory: Inventory, extra: Partial<Parameters<typeof importSites>[0]> = {}): ImportResult {
  return importSites({ inventory, server: server.name, observed: server.observed(), planDefaults: server.planDefaults(), date: DATE, ...extra });
}

/** The planner's notion of equal, written independently: flags and numeric strings as numbers, lists as sets. */
function norm(value: ObservedValue | undefined): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (Array.isArray(value)) return value.map((item: ObservedValue) => norm(item)).map(String).sort();
  return value;
}

function importedSites(result: ImportResult, sources: SourceText[]): { inventory: Inventory; sites: DesiredResource[] } {
  const checked = checkInventory([...sources, ...result.files.map((f) => ({ file: f.path, text: f.text }))]);
  expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (!checked.ok) throw new Error("unreachable");
  const paths = new Set(result.files.map((f) => f.path));
  return { inventory: checked.inventory, sites: checked.inventory.resources.filter((s) => paths.has(s.source.file)) };
}

describe("importSites on a rich server", () => {
  const { sources, inventory } = exampleInventory();
  const server = richServer();
  const result = runImport(server, inventory);
  const byPath = new Map(result.files.map((f) => [f.path, f]));

  it("writes one file per new standalone site and per invoice group, plus the missing plans", () => {
    expect(result.files.map((f) => [f.path, f.role])).toEqual([
      ["plans/starter-2.yaml", "plan"],
      ["plans/reseller.yaml", "plan"],
      ["sites/linden-apotheke.example.yaml", "resource"],
      ["sites/plain.example.yaml", "resource"],
      ["sites/studio-nord.example.yaml", "group"],
    ]);
    expect(byPath.get("sites/studio-nord.example.yaml")?.resources.map((s) => s.name)).toEqual([
      "studio-nord.example",
      "client-one.example",
      "client-two.example",
    ]);
  });

  it("passes the inventory check together with the existing inventory", () => {
    const { inventory: merged, sites } = importedSites(result, sources);
    expect(sites.map((s) => s.name).sort()).toEqual(
      ["client-one.example", "client-two.example", "linden-apotheke.example", "plain.example", "studio-nord.example"].sort(),
    );
    expect(merged.resources.length).toBe(inventory.resources.length + 5);
  });

  it("resolves every imported site to the values the server reports, for every field it manages", () => {
    const { sites } = importedSites(result, sources);
    const observed = new Map(server.observed().map((s) => [s.name, s]));
    // The planner never compares these, so the import need not match them.
    const ignored = new Set(inventory.policy.ignore);
    for (const site of sites) {
      const seen = observed.get(site.name) as ObservedResource;
      for (const [service, params] of Object.entries(site.fields)) {
        for (const [param, value] of Object.entries(params)) {
          if (ignored.has(service) || ignored.has(`${service}.${param}`)) continue;
          expect({ field: `${site.name} ${service}.${param}`, value: norm(value as ObservedValue) }).toEqual({
            field: `${site.name} ${service}.${param}`,
            value: norm(seen.fields[service]?.[param]),
          });
        }
      }
      expect(site.state).toBe(seen.state);
      expect(site.plan?.template).toBe(valueAt(seen.fields, "siteinfo.plan"));
    }
  });

  it("writes only what differs from the plan, and picks the repository plan needing the fewest overrides", () => {
    const plain = parse(byPath.get("sites/plain.example.yaml")?.text ?? "") as Record<string, unknown>;
    // The database prefixes are the server's own per-site values, not the plan's.
    expect(plain).toEqual({
      domain: "plain.example",
      server: "fra1",
      admin_user: "plainsite",
      email: "a@plain.example",
      plan: "reseller",
      services: { mysql: { dbaseprefix: "plainsite_" }, pgsql: { dbaseprefix: "plainsite_" } },
    });
    const group = parse(byPath.get("sites/studio-nord.example.yaml")?.text ?? "") as { sites: Array<Record<string, unknown>> };
    // agency (60 GB, 1 TB, …) matches the parent exactly; business would need nine overrides.
    expect(group.sites[0]).toEqual({
      domain: "studio-nord.example",
      admin_user: "studionord",
      email: "ops@studio-nord.example",
      plan: "agency",
      services: { mysql: { dbaseprefix: "studionord_" }, pgsql: { dbaseprefix: "studionord_" } },
    });
    expect(group.sites[2]).toMatchObject({ plan: "starter", state: "suspended", services: { cgroup: { memory: 1024 } } });
  });

  it("writes services as the schema spells them and leaves identity and secrets out", () => {
    const linden = parse(byPath.get("sites/linden-apotheke.example.yaml")?.text ?? "") as Record<string, unknown>;
    expect(linden).toMatchObject({
      invoice: "INV-3001",
      plan: "starter-2",
      state: "suspended",
      email: ["it@linden-apotheke.example", "chef@linden-apotheke.example"],
      aliases: ["linden-apo.example"],
      services: { mysql: { dbaseprefix: "linden_" }, ssh: { enabled: true }, diskquota: { quota: 3 }, siteinfo: { notes: "migrated from the old box" } },
    });
    const services = linden.services as Record<string, Record<string, unknown>>;
    expect(Object.keys(services.siteinfo ?? {})).toEqual(["notes"]);
    expect(services.billing).toBeUndefined();
    expect(services.aliases).toBeUndefined();
  });

  it("starts every file with the schema modeline and says where it came from", () => {
    for (const file of result.files) {
      const schema = file.role === "plan" ? "plan.schema.json" : "site.schema.json";
      expect(file.text.split("\n")[0]).toBe(`# yaml-language-server: $schema=../src/providers/apiscp/schemas/${schema}`);
      expect(file.text).toContain(`Imported from server fra1 on ${DATE} by siteform import.`);
    }
    expect(parse(byPath.get("plans/reseller.yaml")?.text ?? "")).toEqual({
      description: "Server plan reseller as it is; sites override what differs.",
      apiscp_plan: "reseller",
    });
  });

  it("reports the sites it cannot import, with the reason", () => {
    expect(result.skipped.map((s) => [s.name, s.reason])).toEqual([
      ["copycat.example", expect.stringContaining("invoice INV-1022 is already used in sites/riverside-dental.yaml")],
      ["kessler-archive.example", expect.stringContaining("already in sites/acme-bakery.yaml")],
    ]);
  });
});

describe("importSites choices", () => {
  const { sources, inventory } = exampleInventory();

  it("never reuses a path that exists on disk", () => {
    const server = new EmulatedServer("fra1").add("fresh.example", "fresh", { "siteinfo.plan": "basic" });
    const taken = new Set(["sites/fresh.example.yaml", "sites/fresh.example-2.yaml"]);
    const result = runImport(server, inventory, { exists: (path) => taken.has(path) });
    expect(result.files.map((f) => f.path)).toEqual(["sites/fresh.example-3.yaml"]);
    importedSites(result, sources);
  });

  it("imports a whole group when one member is selected, and reports selectors that name nothing", () => {
    const server = richServer();
    const result = runImport(server, inventory, { select: ["client-one.example", "plain.example", "nowhere.example", "acme-bakery.example"] });
    expect(result.files.map((f) => f.path)).toEqual(["plans/reseller.yaml", "sites/plain.example.yaml", "sites/studio-nord.example.yaml"]);
    expect(result.skipped).toEqual([
      { id: null, name: "nowhere.example", reason: "no site on this server has this id, domain or alias" },
      { id: "site1", name: "acme-bakery.example", reason: "it is already in the inventory (sites/acme-bakery.yaml)" },
    ]);
  });

  it("writes no secret, and names fields outside the schema in a comment without their value", () => {
    const server = new EmulatedServer("fra1").add("vault.example", "vault", { "siteinfo.plan": "basic" });
    const [site] = server.observed() as [ObservedResource];
    const leaky: ObservedResource = {
      ...site,
      fields: {
        ...site.fields,
        auth: { tpasswd: "Sup3rSecretPassw0rd", cpasswd: "$6$salt$hash" },
        dns: { ...site.fields.dns, key: "cf-key-0123456789abcdef" },
        frobnicator: { level: "zz-top-secret-value" },
        diskquota: { ...site.fields.diskquota, quota: "lots" },
      },
    };
    const result = importSites({ inventory, server: "fra1", observed: [leaky], planDefaults: server.planDefaults(), date: DATE });
    const text = result.files.map((f) => f.text).join("\n");
    for (const secret of ["Sup3rSecretPassw0rd", "$6$salt$hash", "cf-key-0123456789abcdef", "zz-top-secret-value", "lots"]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("# not written, not in the service schema: frobnicator.level");
    expect(text).toContain("# not written, the server's value does not fit the schema: diskquota.quota");
    importedSites(result, sources);
  });

  it("turns numeric strings and 1/0 into the schema's types", () => {
    const server = new EmulatedServer("fra1").add("strings.example", "strings", { "siteinfo.plan": "reseller" });
    const [site] = server.observed() as [ObservedResource];
    const stringy: ObservedResource = {
      ...site,
      fields: { ...site.fields, cgroup: { ...site.fields.cgroup, memory: "8192", cpu: "400" }, ssh: { enabled: "0" }, ftp: { enabled: 1 } },
    };
    const result = importSites({ inventory, server: "fra1", observed: [stringy], planDefaults: server.planDefaults(), date: DATE });
    const services = (parse(result.files.find((f) => f.role === "resource")?.text ?? "") as { services: Record<string, unknown> }).services;
    // cpu "400" equals reseller's 400 and ftp 1 equals its default: neither is written.
    expect(services).toEqual({ cgroup: { memory: 8192 }, ssh: { enabled: false }, mysql: { dbaseprefix: "strings_" }, pgsql: { dbaseprefix: "strings_" } });
  });

  it("leaves policy.ignore fields out and says so", () => {
    const server = new EmulatedServer("fra1").add("spiky.example", "spiky", { "siteinfo.plan": "reseller", "bandwidth.threshold": 900, "bandwidth.units": "GB" });
    const result = runImport(server, inventory);
    const text = result.files.find((f) => f.role === "resource")?.text ?? "";
    expect(parse(text)).toMatchObject({ services: { bandwidth: { units: "GB" } } });
    expect(parse(text)).not.toHaveProperty("services.bandwidth.threshold");
    expect(text).toContain("listed in policy.ignore: bandwidth.threshold");
  });

  it("imports an orphan child as a standalone site that leaves billing alone", () => {
    const server = new EmulatedServer("fra1").add("orphan.example", "orphan", { "siteinfo.plan": "basic", "billing.parent_invoice": "INV-GONE" });
    const result = runImport(server, inventory);
    const file = result.files.find((f) => f.role === "resource");
    expect(parse(file?.text ?? "")).not.toHaveProperty("invoice");
    expect(file?.text).toContain("its parent invoice INV-GONE belongs to no site on this server");
    const { sites } = importedSites(result, sources);
    expect(sites[0]?.fields.billing).toBeUndefined();
  });

  it("skips a site the server reports without an admin user", () => {
    const server = new EmulatedServer("fra1").add("anon.example", "anon", { "siteinfo.plan": "basic" });
    const [site] = server.observed() as [ObservedResource];
    const siteinfo: Record<string, ObservedValue> = { ...site.fields.siteinfo };
    delete siteinfo.admin_user;
    const anonymous: ObservedResource = { ...site, fields: { ...site.fields, siteinfo } };
    const result = importSites({ inventory, server: "fra1", observed: [anonymous], planDefaults: server.planDefaults(), date: DATE });
    expect(result.files).toEqual([]);
    expect(result.skipped).toEqual([{ id: site.id, name: "anon.example", reason: "the server reported no admin user for it" }]);
  });
});
