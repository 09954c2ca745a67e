/**
 * importSites on a server no repository plan builds on: the plan it generates holds the
 * settings the imported sites repeat (group members included), each site keeps only what
 * differs, and everything still resolves to exactly what the server reports. A suspension
 * reason the provider reports is written as `suspend_reason`.
 */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { checkInventory, type SourceText } from "../../../../src/inventory/index.js";
import type { DesiredResource, Inventory, ObservedResource } from "../../../../src/model/index.js";
import { importSites, type ImportResult } from "../../../../src/providers/apiscp/importer/index.js";
import { EmulatedServer } from "./emulated-server.js";

const CONFIG: SourceText = { file: "siteform.yaml", text: "servers:\n  s1:\n    url: https://s1.example.net/soap\n    key_env: S1_KEY\n" };

function emptyInventory(): Inventory {
  const checked = checkInventory([CONFIG]);
  if (!checked.ok) throw new Error(JSON.stringify(checked.diagnostics));
  return checked.inventory;
}

function run(server: EmulatedServer, observed: ObservedResource[] = server.observed()): ImportResult {
  return importSites({ inventory: emptyInventory(), server: "s1", observed, planDefaults: server.planDefaults(), date: "2025-07-01" });
}

/** The imported files checked as an inventory: every error-free, every site resolved. */
function resolved(result: ImportResult): readonly DesiredResource[] {
  const checked = checkInventory([CONFIG, ...result.files.map((f) => ({ file: f.path, text: f.text }))]);
  expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (!checked.ok) throw new Error("unreachable");
  return checked.inventory.resources;
}

function yamlOf(result: ImportResult, path: string): Record<string, unknown> {
  const file = result.files.find((f) => f.path === path);
  if (file === undefined) throw new Error(`${path} not written: ${result.files.map((f) => f.path).join(", ")}`);
  return parse(file.text) as Record<string, unknown>;
}

/** Three business sites with the same disk and memory (one a group's parent with a child), one with its own memory. */
function repeatingServer(): EmulatedServer {
  const same = { "siteinfo.plan": "business", "diskquota.quota": 60, "cgroup.memory": 384 };
  return new EmulatedServer("s1")
    .add("one.example", "one", { ...same, "siteinfo.email": "a@one.example" })
    .add("two.example", "two", { ...same, "siteinfo.email": "a@two.example", "billing.invoice": "INV-2" })
    .add("kid.example", "kid", { ...same, "siteinfo.email": "a@kid.example", "billing.parent_invoice": "INV-2" })
    .add("own.example", "own", { ...same, "siteinfo.email": "a@own.example", "cgroup.memory": 1024 });
}

describe("importSites with no repository plan for the server plan", () => {
  it("moves the settings most sites repeat into the generated plan, once", () => {
    const result = run(repeatingServer());
    expect(result.files.map((f) => f.path)).toEqual(["plans/business.yaml", "sites/one.example.yaml", "sites/two.example.yaml", "sites/own.example.yaml"]);
    expect(yamlOf(result, "plans/business.yaml")).toMatchObject({ apiscp_plan: "business", services: { diskquota: { quota: 60 }, cgroup: { memory: 384 } } });
    const one = yamlOf(result, "sites/one.example.yaml");
    expect(one.services).toEqual({ mysql: { dbaseprefix: "one_" }, pgsql: { dbaseprefix: "one_" } });
    const group = yamlOf(result, "sites/two.example.yaml") as { sites: Array<Record<string, unknown>> };
    for (const member of group.sites) expect(JSON.stringify(member.services)).not.toMatch(/quota|memory/);
    expect(yamlOf(result, "sites/own.example.yaml")).toMatchObject({ services: { cgroup: { memory: 1024 } } });
  });

  it("resolves every imported site to what the server reports, so a plan right after has nothing to change", () => {
    const server = repeatingServer();
    const observed = new Map(server.observed().map((s) => [s.name, s]));
    for (const site of resolved(run(server))) {
      const seen = observed.get(site.name);
      expect(site.fields.diskquota?.quota, site.name).toBe(seen?.fields.diskquota?.quota);
      expect(site.fields.cgroup?.memory, site.name).toBe(seen?.fields.cgroup?.memory);
    }
  });

  it("writes a plan with no services only when the sites on it share nothing, and says so", () => {
    const result = run(new EmulatedServer("s1").add("solo.example", "solo", { "siteinfo.plan": "basic", "siteinfo.email": "a@solo.example", "cgroup.memory": 256 }));
    const plan = result.files.find((f) => f.path === "plans/basic.yaml");
    expect(parse(plan?.text ?? "")).toEqual({ description: "Server plan basic as it is; sites override what differs.", apiscp_plan: "basic" });
    expect(plan?.text).toMatch(/have no setting in common/);
    expect(yamlOf(result, "sites/solo.example.yaml")).toMatchObject({ services: { cgroup: { memory: 256 } } });
  });
});

describe("importSites of a suspended site", () => {
  const server = new EmulatedServer("s1").add("late.example", "late", { "siteinfo.plan": "basic", "siteinfo.email": "a@late.example" }).suspend("late.example");
  const withReason = (reason: string): ObservedResource[] =>
    server.observed().map((r) => (r.state === "suspended" ? { ...r, suspension: { since: null, reason } } : r));

  it("writes the reason the provider reports as suspend_reason, which the inventory reads back", () => {
    const result = run(server, withReason("unpaid invoice 2026-0042"));
    expect(yamlOf(result, "sites/late.example.yaml")).toMatchObject({ state: "suspended", suspend_reason: "unpaid invoice 2026-0042" });
    expect(resolved(result).find((s) => s.name === "late.example")).toMatchObject({ state: "suspended", suspendReason: "unpaid invoice 2026-0042" });
  });

  it("leaves out a reason the schema refuses, and one the provider does not report, saying why", () => {
    const multiline = run(server, withReason("line one\nline two")).files.find((f) => f.path === "sites/late.example.yaml")?.text ?? "";
    expect(parse(multiline)).not.toHaveProperty("suspend_reason");
    expect(multiline).toMatch(/# its suspension reason is not written: it does not fit the schema/);
    const unreported = run(server).files.find((f) => f.path === "sites/late.example.yaml")?.text ?? "";
    expect(parse(unreported)).toMatchObject({ state: "suspended" });
    expect(unreported).toMatch(/# suspended on the server, which does not say why: add suspend_reason if you know it/);
  });
});
