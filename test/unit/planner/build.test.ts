/**
 * The plan document as a whole: what buildPlan records about each server, how it counts, how
 * an unreadable server is reported, and the example inventory end to end (created from
 * nothing; nothing to do once the servers hold it). Also checks that the tests' site builder
 * agrees with the inventory loader, so the other planner tests plan what real inventories give.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkInventory, loadInventory } from "../../../src/inventory/index.js";
import type { DesiredResource, Inventory, ObservedResource, ObservedServer } from "../../../src/model/index.js";
import { PLAN_FORMAT_VERSION } from "../../../src/model/index.js";
import { buildPlan, fingerprintOf, managedFields } from "../../../src/planner/index.js";
import { CATALOGUE, NOW, SITE_KIND, codes, collected, desired, ids, inventory, observedOf, observedServer, plan, stranger } from "./helpers.js";

const REPOSITORY = fileURLToPath(new URL("../../..", import.meta.url));

const lines = (...text: string[]): string => `${text.join("\n")}\n`;

function loaded(files: Record<string, string>): Inventory {
  const result = checkInventory(Object.entries(files).map(([file, text]) => ({ file, text })));
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 1));
  return result.inventory;
}

const INVENTORY_FILES = {
  "siteform.yaml": lines("servers:", "  fra1:", "    url: https://fra1.example.net:2083/soap", "    key_env: FRA1_KEY"),
  "plans/basic.yaml": lines("apiscp_plan: basic", "services:", "  diskquota:", "    quota: 5", "    units: GB", "  ssh:", "    enabled: false"),
  "plans/business.yaml": lines("apiscp_plan: business", "services:", "  diskquota:", "    quota: 25", "    units: GB", "  mysql:", "    dbasenum: 20", "  ssh:", "    enabled: true"),
  "sites/acme.example.yaml": lines(
    "domain: acme.example",
    "server: fra1",
    "admin_user: acme",
    "email: [a@acme.example, b@acme.example]",
    "plan: business",
    "invoice: INV-1",
    "aliases: [acme.example.org]",
    "services:",
    "  cgroup:",
    "    memory: 1024",
  ),
  "sites/solo.example.yaml": lines("domain: solo.example", "server: fra1", "admin_user: solo", "email: owner@solo.example", "plan: basic", "state: suspended", "suspend_reason: unpaid"),
  "sites/group.yaml": lines(
    "invoice: INV-7",
    "server: fra1",
    "sites:",
    "  - domain: agency.example",
    "    admin_user: agency",
    "    email: owner@agency.example",
    "    plan: basic",
    "  - domain: client.example",
    "    admin_user: client",
    "    email: owner@client.example",
    "    plan: basic",
    "    id: site9",
  ),
};

describe("the tests' site builder", () => {
  it("builds what the loader resolves", () => {
    const real = loaded(INVENTORY_FILES).resources;
    const built: DesiredResource[] = [
      desired({ domain: "acme.example", adminUser: "acme", email: ["a@acme.example", "b@acme.example"], plan: "business", invoice: "INV-1", aliases: ["acme.example.org"], services: { cgroup: { memory: 1024 } } }),
      desired({ domain: "agency.example", adminUser: "agency", group: { invoice: "INV-7", role: "parent" }, file: "sites/group.yaml#0" }),
      desired({ domain: "client.example", adminUser: "client", group: { invoice: "INV-7", role: "child" }, id: "site9", file: "sites/group.yaml#1" }),
      desired({ domain: "solo.example", adminUser: "solo", state: "suspended", suspendReason: "unpaid" }),
    ];
    const comparable = (d: DesiredResource) => ({ ...d, source: undefined });
    expect(real.map(comparable)).toEqual(built.map(comparable));
  });
});

describe("buildPlan", () => {
  const acme = desired({ domain: "acme.example", services: { cgroup: { memory: 1024 } } });
  const beta = desired({ domain: "beta.example", server: "ams1" });

  it("records the time, the commit, each server's fingerprint, fields and unmanaged sites, and counts", () => {
    const fra1 = observedServer("fra1", [observedOf(acme, "site1", { fields: { cgroup: { memory: 512 } } }), stranger("site2", "hand.example")]);
    const ams1 = observedServer("ams1", []);
    const inv = { ...inventory([acme, beta]), digests: { "siteform.yaml": "0123456789abcdef" } };
    const p = plan(inv, [fra1, ams1], { servers: ["fra1", "ams1"], commit: { commit: "abc", dirty: true }, allowDeletes: 4, resetPlanDefaults: true });
    expect(p.formatVersion).toBe(PLAN_FORMAT_VERSION);
    expect(p.createdAt).toBe(NOW);
    // What apply needs to plan it again and to say why it no longer matches.
    expect(p.inventory).toEqual({ commit: "abc", dirty: true, dir: "/inventory", files: { "siteform.yaml": "0123456789abcdef" } });
    expect(p.options).toEqual({ allowDeletes: 4, reset: true, allowPaid: null });
    expect(p.servers).toEqual([
      {
        name: "fra1",
        provider: "apiscp",
        fingerprint: fingerprintOf(fra1, CATALOGUE),
        fields: fra1.ok ? fra1.fields : {},
        observed: 2,
        unmanaged: [{ kind: SITE_KIND, id: "site2", name: "hand.example" }],
        error: null,
      },
      { name: "ams1", provider: "apiscp", fingerprint: fingerprintOf(ams1, CATALOGUE), fields: { [SITE_KIND]: [] }, observed: 0, unmanaged: [], error: null },
    ]);
    // Ops come server by server, in the order of the scope.
    expect(ids(p)).toEqual(["fra1:update:acme.example", "ams1:create:beta.example"]);
    expect(p.summary).toEqual({
      total: 2,
      paid: 0,
      byAction: { delete: 0, suspend: 0, update: 1, create: 1, activate: 0 },
      byServer: {
        fra1: { delete: 0, suspend: 0, update: 1, create: 0, activate: 0 },
        ams1: { delete: 0, suspend: 0, update: 0, create: 1, activate: 0 },
      },
    });
    expect(p.diagnostics).toEqual([]);
  });

  it("reports a server that could not be read, with no ops for it, and plans the others", () => {
    const down: ObservedServer = { server: "ams1", ok: false, error: "connection refused" };
    const p = plan(inventory([acme, beta]), [observedServer("fra1", [observedOf(acme, "site1")]), down], { servers: ["fra1", "ams1"] });
    expect(p.servers.find((s) => s.name === "ams1")).toEqual({
      name: "ams1",
      provider: "apiscp",
      fingerprint: null,
      fields: managedFields(inventory([acme, beta]), "ams1", CATALOGUE),
      observed: 0,
      unmanaged: [],
      error: "connection refused",
    });
    expect(p.ops).toEqual([]);
    expect(p.summary.byServer.ams1).toEqual({ delete: 0, suspend: 0, update: 0, create: 0, activate: 0 });
  });

  it("plans only the servers in scope, in the order given; one with no answer is 'not read'", () => {
    const observed = [observedServer("fra1", []), observedServer("ams1", [])];
    const onlyAms = plan(inventory([acme, beta]), observed, { servers: ["ams1"] });
    expect(onlyAms.servers.map((s) => s.name)).toEqual(["ams1"]);
    expect(ids(onlyAms)).toEqual(["ams1:create:beta.example"]);
    const missing = plan(inventory([acme, beta]), [observedServer("fra1", [])], { servers: ["fra1", "ams1"] });
    expect(missing.servers.map((s) => [s.name, s.error])).toEqual([
      ["fra1", null],
      ["ams1", "not read"],
    ]);
  });

  it("is pure: the same inputs give the same plan", () => {
    const observed = [observedServer("fra1", [observedOf(acme, "site1", { state: "suspended" })]), observedServer("ams1", [])];
    const options = { now: NOW, commit: { commit: null, dirty: false }, allowDeletes: null, servers: ["fra1", "ams1"], resetPlanDefaults: false };
    expect(buildPlan(inventory([acme, beta]), observed, options)).toEqual(buildPlan(inventory([acme, beta]), observed, options));
  });
});

describe("the example inventory", () => {
  async function example(): Promise<Inventory> {
    const result = await loadInventory(REPOSITORY);
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 1));
    return result.inventory;
  }

  /** Each server's answer: its kind's templates (ApisCP plans, WHM packages) and the resources given. */
  const TEMPLATES: Readonly<Record<string, string[]>> = { [SITE_KIND]: ["basic", "business"], "whm/account": ["default", "starter", "business"], "billmgr/service": [], "billmgr/license": [] };
  const answer = (inv: Inventory, server: string, resources: ObservedResource[]): ObservedServer => {
    const provider = inv.servers.find((s) => s.name === server)?.provider ?? "";
    const kind = inv.catalogue.defaultKind(provider) ?? SITE_KIND;
    if (kind === SITE_KIND) return observedServer(server, resources, TEMPLATES[SITE_KIND]);
    return { server, ok: true, resources, templates: { [kind]: TEMPLATES[kind] ?? [] }, fields: { [kind]: collected(resources) } };
  };
  /** A desired resource as its server would report it once it holds it. */
  const held = (d: DesiredResource, i: number): ObservedResource =>
    d.kind === SITE_KIND
      ? observedOf(d, `site${i + 1}`)
      : { server: d.server, kind: d.kind, id: String(1001 + i), name: d.name, state: d.state === "active" ? "active" : "suspended", fields: structuredClone(d.fields) as ObservedResource["fields"] };
  const empty = (inv: Inventory): ObservedServer[] => inv.servers.map((s) => answer(inv, s.name, []));

  it("is created from nothing: parents first, the suspended site suspended, the cancelled one left out", async () => {
    const inv = await example();
    // Buying the BILLmanager service and licence costs money: refused unless allowed.
    expect(codes(plan(inv, empty(inv), { servers: inv.servers.map((s) => s.name) }))).toEqual(["too-many-paid-ops"]);
    const p = plan(inv, empty(inv), { servers: inv.servers.map((s) => s.name), allowPaid: 2 });
    expect(codes(p)).toEqual([]);
    expect(p.ops.filter((o) => o.paid === true).map((o) => o.id).sort()).toEqual(["bm1:create:backup-vps", "bm1:licence:create:cloudlinux-fra1"]);
    const creates = p.ops.filter((o) => o.action === "create").map((o) => o.target.name);
    expect(creates).toHaveLength(inv.resources.filter((s) => s.state !== "cancelled").length);
    expect(creates).not.toContain("oldtown-books.example");
    expect(ids(p).filter((id) => id.includes(":suspend:"))).toEqual(["cp1:suspend:summit-outdoor.example", "fra1:suspend:nordlicht-fotografie.example"]);
    // The WHM accounts are created on their packages; the suspended one is suspended after its create.
    expect(p.ops.find((o) => o.id === "cp1:suspend:summit-outdoor.example")?.dependsOn).toEqual(["cp1:create:summit-outdoor.example"]);
    expect(p.ops.filter((o) => o.kind === "whm/account" && o.action === "create").map((o) => [o.target.name, o.flags.template]).sort()).toEqual([
      ["lindqvist-design.example", "business"],
      ["summit-outdoor.example", "starter"],
      ["tidewater-cafe.example", "starter"],
    ]);
    const position = (id: string) => ids(p).indexOf(id);
    for (const child of ["bloom-florist.example", "harbor-cafe.example", "summit-yoga.example"]) {
      expect(position(`ams1:create:${child}`)).toBeGreaterThan(position("ams1:create:brightlane-studio.example"));
      expect(p.ops.find((o) => o.id === `ams1:create:${child}`)?.dependsOn).toEqual(["ams1:create:brightlane-studio.example"]);
    }
  });

  it("needs nothing once the servers hold it", async () => {
    const inv = await example();
    const observed = inv.servers.map((s) =>
      answer(
        inv,
        s.name,
        inv.resources.filter((d) => d.server === s.name && d.state !== "cancelled").map((d, i) => held(d, i)),
      ),
    );
    const p = plan(inv, observed, { servers: inv.servers.map((s) => s.name) });
    expect(codes(p)).toEqual([]);
    expect(p.ops).toEqual([]);
  });
});
