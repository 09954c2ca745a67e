/**
 * The core is kind-neutral: one inventory with two providers, planned and applied by the real
 * inventory check, observation, planner and applier, converges. Beside ApisCP sites (the
 * emulator over HTTP, the real ApisCP provider) it holds boxes of a test-only provider
 * (test/support/box: an in-memory panel) whose kind differs from a site in every way the core
 * could have been written for one panel: a numeric id that survives renames, one name and no
 * aliases, a transitional state (a new box is provisioning for its first reads), a deletion its
 * provider checks right before the call, a paid `renew` action, and a relation to a site on
 * another server (a box's `host`), which orders every box creation after its site's.
 *
 * Random inventories (1–4 sites, 1–5 boxes, each box on one of the sites) and random starting
 * states: sites missing or present (suspended by support), boxes missing or present with drift
 * (renamed and pinned by id, another size or host, an old paid_until, stopped by siteform or by
 * support, still provisioning), cancelled boxes on both sides of the grace boundary, and answers
 * lost after the work on both servers. The operator plans and applies until the plan is empty
 * and nothing is still provisioning; after each apply the box panel's clock moves on by the
 * grace period, as if the operator waited (the provider checks a deletion's age on that clock).
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, applyPlan, deletionRulesFor, paidRulesFor, type ApplyReport } from "../../src/applier/index.js";
import type { AdminApi, CallContext, EmulatorState } from "../../src/emulator/apiscp/api.js";
import { createAdminApi } from "../../src/emulator/apiscp/model/index.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/apiscp/server/index.js";
import { withProviders } from "../../src/engine/providers.js";
import { replan } from "../../src/engine/replan.js";
import { checkInventory } from "../../src/inventory/index.js";
import { Catalogue } from "../../src/kinds/catalogue.js";
import type { Inventory } from "../../src/model/inventory.js";
import type { Plan } from "../../src/model/plan.js";
import type { ServerConfig } from "../../src/model/server-config.js";
import { CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX, addDays } from "../../src/planner/index.js";
import { APISCP } from "../../src/providers/apiscp/module.js";
import type { SoapValue } from "../../src/providers/apiscp/wire/value.js";
import { createProvider } from "../../src/providers/registry.js";
import { BOX_KIND, BOX_KIND_ID, type BoxSize } from "../support/box/kind.js";
import { createBoxModule } from "../support/box/provider.js";
import { BoxPanel, type BoxCall, type BoxView } from "../support/box/server.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const TODAY = NOW.toISOString().slice(0, 10);
const NOW_MS = NOW.getTime();
const DAY_MS = 86_400_000;
const RUNS = Number(process.env.TWO_PROVIDERS_RUNS ?? 25);
const MAX_ROUNDS = 12;
const MUTATING_SITE_CALLS = ["admin_add_site", "admin_edit_site", "admin_deactivate_site", "admin_activate_site", "admin_delete_site"];
const catalogue = new Catalogue([...APISCP.kinds, BOX_KIND]);

// ---------- the model a run is generated from ----------

interface SiteSpec {
  state: "active" | "suspended";
  /** On the server at the start (suspended by support or not); null: not there. */
  initial: null | { suspended: boolean };
}

interface BoxInitial {
  renamed: boolean;
  /** The entry pins the box's id (always when it was renamed: a name is a box's only match key). */
  pin: boolean;
  size: "same" | "other";
  /** On another host than the inventory says. */
  otherHost: boolean;
  /** The panel's paid_until is older than the inventory's (a renewal is due). */
  paidOld: boolean;
  status: "running" | "stopped-siteform" | "stopped-support" | "provisioning";
  daysAgo: number;
}

interface BoxSpec {
  host: number;
  size: BoxSize;
  /** Months ahead of today it is to be paid until; null: paid_until not managed. */
  paid: number | null;
  state: "active" | "suspended" | "cancelled";
  cancelDue: boolean;
  initial: BoxInitial | null;
}

interface Scenario {
  sites: SiteSpec[];
  boxes: BoxSpec[];
  grace: number;
  provisioningReads: number;
  /** Probability that a mutating call's answer is lost after the work, on either server. */
  lose: number;
  seed: number;
}

const siteArb: fc.Arbitrary<SiteSpec> = fc.record({
  state: fc.constantFrom("active", "active", "suspended"),
  initial: fc.option(fc.record({ suspended: fc.boolean() }), { nil: null }),
});

const boxInitialArb: fc.Arbitrary<BoxInitial> = fc.record({
  renamed: fc.boolean(),
  pin: fc.boolean(),
  size: fc.constantFrom("same", "same", "other"),
  otherHost: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  paidOld: fc.boolean(),
  status: fc.constantFrom("running", "running", "stopped-siteform", "stopped-support", "provisioning"),
  daysAgo: fc.integer({ min: 0, max: 60 }),
});

const boxArb: fc.Arbitrary<BoxSpec> = fc.record({
  host: fc.nat(),
  size: fc.constantFrom<BoxSize>("small", "medium", "large"),
  paid: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
  state: fc.constantFrom("active", "active", "suspended", "cancelled"),
  cancelDue: fc.boolean(),
  initial: fc.option(boxInitialArb, { freq: 2, nil: null }),
});

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    sites: fc.array(siteArb, { minLength: 1, maxLength: 4 }),
    boxes: fc.array(boxArb, { minLength: 1, maxLength: 5 }),
    grace: fc.constantFrom(0, 3, 30),
    provisioningReads: fc.integer({ min: 0, max: 3 }),
    lose: fc.constantFrom(0, 0, 0.2, 0.4),
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  })
  .map((s) => ({ ...s, boxes: s.boxes.map((b) => normalised(b, s.sites.length)) }));

/**
 * A box siteform is to delete that someone else suspended is kept by the provider on purpose
 * (its reason is not siteform's), so such a run does not converge by design: here a cancelled
 * box that starts stopped was stopped by siteform. A renamed box is pinned.
 */
function normalised(box: BoxSpec, sites: number): BoxSpec {
  const host = box.host % sites;
  const initial = box.initial === null ? null : { ...box.initial, pin: box.initial.pin || box.initial.renamed };
  if (initial !== null && box.state === "cancelled" && initial.status === "stopped-support") initial.status = "stopped-siteform";
  return { ...box, host, initial };
}

// ---------- names, dates, and the inventory ----------

const domainOf = (i: number): string => `s${i}.example`;
const boxName = (j: number): string => `b${j}`;

function cancelledOn(box: BoxSpec, grace: number): string {
  return box.cancelDue ? addDays(TODAY, -(grace + 1 + box.host)) : addDays(TODAY, grace > 0 ? -(box.host % grace) : 1);
}

function deletionDue(box: BoxSpec, grace: number): boolean {
  return box.state === "cancelled" && TODAY >= addDays(cancelledOn(box, grace), grace);
}

function paidUntil(box: BoxSpec): string | null {
  return box.paid === null ? null : addDays(TODAY, 30 * box.paid);
}

function files(scenario: Scenario, ids: ReadonlyMap<number, number>, siteUrl: string): Record<string, string> {
  const out: Record<string, string> = {
    "siteform.yaml": stringify({
      servers: {
        fra1: { url: siteUrl, key_env: "FRA1_KEY", concurrency: 2 },
        vm1: { provider: "box", url: "http://box.invalid/vm1", key_env: "VM1_KEY", concurrency: 2 },
      },
      policy: { max_deletes: 100, deletion_grace_days: scenario.grace },
    }),
    "plans/basic.yaml": stringify({ apiscp_plan: "basic" }),
  };
  scenario.sites.forEach((site, i) => {
    const domain = domainOf(i);
    out[`sites/site-${i}.yaml`] = stringify({ domain, server: "fra1", admin_user: `u${i}`, email: `owner@${domain}`, plan: "basic", ...(site.state !== "active" && { state: site.state }) });
  });
  scenario.boxes.forEach((box, j) => {
    const paid = paidUntil(box);
    const id = ids.get(j);
    out[`sites/box-${j}.yaml`] = stringify({
      kind: BOX_KIND_ID,
      name: boxName(j),
      server: "vm1",
      host: domainOf(box.host),
      services: { vm: { size: box.size } },
      ...(paid !== null && { paid_until: paid }),
      ...(box.state !== "active" && { state: box.state }),
      ...(box.state === "cancelled" && { cancelled_on: cancelledOn(box, scenario.grace) }),
      ...(box.initial?.pin === true && id !== undefined && { id: String(id) }),
    });
  });
  return out;
}

function inventoryOf(scenario: Scenario, ids: ReadonlyMap<number, number>, siteUrl: string, env: Readonly<Record<string, string>>): Inventory {
  const result = checkInventory(
    Object.entries(files(scenario, ids, siteUrl)).map(([file, text]) => ({ file, text })),
    { catalogue, env },
  );
  if (!result.ok) throw new Error(`generated inventory does not validate: ${result.diagnostics.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`).join("; ")}`);
  return result.inventory;
}

// ---------- the servers ----------

/** One order for the calls of both servers. */
class Sequence {
  private n = 0;
  next = (): number => ++this.n;
}

interface SiteCall {
  seq: number;
  method: string;
  domain: string | null;
}

/** The ApisCP emulator's api, recording its mutating calls in the shared order. */
class SequencedApi implements AdminApi {
  readonly calls: SiteCall[] = [];
  recording = false;
  private readonly inner = createAdminApi();

  constructor(private readonly sequence: Sequence) {}

  invoke(method: string, args: SoapValue[], ctx: CallContext): SoapValue {
    const value = this.inner.invoke(method, args, ctx);
    if (this.recording && MUTATING_SITE_CALLS.includes(method)) this.calls.push({ seq: this.sequence.next(), method, domain: typeof args[0] === "string" ? args[0] : null });
    return value;
  }

  snapshot(): EmulatorState {
    return this.inner.snapshot();
  }

  hasSession(id: string): boolean {
    return this.inner.hasSession(id);
  }

  seed(method: string, args: SoapValue[], now: number): SoapValue {
    return this.inner.invoke(method, args, { now });
  }
}

function siteDomains(api: SequencedApi): Map<string, boolean> {
  return new Map(api.snapshot().sites.map((s) => [String(s.services.siteinfo?.domain ?? ""), s.active]));
}

/** A small seeded generator, for the box panel's lost answers. */
function dice(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedSites(api: SequencedApi, scenario: Scenario): void {
  scenario.sites.forEach((site, i) => {
    if (site.initial === null) return;
    const domain = domainOf(i);
    api.seed("admin_add_site", [domain, `u${i}`, { "siteinfo.email": `owner@${domain}` }, { plan: "basic" }], NOW_MS / 1000 - 100 * 86_400);
    const id = api.seed("admin_get_site_id_from_domain", [domain], NOW_MS / 1000);
    if (typeof id !== "number") throw new Error(`seeding ${domain} failed`);
    if (site.initial.suspended) api.seed("admin_deactivate_site", [`site${id}`, { reason: "support: unpaid" }], NOW_MS / 1000 - 86_400);
  });
}

/** Seeds the panel; returns box index → its id at the start. */
function seedBoxes(panel: BoxPanel, scenario: Scenario): Map<number, number> {
  const ids = new Map<number, number>();
  scenario.boxes.forEach((box, j) => {
    const initial = box.initial;
    if (initial === null) return;
    const paid = paidUntil(box);
    const suspendedAt = NOW_MS - initial.daysAgo * DAY_MS;
    const reason =
      initial.status === "stopped-support"
        ? "support: abuse report"
        : box.state === "cancelled"
          ? `${CANCELLED_REASON_PREFIX} on ${cancelledOn(box, scenario.grace)}`
          : "siteform: suspended";
    const id = panel.seed({
      name: initial.renamed ? `old-${boxName(j)}` : boxName(j),
      host: initial.otherHost ? "legacy.example" : domainOf(box.host),
      size: initial.size === "same" ? box.size : box.size === "small" ? "large" : "small",
      paidUntil: paid === null ? addDays(TODAY, 5) : initial.paidOld ? addDays(paid, -60) : paid,
      status: initial.status === "provisioning" ? "provisioning" : initial.status === "running" ? "running" : "stopped",
      suspendedAt,
      suspendReason: reason,
      provisioningReads: Math.max(1, scenario.provisioningReads),
    });
    ids.set(j, id);
  });
  return ids;
}

// ---------- one run ----------

interface Round {
  plan: Plan;
  report: ApplyReport | null;
}

interface Run {
  scenario: Scenario;
  ids: Map<number, number>;
  rounds: Round[];
  final: Plan;
  boxes: BoxView[];
  boxCalls: BoxCall[];
  siteCalls: SiteCall[];
  sites: Map<string, boolean>;
  /** A box created or moved while its host site did not exist on the ApisCP server. */
  orphans: string[];
}

function describeRound(round: Round, i: number): string {
  const ops = round.plan.ops.map((op) => `  ${op.id} [${op.dependsOn.join(", ")}] ${op.reason}`);
  const results = round.report?.ops.filter((o) => o.status !== "done").map((o) => `  ! ${o.id}: ${o.status}: ${o.message ?? ""}`) ?? [];
  return [`round ${i + 1}:`, ...ops, ...results].join("\n");
}

async function runScenario(scenario: Scenario): Promise<Run> {
  const sequence = new Sequence();
  const api = new SequencedApi(sequence);
  seedSites(api, scenario);
  let boxClock = NOW_MS;
  const roll = dice(scenario.seed);
  const orphans: string[] = [];
  const panel = new BoxPanel({
    clock: () => boxClock,
    provisioningReads: scenario.provisioningReads,
    loseAnswer: () => roll() < scenario.lose,
    sequence: sequence.next,
    onCall: (call) => {
      // Witness, at the moment the box server carries it out, that the box's host site exists.
      if (call.refused !== null || call.after === null || (call.method !== "create" && call.method !== "update")) return;
      if (!siteDomains(api).has(call.after.host) && call.after.host !== "legacy.example") orphans.push(`${call.method} ${call.after.name} on ${call.after.host}`);
    },
  });
  const ids = seedBoxes(panel, scenario);
  const lose = scenario.lose;
  const emulator: RunningEmulator = await startEmulator({
    tls: false,
    api,
    clock: () => NOW_MS / 1000,
    seed: scenario.seed,
    knobs: lose === 0 ? {} : { dropAfterWork: Object.fromEntries(MUTATING_SITE_CALLS.map((m) => [m, lose / 2])) },
  });
  try {
    const env = { FRA1_KEY: emulator.key, VM1_KEY: "box-key" };
    const boxModule = createBoxModule(() => panel, { callTimeoutMs: 20 });
    const inventory = inventoryOf(scenario, ids, emulator.url, env);
    const factory = (server: ServerConfig, e: Readonly<Record<string, string | undefined>>) => createProvider(server, e, [APISCP, boxModule]);
    const servers = inventory.servers.map((s) => s.name);
    api.recording = true;
    const rounds: Round[] = [];
    for (;;) {
      const fresh = await replan(inventory, { servers, env, allowDeletes: 100, allowPaid: 100, reset: false, now: NOW, providerFactory: factory });
      if (fresh === null) throw new Error("planning was interrupted, but nothing here interrupts it");
      const plan = fresh.plan;
      const refused = [...plan.servers.filter((s) => s.error !== null).map((s) => `${s.name}: ${s.error ?? ""}`), ...plan.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`)];
      if (refused.length > 0) throw new Error(`the plan is refused:\n${refused.join("\n")}\n${rounds.map(describeRound).join("\n")}`);
      const waiting = plan.diagnostics.some((d) => d.code === "transitional");
      if ((plan.ops.length === 0 && !waiting) || rounds.length >= MAX_ROUNDS) {
        return { scenario, ids, rounds, final: plan, boxes: panel.snapshot(), boxCalls: panel.log, siteCalls: api.calls, sites: siteDomains(api), orphans };
      }
      if (plan.ops.length === 0) {
        // Nothing to do but wait for a box that is still provisioning: plan again.
        rounds.push({ plan, report: null });
        continue;
      }
      const report = await withProviders(
        inventory,
        servers,
        env,
        (providers) =>
          applyPlan(plan, {
            providers,
            catalogue: inventory.catalogue,
            concurrency: { perServer: Object.fromEntries(inventory.servers.map((s) => [s.name, s.concurrency])), total: 4 },
            retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1, maxDelayMs: 4, maxTotalMs: 10_000 },
            failFast: false,
            deletionRules: deletionRulesFor(inventory, 100, [CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX]),
            paidRules: paidRulesFor(inventory, 100),
          }),
        { factory },
      );
      rounds.push({ plan, report });
      boxClock += (scenario.grace + 1) * DAY_MS;
    }
  } finally {
    await emulator.stop();
  }
}

// ---------- what must hold ----------

function checkRun(run: Run): void {
  const { scenario, final } = run;
  const story = (): string => run.rounds.map(describeRound).join("\n");
  expect(final.ops, `the plan is not empty after ${run.rounds.length} rounds:\n${story()}\nfinal:\n${describeRound({ plan: final, report: null }, run.rounds.length)}`).toEqual([]);
  expect(final.diagnostics.filter((d) => d.code === "transitional"), story()).toEqual([]);
  expect(run.orphans, story()).toEqual([]);

  // Every site, as the inventory says.
  scenario.sites.forEach((site, i) => {
    expect(run.sites.get(domainOf(i)), `${domainOf(i)}\n${story()}`).toBe(site.state === "active");
  });

  const deleted = new Set(run.boxCalls.filter((c) => c.method === "delete" && c.refused === null).map((c) => c.id));
  scenario.boxes.forEach((box, j) => {
    const name = boxName(j);
    const live = run.boxes.filter((b) => b.name === name && b.status !== "deleted");
    const startId = run.ids.get(j);
    const what = `${name} (${JSON.stringify(box)})\n${story()}`;
    if (box.state === "cancelled") {
      if (startId === undefined) {
        expect(live, what).toEqual([]);
        return;
      }
      const found = run.boxes.find((b) => b.id === startId);
      if (deletionDue(box, scenario.grace)) expect(found?.status, what).toBe("deleted");
      else expect(found?.status, what).toBe("stopped");
      return;
    }
    expect(live, what).toHaveLength(1);
    const found = live[0] as BoxView;
    expect(found, what).toMatchObject({ host: domainOf(box.host), size: box.size, status: box.state === "active" ? "running" : "stopped" });
    if (box.paid !== null) expect(found.paidUntil, what).toBe(paidUntil(box));
    // A box the panel had is kept, renamed in place: never deleted and created anew.
    if (startId !== undefined) expect(found.id, what).toBe(startId);
    expect(deleted.has(found.id), what).toBe(false);
    // Its host site exists, and if this run created the site, the box was created (or moved onto it) after it.
    expect(run.sites.has(found.host), what).toBe(true);
    const siteAdded = run.siteCalls.find((c) => c.method === "admin_add_site" && c.domain === found.host);
    const placed = run.boxCalls.filter((c) => c.refused === null && c.id === found.id && (c.method === "create" || (c.method === "update" && c.after?.host === found.host)));
    if (startId === undefined) expect(placed.map((c) => c.method), what).toContain("create");
    if (siteAdded !== undefined) for (const call of placed) expect(call.seq, what).toBeGreaterThan(siteAdded.seq);
  });

  // Only boxes the inventory cancels are ever deleted.
  const cancelledIds = new Set(scenario.boxes.flatMap((box, j) => (box.state === "cancelled" && run.ids.has(j) ? [run.ids.get(j)] : [])));
  for (const id of deleted) expect(cancelledIds.has(id ?? -1), story()).toBe(true);
}

const RUN_LIMIT_MS = 20_000;

async function withinTime<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the run took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

describe("two providers in one inventory", () => {
  it(
    "converge: sites and the boxes they host end as the inventory says, each box placed after its site",
    async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (scenario) => {
          checkRun(await withinTime(runScenario(scenario), RUN_LIMIT_MS));
        }),
        { numRuns: RUNS },
      );
    },
    Math.max(60_000, RUNS * 3_000),
  );

  it("a new site and the box it hosts land in one apply, site first", async () => {
    const scenario: Scenario = {
      sites: [{ state: "active", initial: null }],
      boxes: [{ host: 0, size: "small", paid: 2, state: "active", cancelDue: false, initial: null }],
      grace: 30,
      provisioningReads: 0,
      lose: 0,
      seed: 1,
    };
    const run = await runScenario(scenario);
    checkRun(run);
    expect(run.rounds).toHaveLength(1);
    expect(run.rounds[0]?.plan.ops.map((op) => op.id)).toEqual(["fra1:create:s0.example", "vm1:create:b0"]);
    expect(run.rounds[0]?.plan.summary.paid).toBe(1);
    const siteSeq = run.siteCalls.find((c) => c.method === "admin_add_site")?.seq ?? Infinity;
    const boxSeq = run.boxCalls.find((c) => c.method === "create")?.seq ?? -Infinity;
    expect(boxSeq).toBeGreaterThan(siteSeq);
  });

  it("waits for a provisioning box, then renews it, renamed in place", async () => {
    const scenario: Scenario = {
      sites: [{ state: "active", initial: { suspended: false } }],
      boxes: [
        {
          host: 0,
          size: "medium",
          paid: 3,
          state: "active",
          cancelDue: false,
          initial: { renamed: true, pin: true, size: "same", otherHost: false, paidOld: true, status: "provisioning", daysAgo: 0 },
        },
      ],
      grace: 30,
      provisioningReads: 2,
      lose: 0,
      seed: 1,
    };
    const run = await runScenario(scenario);
    checkRun(run);
    // Two plans see it provisioning and propose nothing; the third renames and renews it.
    expect(run.rounds.map((r) => r.plan.ops.map((op) => op.id))).toEqual([[], [], ["vm1:update:old-b0", "vm1:renew:old-b0"]]);
    expect(run.rounds[0]?.plan.diagnostics.map((d) => d.code)).toEqual(["transitional"]);
    expect(run.boxCalls.map((c) => c.method)).toEqual(["update", "renew"]);
  });
});
