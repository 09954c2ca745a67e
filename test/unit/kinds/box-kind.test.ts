/**
 * The core plans a kind it has never heard of: `box/vm`, a test provider's kind (test/support/box)
 * with a numeric id that survives renames, no aliases, a transitional state, a deletion its
 * provider checks, a paid `renew` action and a relation to an ApisCP site on another server.
 * Real inventory check and real planner, given a catalogue of the shipped kinds plus the box;
 * observed state is written by hand.
 */
import { describe, expect, it } from "vitest";
import { applyPlan, deletionRulesFor, paidRulesFor } from "../../../src/applier/index.js";
import { checkInventory } from "../../../src/inventory/index.js";
import { Catalogue } from "../../../src/kinds/catalogue.js";
import type { Inventory } from "../../../src/model/inventory.js";
import type { Op } from "../../../src/model/op.js";
import type { Plan } from "../../../src/model/plan.js";
import type { ObservedResource, ObservedServer } from "../../../src/model/resource.js";
import { buildPlan, CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX } from "../../../src/planner/index.js";
import { APISCP } from "../../../src/providers/apiscp/module.js";
import { BOX_KIND, BOX_KIND_ID } from "../../support/box/kind.js";
import { BoxProvider, createBoxModule } from "../../support/box/provider.js";
import { BoxPanel } from "../../support/box/server.js";

const NOW = "2026-06-15T12:00:00Z";
const NOW_MS = Date.parse(NOW);
const DAY_MS = 86_400_000;
const ENV = { FRA1_KEY: "k1", VM1_KEY: "k2" };
const catalogue = new Catalogue([...APISCP.kinds, BOX_KIND]);

const lines = (...text: string[]): string => `${text.join("\n")}\n`;

const CONFIG = lines(
  "servers:",
  "  fra1:",
  "    url: http://127.0.0.1:1",
  "    key_env: FRA1_KEY",
  "  vm1:",
  "    provider: box",
  "    url: http://box.invalid/vm1",
  "    key_env: VM1_KEY",
  "policy:",
  "  deletion_grace_days: 30",
);

function siteFile(domain: string, user: string): string {
  return lines(`domain: ${domain}`, "server: fra1", `admin_user: ${user}`, `email: owner@${domain}`, "plan: basic");
}

function boxFile(name: string, host: string, extra: string[] = []): string {
  return lines("kind: box/vm", `name: ${name}`, "server: vm1", `host: ${host}`, "services:", "  vm:", "    size: small", ...extra);
}

type Files = Record<string, string>;

function baseFiles(extra: Files = {}): Files {
  return { "siteform.yaml": CONFIG, "plans/basic.yaml": lines("apiscp_plan: basic"), "sites/shop.yaml": siteFile("shop.example", "shop"), ...extra };
}

function check(files: Files) {
  return checkInventory(
    Object.entries(files).map(([file, text]) => ({ file, text })),
    { catalogue, env: ENV },
  );
}

function inventoryOf(files: Files): Inventory {
  const result = check(files);
  if (!result.ok) throw new Error(`inventory does not validate: ${result.diagnostics.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`).join("; ")}`);
  return result.inventory;
}

function observedSite(domain: string, user: string, id: number): ObservedResource {
  return {
    server: "fra1",
    kind: "apiscp/site",
    id: `site${id}`,
    name: domain,
    state: "active",
    fields: { siteinfo: { domain, admin_user: user, email: `owner@${domain}`, plan: "basic" } },
  };
}

function observedBox(id: number, name: string, host: string, more: Partial<ObservedResource> & { paidUntil?: string; size?: string } = {}): ObservedResource {
  const { paidUntil, size, ...rest } = more;
  return {
    server: "vm1",
    kind: BOX_KIND_ID,
    id: String(id),
    name,
    state: "active",
    fields: { vm: { name, host, size: size ?? "small", ...(paidUntil !== undefined && { paid_until: paidUntil }) } },
    ...rest,
  };
}

function observed(sites: ObservedResource[], boxes: ObservedResource[]): ObservedServer[] {
  return [
    { server: "fra1", ok: true, resources: sites, templates: { "apiscp/site": ["basic"] }, fields: { "apiscp/site": ["siteinfo.admin_user", "siteinfo.domain", "siteinfo.email", "siteinfo.plan"] } },
    { server: "vm1", ok: true, resources: boxes, templates: { [BOX_KIND_ID]: [] }, fields: { [BOX_KIND_ID]: ["vm.host", "vm.name", "vm.paid_until", "vm.size"] } },
  ];
}

function plan(inventory: Inventory, servers: ObservedServer[], allowPaid: number | null = null): Plan {
  return buildPlan(inventory, servers, { now: NOW, commit: { commit: null, dirty: false }, allowDeletes: null, allowPaid, servers: ["fra1", "vm1"], resetPlanDefaults: false });
}

function opIds(p: Plan): string[] {
  return p.ops.map((op) => op.id);
}

function errors(p: Plan): string[] {
  return p.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);
}

const SHOP = observedSite("shop.example", "shop", 1);

describe("the box kind in the inventory", () => {
  it("resolves a box beside ApisCP sites, with its entry fields as ordinary fields", () => {
    const inventory = inventoryOf(baseFiles({ "sites/web.yaml": boxFile("web", "shop.example", ["paid_until: '2026-07-01'"]) }));
    const box = inventory.resources.find((r) => r.kind === BOX_KIND_ID);
    expect(box).toMatchObject({ server: "vm1", name: "web", plan: null, state: "active", pinnedId: null });
    expect(box?.fields).toEqual({ vm: { size: "small", name: "web", host: "shop.example", paid_until: "2026-07-01" } });
    expect(inventory.resources.find((r) => r.kind === "apiscp/site")?.name).toBe("shop.example");
  });

  it("takes an entry without `kind:` on a box server as a box", () => {
    const text = boxFile("web", "shop.example").replace("kind: box/vm\n", "");
    const inventory = inventoryOf(baseFiles({ "sites/web.yaml": text }));
    expect(inventory.resources.map((r) => r.kind).sort()).toEqual(["apiscp/site", BOX_KIND_ID]);
  });

  it("refuses what the box's schemas and keys refuse", () => {
    const onSiteServer = check(baseFiles({ "sites/web.yaml": boxFile("web", "shop.example").replace("server: vm1", "server: fra1") }));
    expect(onSiteServer.diagnostics.map((d) => d.code)).toContain("unknown-kind");
    const nameInServices = check(baseFiles({ "sites/web.yaml": boxFile("web", "shop.example", ["    name: other"]) }));
    expect(nameInServices.ok).toBe(false);
    const twice = check(baseFiles({ "sites/a.yaml": boxFile("web", "shop.example"), "sites/b.yaml": boxFile("web", "shop.example") }));
    expect(twice.diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual(["duplicate-name"]);
    const badId = check(baseFiles({ "sites/web.yaml": boxFile("web", "shop.example", ["id: site7"]) }));
    expect(badId.ok).toBe(false);
  });
});

describe("planning boxes", () => {
  it("plans nothing for a box that is as the inventory says", () => {
    const inventory = inventoryOf(baseFiles({ "sites/web.yaml": boxFile("web", "shop.example") }));
    const p = plan(inventory, observed([SHOP], [observedBox(7, "web", "shop.example")]));
    expect(p.ops).toEqual([]);
    expect(p.diagnostics).toEqual([]);
  });

  it("renames a box pinned by its numeric id in place: one update, no delete or create", () => {
    const inventory = inventoryOf(baseFiles({ "sites/web.yaml": boxFile("web", "shop.example", ["id: '7'"]) }));
    const p = plan(inventory, observed([SHOP], [observedBox(7, "old-web", "shop.example")]));
    expect(opIds(p)).toEqual(["vm1:update:old-web"]);
    const op = p.ops[0] as Op;
    expect(op).toMatchObject({ kind: BOX_KIND_ID, action: "update", target: { id: "7", name: "old-web", key: "sites/web.yaml" } });
    expect(op.changes).toEqual([{ field: "vm.name", before: "old-web", after: "web" }]);
    expect(op.preconditions).toMatchObject({ exists: true, id: "7", fields: { "vm.name": "old-web", state: "active" } });
    expect(op.paid).toBeUndefined();
    expect(p.servers.find((s) => s.name === "vm1")?.unmanaged).toEqual([]);
  });

  it("without a pin, a box whose only name changed is another box (names are its only match key)", () => {
    const inventory = inventoryOf(baseFiles({ "sites/web.yaml": boxFile("web", "shop.example") }));
    const p = plan(inventory, observed([SHOP], [observedBox(7, "old-web", "shop.example")]));
    expect(opIds(p)).toEqual(["vm1:create:web"]);
    expect(p.servers.find((s) => s.name === "vm1")?.unmanaged).toEqual([{ kind: BOX_KIND_ID, id: "7", name: "old-web" }]);
  });

  it("does nothing to a box that is still provisioning, and says so", () => {
    const inventory = inventoryOf(baseFiles({ "sites/web.yaml": boxFile("web", "shop.example", ["state: suspended", "paid_until: '2026-09-01'"]).replace("size: small", "size: large") }));
    const p = plan(inventory, observed([SHOP], [observedBox(7, "web", "shop.example", { state: "transitional", paidUntil: "2026-07-01" })]), 5);
    expect(p.ops).toEqual([]);
    expect(p.diagnostics).toEqual([expect.objectContaining({ severity: "warning", code: "transitional", server: "vm1", file: "sites/web.yaml" })]);
    // Not unmanaged either: it is the inventory's box, just not ready.
    expect(p.servers.find((s) => s.name === "vm1")?.unmanaged).toEqual([]);
  });

  it("renews a box whose paid_until moved on: a paid op of its own, refused over the cap unless allowed", () => {
    const files = baseFiles({ "sites/web.yaml": boxFile("web", "shop.example", ["paid_until: '2026-09-01'"]).replace("size: small", "size: medium") });
    const servers = observed([SHOP], [observedBox(7, "web", "shop.example", { paidUntil: "2026-07-01" })]);
    const refused = plan(inventoryOf(files), servers);
    expect(opIds(refused)).toEqual(["vm1:update:web", "vm1:renew:web"]);
    const renew = refused.ops.find((op) => op.action === "renew") as Op;
    expect(renew).toMatchObject({ paid: true, kind: BOX_KIND_ID, target: { id: "7" }, reason: "renews until 2026-09-01" });
    expect(renew.changes).toEqual([{ field: "vm.paid_until", before: "2026-07-01", after: "2026-09-01" }]);
    // The renewal runs on the box as edited; the edit itself costs nothing and carries no paid field.
    expect(renew.dependsOn).toEqual(["vm1:update:web"]);
    const update = refused.ops.find((op) => op.action === "update") as Op;
    expect(update.paid).toBeUndefined();
    expect(update.changes.map((c) => c.field)).toEqual(["vm.size"]);
    expect(refused.summary.paid).toBe(1);
    expect(refused.summary.byAction).toMatchObject({ update: 1, renew: 1 });
    expect(errors(refused)).toEqual(["too-many-paid-ops"]);

    expect(errors(plan(inventoryOf(files), servers, 1))).toEqual([]);
    const policy = files["siteform.yaml"]?.replace("  deletion_grace_days: 30", "  deletion_grace_days: 30\n  max_paid_ops: 1") ?? "";
    expect(errors(plan(inventoryOf({ ...files, "siteform.yaml": policy }), servers))).toEqual([]);
  });

  it("creates a new box on a new site after the site, across servers and providers", () => {
    const files = baseFiles({ "sites/blog.yaml": siteFile("blog.example", "blog"), "sites/web.yaml": boxFile("web", "blog.example", ["paid_until: '2026-07-01'"]) });
    const p = plan(inventoryOf(files), observed([SHOP], []), 1);
    expect(errors(p)).toEqual([]);
    expect(opIds(p)).toEqual(["fra1:create:blog.example", "vm1:create:web"]);
    const create = p.ops[1] as Op;
    expect(create.dependsOn).toEqual(["fra1:create:blog.example"]);
    expect(create).toMatchObject({ kind: BOX_KIND_ID, paid: true, target: { id: null, name: "web" } });
    expect(create.preconditions).toEqual({ exists: false, id: null, free: [{ key: "name", namespace: "name", value: "web" }], fields: {} });
    expect(Object.fromEntries(create.changes.map((c) => [c.field, c.after]))).toEqual({ "vm.host": "blog.example", "vm.name": "web", "vm.paid_until": "2026-07-01", "vm.size": "small" });
    expect(p.ops[0]?.paid).toBeUndefined();
    expect(p.summary.paid).toBe(1);
  });

  it("moves a box to a new host site only after the site is created", () => {
    const files = baseFiles({ "sites/blog.yaml": siteFile("blog.example", "blog"), "sites/web.yaml": boxFile("web", "blog.example") });
    const p = plan(inventoryOf(files), observed([SHOP], [observedBox(7, "web", "shop.example")]));
    expect(opIds(p)).toEqual(["fra1:create:blog.example", "vm1:update:web"]);
    expect(p.ops[1]?.dependsOn).toEqual(["fra1:create:blog.example"]);
  });

  it("suspends the box before its host site, when both are suspended", () => {
    const files = baseFiles({
      "sites/shop.yaml": siteFile("shop.example", "shop") + "state: suspended\n",
      "sites/web.yaml": boxFile("web", "shop.example", ["state: suspended"]),
    });
    const p = plan(inventoryOf(files), observed([SHOP], [observedBox(7, "web", "shop.example")]));
    expect(opIds(p)).toEqual(["vm1:suspend:web", "fra1:suspend:shop.example"]);
    expect(p.ops[1]?.dependsOn).toEqual(["vm1:suspend:web"]);
    expect(p.ops[0]?.flags).toEqual({ reason: "siteform: suspended" });
  });

  it("suspends a cancelled box, then deletes it past the grace period with the requirement for the provider to check", () => {
    const files = baseFiles({ "sites/web.yaml": boxFile("web", "shop.example", ["state: cancelled", "cancelled_on: '2026-05-01'"]) });
    const inventory = inventoryOf(files);
    const active = plan(inventory, observed([SHOP], [observedBox(7, "web", "shop.example")]));
    expect(opIds(active)).toEqual(["vm1:suspend:web"]);
    expect(active.ops[0]?.flags).toEqual({ reason: `${CANCELLED_REASON_PREFIX} on 2026-05-01` });

    const suspended = observedBox(7, "web", "shop.example", { state: "suspended", suspension: { since: "2026-05-01T00:00:00.000Z", reason: `${CANCELLED_REASON_PREFIX} on 2026-05-01` } });
    const p = plan(inventory, observed([SHOP], [suspended]));
    expect(opIds(p)).toEqual(["vm1:delete:web"]);
    const del = p.ops[0] as Op;
    expect(del.flags).toEqual({ deletion: { suspendedDays: 30, ownerTag: CANCELLED_REASON_PREFIX } });
    expect(del.target).toMatchObject({ id: "7", name: "web" });
    expect(del.notes).toEqual(["it is deleted only if siteform suspended it at least 30 days ago"]);

    const early = inventoryOf({ ...files, "sites/web.yaml": files["sites/web.yaml"]?.replace("2026-05-01", "2026-06-01") ?? "" });
    expect(plan(early, observed([SHOP], [suspended])).ops).toEqual([]);
  });
});

describe("the box provider", () => {
  const rules = (inventory: Inventory) => deletionRulesFor(inventory, null, [CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX]);

  async function deleteWith(suspendedDaysAgo: number, reason: string): Promise<{ status: string; message: string | null; panel: BoxPanel }> {
    let now = NOW_MS;
    const panel = new BoxPanel({ clock: () => now });
    panel.seed({ name: "web", host: "shop.example", size: "small", status: "stopped", suspendedAt: NOW_MS - suspendedDaysAgo * DAY_MS, suspendReason: reason });
    const inventory = inventoryOf(baseFiles({ "sites/web.yaml": boxFile("web", "shop.example", ["state: cancelled", "cancelled_on: '2026-01-01'"]) }));
    const provider = new BoxProvider({ server: "vm1", panel });
    const read = await provider.collect({ fields: { [BOX_KIND_ID]: ["vm.size"] } });
    if (!read.ok) throw new Error(read.error);
    const p = plan(inventory, [observed([SHOP], [])[0] as ObservedServer, read]);
    expect(opIds(p)).toEqual(["vm1:delete:web"]);
    now += 1;
    const report = await applyPlan(p, { providers: new Map([["vm1", provider]]), catalogue, concurrency: { perServer: {}, total: 1 }, failFast: false, deletionRules: rules(inventory), paidRules: paidRulesFor(inventory, null) });
    const result = report.ops[0];
    return { status: result?.status ?? "none", message: result?.message ?? null, panel };
  }

  it("deletes a box siteform suspended long enough ago", async () => {
    const { status, panel } = await deleteWith(31, `${CANCELLED_REASON_PREFIX} on 2026-01-01`);
    expect(status).toBe("done");
    expect(panel.snapshot().map((b) => b.status)).toEqual(["deleted"]);
  });

  it("refuses, right before the call, a box suspended too recently or by someone else", async () => {
    const recent = await deleteWith(3, `${CANCELLED_REASON_PREFIX} on 2026-01-01`);
    expect(recent.status).toBe("failed");
    expect(recent.message).toMatch(/not deleted: suspended 3\.0 days ago, less than 30/);
    const foreign = await deleteWith(90, "support: abuse");
    expect(foreign.status).toBe("failed");
    expect(foreign.message).toMatch(/not siteform's/);
    for (const { panel } of [recent, foreign]) expect(panel.snapshot().map((b) => b.status)).toEqual(["stopped"]);
  });

  it("reads a new box as transitional for its first reads, then active, keeping its id across a rename", async () => {
    const panel = new BoxPanel({ clock: () => NOW_MS, provisioningReads: 2 });
    const provider = new BoxProvider({ server: "vm1", panel });
    const id = panel.create({ name: "web", host: "shop.example" });
    const states = [];
    for (let i = 0; i < 3; i++) states.push((await provider.readResource({ kind: BOX_KIND_ID, id: null, name: "web", fields: [] }))?.state);
    expect(states).toEqual(["transitional", "transitional", "active"]);
    panel.update(id, { name: "www" });
    expect(await provider.readResource({ kind: BOX_KIND_ID, id: String(id), name: "web", fields: ["vm.host"] })).toMatchObject({ id: String(id), name: "www", fields: { vm: { name: "www", host: "shop.example" } } });
    expect(await provider.readResource({ kind: BOX_KIND_ID, id: null, name: "web", fields: [] })).toBeNull();
  });

  it("is a provider module like any other: it needs its key", () => {
    const panel = new BoxPanel();
    const module = createBoxModule(() => panel);
    const server = inventoryOf(baseFiles()).servers.find((s) => s.name === "vm1");
    if (server === undefined) throw new Error("no vm1");
    expect(() => module.create(server, {})).toThrow(/VM1_KEY is not set/);
    expect(module.create(server, ENV).server).toBe("vm1");
  });
});
