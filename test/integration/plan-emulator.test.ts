/**
 * The planner against real (emulated) servers: the example inventory is applied to two
 * emulators, the servers then drift the way real ones do (a site renamed in the panel, a
 * quota lowered, sites suspended by support, a site created by hand, a group's child deleted,
 * a cancelled customer still there past the grace period), and the plan must be exactly the
 * ops that undo it, in a valid order. Applying that plan leaves nothing to do. Then the
 * inventory changes what only an order can make work on a server that keeps names and
 * invoices unique: a server plan put back, a group's parent changed, a new parent created.
 * The tests run in file order on one fleet, each starting where the last one left it.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPlan, deletionRulesFor, type ApplyReport } from "../../src/applier/index.js";
import { CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX } from "../../src/planner/index.js";
import { startFleet, type EmulatedFleet } from "../../src/emulator/fleet.js";
import type { SoapValue } from "../../src/providers/apiscp/wire/value.js";
import { runPlan, type PlanRun } from "../../src/engine/plan-run.js";
import { withProviders } from "../../src/engine/providers.js";
import type { Op, Plan } from "../../src/model/index.js";

const REPOSITORY = fileURLToPath(new URL("../..", import.meta.url));
const DAY = 86_400;
const HOSTING = ["ams1", "cp1", "fra1"];
/** Today for the whole test: the example's cancelled site (2025-06-15) is past its 30 days. */
const NOW = new Date("2025-09-01T08:00:00.000Z");
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

type Planned = Extract<PlanRun, { kind: "planned" }>;

let root: string;
let fleet: EmulatedFleet;

async function plan(): Promise<Planned> {
  // The hosting servers: what the BILLmanager sells is planned and paid for elsewhere (provider-billmgr, demo).
  const run = await runPlan({ dir: fleet.dir, env: fleet.env, servers: HOSTING, allowDeletes: null, resetPlanDefaults: false, now: NOW });
  if (run.kind !== "planned") throw new Error(`plan did not run: ${JSON.stringify(run)}`);
  expect(run.plan.servers.map((s) => [s.name, s.error])).toEqual([
    ["ams1", null],
    ["cp1", null],
    ["fra1", null],
  ]);
  return run;
}

async function apply(run: Planned): Promise<ApplyReport> {
  return withProviders(run.inventory, run.plan.servers.map((s) => s.name), fleet.env, (providers) =>
    // As `siteform apply`: the applier enforces the deletion rules of the inventory itself.
    applyPlan(run.plan, { providers, catalogue: run.inventory.catalogue, concurrency: { perServer: {}, total: 4 }, failFast: false, deletionRules: deletionRulesFor(run.inventory, null, [CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX]) }),
  );
}

/** Calls the emulator's API in-process, as someone at the panel would. */
function panel(server: string, method: string, args: SoapValue[], now = NOW_SECONDS): void {
  const emulator = fleet.servers.get(server);
  if (emulator === undefined) throw new Error(`no emulator for ${server}`);
  emulator.api.invoke(method, args, { now });
}

function op(p: Plan, id: string): Op {
  const found = p.ops.find((o) => o.id === id);
  if (found === undefined) throw new Error(`no op ${id}; the plan has ${p.ops.map((o) => o.id).join(", ")}`);
  return found;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "siteform-plan-emulator-"));
  fleet = await startFleet({ from: REPOSITORY, to: join(root, "inventory"), tls: false });
  // The servers were set up from git two months ago…
  fleet.setClock(() => NOW_SECONDS - 60 * DAY);
  const setup = await plan();
  expect(setup.plan.diagnostics).toEqual([]);
  const report = await apply(setup);
  expect(report.ops.filter((o) => o.status !== "done")).toEqual([]);
  // …when the customer who has since cancelled was still there, and was suspended by siteform.
  panel("fra1", "admin_add_site", ["oldtown-books.example", "oldtownbooks", { "siteinfo.email": "info@oldtown-books.example", "billing.invoice": "INV-1009" }, { plan: "basic" }], NOW_SECONDS - 60 * DAY);
  panel("fra1", "admin_deactivate_site", ["oldtown-books.example", { reason: "siteform: cancelled on 2025-06-15" }], NOW_SECONDS - 60 * DAY);
  fleet.setClock(() => NOW_SECONDS);
}, 60_000);

afterAll(async () => {
  await fleet?.stop();
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

describe("planning against emulated servers", () => {
  it("finds nothing to do on servers that hold the inventory (apart from the cancelled site's deletion)", async () => {
    const { plan: p } = await plan();
    expect(p.diagnostics).toEqual([]);
    expect(p.ops.map((o) => o.id)).toEqual(["fra1:delete:oldtown-books.example"]);
    expect(p.servers.flatMap((s) => s.unmanaged)).toEqual([]);
  });

  it("plans exactly the ops that undo the drift, in order, and nothing is left after applying them", async () => {
    panel("ams1", "admin_edit_site", ["pixelforge.example", { "siteinfo.domain": "pixelforge-games.example" }, {}]);
    panel("fra1", "admin_edit_site", ["kessler-law.example", { "diskquota.quota": 20 }, {}]);
    panel("fra1", "admin_deactivate_site", ["acme-bakery.example", { reason: "abuse report #4411 (support)" }]);
    panel("ams1", "admin_deactivate_site", ["brightlane-studio.example", { reason: "billing dispute" }]);
    panel("ams1", "admin_delete_site", ["harbor-cafe.example", { force: true }]);
    panel("ams1", "admin_add_site", ["migration-test.example", "migtest", { "siteinfo.email": "support@panel.example.net" }, { plan: "basic" }]);

    const drifted = await plan();
    const p = drifted.plan;
    expect(p.diagnostics).toEqual([]);
    expect(p.ops.map((o) => o.id)).toEqual([
      "ams1:update:pixelforge-games.example",
      "ams1:activate:brightlane-studio.example",
      "ams1:create:harbor-cafe.example",
      "fra1:delete:oldtown-books.example",
      "fra1:update:kessler-law.example",
      "fra1:activate:acme-bakery.example",
    ]);

    // The rename is one in-place edit of the same site, back to the inventory's domain.
    const rename = op(p, "ams1:update:pixelforge-games.example");
    expect(rename.target.id).not.toBeNull();
    expect(rename.changes).toEqual([{ field: "siteinfo.domain", before: "pixelforge-games.example", after: "pixelforge.example" }]);
    expect(rename.preconditions.fields).toMatchObject({ "siteinfo.domain": "pixelforge-games.example", state: "active" });

    expect(op(p, "fra1:update:kessler-law.example").changes).toEqual([{ field: "diskquota.quota", before: 20, after: 40 }]);

    // The group's parent is back before its missing child is created under it.
    const child = op(p, "ams1:create:harbor-cafe.example");
    expect(child.dependsOn).toEqual(["ams1:activate:brightlane-studio.example"]);
    expect(child.flags).toEqual({ template: "basic" });
    expect(child.changes).toEqual(
      expect.arrayContaining([
        { field: "billing.parent_invoice", before: null, after: "INV-2040" },
        { field: "billing.invoice", before: null, after: null },
        { field: "aliases.aliases", before: null, after: ["harborcafe.example"] },
        { field: "cgroup.memory", before: null, after: 3072 },
      ]),
    );
    expect(child.preconditions).toMatchObject({
      exists: false,
      free: [
        { key: "domain", namespace: "domain", value: "harbor-cafe.example" },
        { key: "admin user", namespace: "admin user", value: "harborcafe" },
      ],
    });

    expect(op(p, "fra1:activate:acme-bakery.example").preconditions.fields).toMatchObject({ state: "suspended" });
    expect(op(p, "fra1:delete:oldtown-books.example").flags).toEqual({ deletion: { suspendedDays: 30, ownerTag: "siteform: cancelled" } });

    // The hand-made site is reported, not touched (ams1 does not prune).
    expect(p.servers.find((s) => s.name === "ams1")?.unmanaged).toEqual([{ kind: "apiscp/site", id: expect.stringMatching(/^site\d+$/), name: "migration-test.example" }]);
    expect(p.summary.byAction).toEqual({ delete: 1, suspend: 0, update: 2, create: 1, activate: 2 });

    const report = await apply(drifted);
    expect(report.ops.map((o) => [o.id, o.status])).toEqual(expect.arrayContaining(p.ops.map((o) => [o.id, "done"])));

    const after = await plan();
    expect(after.plan.diagnostics).toEqual([]);
    expect(after.plan.ops).toEqual([]);
    expect(after.plan.servers.find((s) => s.name === "ams1")?.unmanaged.map((u) => u.name)).toEqual(["migration-test.example"]);
    // fra1 keeps acme-bakery, kessler-law, nordlicht-fotografie and riverside-dental; oldtown-books is gone.
    expect(after.plan.servers.find((s) => s.name === "fra1")?.observed).toBe(4);
    expect(after.observed.flatMap((o) => (o.ok ? o.resources.map((s) => s.name) : []))).not.toContain("oldtown-books.example");
  });

  it("moves a site back to its server plan with every managed setting, so that one apply is enough", async () => {
    // Support moved the site to another plan and reset it to that plan's defaults.
    panel("fra1", "admin_edit_site", ["riverside-dental.example", {}, { plan: "starter", reset: true }]);
    const moved = await plan();
    expect(moved.plan.diagnostics).toEqual([]);
    expect(moved.plan.ops.map((o) => o.id)).toEqual(["fra1:update:riverside-dental.example"]);
    const update = op(moved.plan, "fra1:update:riverside-dental.example");
    expect(update.flags).toEqual({ template: "business" });
    expect(update.changes).toEqual(expect.arrayContaining([{ field: "siteinfo.plan", before: "starter", after: "business" }]));
    // Settings re-sent whether or not they differ now; never the names, aliases or billing.
    const fields = update.changes.map((c) => c.field);
    expect(fields).toEqual(expect.arrayContaining(["diskquota.quota", "diskquota.units", "mysql.dbasenum", "cgroup.memory", "spamfilter.provider", "apache.jail", "siteinfo.notes", "siteinfo.email"]));
    expect(fields).not.toContain("bandwidth.threshold"); // policy.ignore
    expect(fields.filter((f) => f.startsWith("billing.") || f === "aliases.aliases" || f === "siteinfo.domain" || f === "siteinfo.admin_user")).toEqual([]);

    const report = await apply(moved);
    expect(report.ops.map((o) => o.status)).toEqual(["done"]);
    expect((await plan()).plan.ops).toEqual([]);
  });

  it("hands a group's invoice from the old parent to the new one in that order", async () => {
    // In git, bloom-florist is moved to the top of Brightlane's group: it becomes the parent.
    const file = join(fleet.dir, "sites", "brightlane.yaml");
    const parts = (await readFile(file, "utf8")).split(/(?=^ {2}- domain: )/m).map((part) => part.replace(/\n*$/, "\n\n"));
    const studio = parts.findIndex((e) => e.includes("brightlane-studio.example"));
    const bloom = parts.findIndex((e) => e.includes("bloom-florist.example"));
    [parts[studio], parts[bloom]] = [parts[bloom] as string, parts[studio] as string];
    await writeFile(file, parts.join("").replace(/\n+$/, "\n"));

    const regrouped = await plan();
    expect(regrouped.plan.diagnostics).toEqual([]);
    expect(regrouped.plan.ops.map((o) => o.id)).toEqual(["ams1:update:brightlane-studio.example", "ams1:update:bloom-florist.example"]);
    const newParent = op(regrouped.plan, "ams1:update:bloom-florist.example");
    expect(newParent.dependsOn).toEqual(["ams1:update:brightlane-studio.example"]);
    expect(newParent.changes).toEqual([
      { field: "billing.invoice", before: null, after: "INV-2040" },
      { field: "billing.parent_invoice", before: "INV-2040", after: null },
    ]);
    const report = await apply(regrouped);
    expect(report.ops.map((o) => [o.id, o.status])).toEqual([
      ["ams1:update:brightlane-studio.example", "done"],
      ["ams1:update:bloom-florist.example", "done"],
    ]);
    expect((await plan()).plan.ops).toEqual([]);
  });

  it("creates a new group parent only after the old parent has handed over the invoice", async () => {
    const file = join(fleet.dir, "sites", "brightlane.yaml");
    const text = await readFile(file, "utf8");
    const entry = ["  - domain: brightlane-group.example", "    admin_user: brightlanegroup", "    email: hosting@brightlane-studio.example", "    plan: starter", "", ""].join("\n");
    const first = text.search(/^ {2}- domain: /m);
    await writeFile(file, `${text.slice(0, first)}${entry}${text.slice(first)}`);

    const regrouped = await plan();
    expect(regrouped.plan.diagnostics).toEqual([]);
    expect(regrouped.plan.ops.map((o) => [o.id, o.dependsOn])).toEqual([
      ["ams1:update:bloom-florist.example", []],
      ["ams1:create:brightlane-group.example", ["ams1:update:bloom-florist.example"]],
    ]);
    const report = await apply(regrouped);
    expect(report.ops.map((o) => [o.id, o.status])).toEqual([
      ["ams1:update:bloom-florist.example", "done"],
      ["ams1:create:brightlane-group.example", "done"],
    ]);
    expect((await plan()).plan.ops).toEqual([]);
  });
});
