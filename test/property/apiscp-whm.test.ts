/**
 * Convergence with two panels in one inventory: ApisCP servers and cPanel/WHM servers, planned
 * and applied together, end as the inventory says; on the way nothing is created twice, nothing
 * kept, protected or unmanaged is deleted, and nothing is deleted before its grace period.
 *
 * The code path is the real one (inventory loader, the registry's providers, planner, stale
 * check, applier) and so are the servers: the emulators over HTTP. 1–2 ApisCP servers (the
 * ApisCP convergence scenario, test/support/convergence-scenario.ts, cut down to three sites a
 * server) and 1–2 WHM servers (test/support/whm-scenario.ts) with 1–4 account
 * entries each: random users, domains and plans (three repository plans on the emulator's
 * packages, each overriding some limits), own limits (sizes in MB, counts, 0 and "unlimited"),
 * shell access, contact addresses, states active, suspended (with or without a reason) and
 * cancelled on both sides of the grace boundary, protect. Starting states: the account missing;
 * present and matching; present with drift: one limit differs, another package, another contact
 * address, suspended by support or by siteform (long ago, for a cancelled entry, or not long
 * enough), the user renamed (matched by domain, or pinned by uid), the domain renamed (matched by
 * user), both renamed (pinned), the user or the domain one that a new entry wants (its create
 * waits for the rename); unmanaged accounts beside them. Faults on both panels: mutating calls
 * refused before the work (503, reset, or WHM's own "try again later") or their answer lost or
 * empty after it, rolled by each emulator's seeded dice. A tap in front of each WHM emulator
 * records what reached it (the emulator's call log only counts calls).
 *
 * The planner's clock is fixed; after each apply the emulators' clock (and the WHM provider's,
 * which checks a deletion's age itself) moves on by grace + 1 days, as if the operator applied
 * again once the grace period had run.
 */
import fc from "fast-check";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { applyPlan, deletionRulesFor, paidRulesFor } from "../../src/applier/index.js";
import type { EmulatorState, SiteRecord } from "../../src/emulator/apiscp/api.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/apiscp/server/index.js";
import { WHM_FUNCTIONS, startWhmEmulator, type Knobs, type RunningWhmEmulator, type WhmAccountRecord } from "../../src/emulator/whm/index.js";
import { withProviders } from "../../src/engine/providers.js";
import { checkAgainst, replan } from "../../src/engine/replan.js";
import { loadInventory } from "../../src/inventory/index.js";
import type { Inventory } from "../../src/model/inventory.js";
import type { Plan } from "../../src/model/plan.js";
import { CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX } from "../../src/planner/index.js";
import type { SoapValue } from "../../src/providers/apiscp/wire/value.js";
import { QUICK_RETRY, describeOps, unfinished, type Convergence, type Round } from "../support/converge.js";
import {
  DAY,
  NOW,
  NOW_S,
  SERVERS,
  deletionDue,
  faultKnobs,
  scenarioArb,
  seedServer,
  writeInventory,
  type Entry,
  type Named,
  type Scenario,
  type Seeded,
  type ServerSpec,
  type SiteSpec,
} from "../support/convergence-scenario.js";
import { LoggedApi } from "../support/logged-api.js";
import {
  RECORD_LIMIT,
  WHM_SERVERS,
  applyProviders,
  desiredLimits,
  desiredShell,
  emailOf,
  isSize,
  nameAccounts,
  nameUnmanaged,
  packageOf,
  tapWhm,
  whmEnv,
  whmKnobs,
  whmServerConfigs,
  SUPPORT_REASON,
  whmSideArb,
  whmState,
  withoutForeignSuspension,
  writeWhmInventory,
  type AccountSpec,
  type Limit,
  type LimitName,
  type NamedAccount,
  type NamedUnmanaged,
  type WhmSide,
  type WhmTap,
} from "../support/whm-scenario.js";

// ---------- the mixed scenario ----------

interface Mixed {
  /** The ApisCP servers' scenario; with one ApisCP server, the second is empty and not configured. */
  apiscp: Scenario;
  apiscpServers: 1 | 2;
  whm: WhmSide;
  /** Knobs of every WHM emulator for the first apply only (the examples' one fault); the side's own faults after it. */
  firstApplyWhmKnobs?: Partial<Knobs>;
}

const MAX_SITES_PER_SERVER = 3;

/** The first entries of a server up to MAX_SITES_PER_SERVER sites: the ApisCP property covers more. */
function fewSites(entries: readonly Entry[]): Entry[] {
  const kept: Entry[] = [];
  let sites = 0;
  for (const entry of entries) {
    const n = entry.kind === "site" ? 1 : entry.members.length;
    if (sites + n > MAX_SITES_PER_SERVER) break;
    kept.push(entry);
    sites += n;
  }
  return kept;
}

const EMPTY_SERVER: ServerSpec = { prune: false, concurrency: 1, entries: [], unmanaged: [] };

const mixedArb: fc.Arbitrary<Mixed> = fc
  .record({ apiscp: scenarioArb, apiscpServers: fc.constantFrom<1 | 2>(1, 2), whm: whmSideArb })
  .map(({ apiscp, apiscpServers, whm }) => {
    const servers = apiscp.servers.map((s, i) => (i < apiscpServers ? { ...s, entries: fewSites(s.entries) } : EMPTY_SERVER)) as [ServerSpec, ServerSpec];
    // No slow ApisCP server (the ApisCP property has those), and fewer refusals: both panels fail here.
    const faults = apiscp.faults === null ? null : { ...apiscp.faults, fail: Math.min(apiscp.faults.fail, 0.3), slowMs: null };
    return { apiscp: { ...apiscp, servers, faults }, apiscpServers, whm: withoutForeignSuspension(whm, apiscp.grace) };
  });

/** The whole scenario, for failure messages: enough to rebuild the run by hand. */
function describeScenario(m: Mixed): string {
  return JSON.stringify(m);
}

// ---------- one run ----------

interface Run {
  scenario: Mixed;
  apiscpServers: string[];
  named: Named[];
  apis: LoggedApi[];
  seeded: Seeded[];
  accounts: NamedAccount[];
  unmanaged: NamedUnmanaged[];
  whmStart: WhmAccountRecord[][];
  whmFinal: WhmAccountRecord[][];
  whmCallCounts: Array<Record<string, number>>;
  taps: WhmTap[];
  result: Convergence;
}

/** Lost answers are read back for this long (the emulators answer in milliseconds). */
const READ_BACK_MS = 25;
/** A create whose answer is lost is sent once a round; with refusals on every step of a WHM op, a few rounds more than the ApisCP property needs. */
const MAX_ROUNDS = 30;

async function runScenario(m: Mixed): Promise<Run> {
  const { apiscp } = m;
  const grace = apiscp.grace;
  const dir = await mkdtemp(join(tmpdir(), "siteform-apiscp-whm-"));
  let clock = NOW_S;
  const apiscpServers = SERVERS.slice(0, m.apiscpServers) as string[];
  const apis = apiscpServers.map(() => new LoggedApi());
  const apiscpEmulators: RunningEmulator[] = [];
  const whmEmulators: RunningWhmEmulator[] = [];
  const taps: WhmTap[] = [];
  try {
    for (const [i, api] of apis.entries()) {
      apiscpEmulators.push(await startEmulator({ tls: false, api, clock: () => clock, knobs: faultKnobs(apiscp.faults), seed: (apiscp.faults?.seed ?? 1) + i }));
    }
    const accounts = nameAccounts(m.whm, grace);
    const unmanaged = nameUnmanaged(m.whm);
    for (const s of m.whm.servers.keys()) {
      const server = WHM_SERVERS[s] as string;
      const knobs = { ...whmKnobs(m.whm.faults), ...m.firstApplyWhmKnobs };
      const emulator = await startWhmEmulator({ state: whmState(server, accounts, unmanaged), clock: () => clock, knobs, seed: (m.whm.faults?.seed ?? 1) + s });
      whmEmulators.push(emulator);
      taps.push(await tapWhm(emulator, () => clock));
    }

    const urls = apiscpEmulators.map((e) => e.url);
    const named = await writeInventory(dir, apiscp, [urls[0] ?? "", urls[1] ?? urls[0] ?? ""]);
    await writeWhmInventory(dir, accounts);
    const apiscpConfigs = Object.fromEntries(
      apiscpServers.map((name, i) => {
        const spec = apiscp.servers[i] as ServerSpec;
        return [name, { url: urls[i], key_env: `${name.toUpperCase()}_KEY`, concurrency: spec.concurrency, prune: spec.prune }];
      }),
    );
    const servers = { ...apiscpConfigs, ...whmServerConfigs(m.whm, taps.map((t) => t.url)) };
    await writeFile(join(dir, "siteform.yaml"), stringify({ servers, policy: { max_deletes: 100, deletion_grace_days: grace } }));
    const env = { ...Object.fromEntries(apiscpServers.map((name, i) => [`${name.toUpperCase()}_KEY`, apiscpEmulators[i]?.key ?? ""])), ...whmEnv(whmEmulators) };
    const loaded = await loadInventory(dir, { env, requireKeys: true });
    if (!loaded.ok) throw new Error(`generated inventory does not validate: ${JSON.stringify(loaded.diagnostics.filter((d) => d.severity === "error"))}`);

    const seeded = apiscpServers.map((): Seeded => ({ desiredIds: new Map(), unmanaged: new Map(), prunedUnmanaged: new Map() }));
    apiscpServers.forEach((server, i) => seedServer(apis[i] as LoggedApi, server, apiscp.servers[i] as ServerSpec, named, loaded.inventory.resources, seeded[i] as Seeded));
    apis.forEach((api) => (api.recording = true));
    const whmStart = whmEmulators.map((e) => [...e.accounts()]);

    const result = await operate(loaded.inventory, env, () => clock, () => {
      if (m.firstApplyWhmKnobs !== undefined) for (const e of whmEmulators) e.setKnobs({ latencyMs: {}, failProbability: {}, failForm: {}, dropAfterWork: {}, returnNull: {}, ...whmKnobs(m.whm.faults) });
      clock += (grace + 1) * DAY;
    });
    return {
      scenario: m,
      apiscpServers,
      named,
      apis,
      seeded,
      accounts,
      unmanaged,
      whmStart,
      whmFinal: whmEmulators.map((e) => [...e.accounts()]),
      whmCallCounts: whmEmulators.map((e) => e.calls.byMethod()),
      taps,
      result,
    };
  } finally {
    await Promise.all([...taps.map((t) => t.close()), ...apiscpEmulators.map((e) => e.stop()), ...whmEmulators.map((e) => e.stop())]);
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * What an operator does: plan (providers as the registry makes them), plan again right before
 * applying and refuse a plan that went stale, apply, and again until the plan is empty.
 */
async function operate(inventory: Inventory, env: Readonly<Record<string, string>>, clock: () => number, waitGracePeriod: () => void): Promise<Convergence> {
  const servers = inventory.servers.map((s) => s.name);
  const planNow = async (): Promise<Plan> => {
    const planned = await replan(inventory, { servers, env, allowDeletes: 1000, reset: false, now: NOW });
    if (planned === null) throw new Error("planning was interrupted, but nothing here interrupts it");
    const refused = [
      ...planned.plan.servers.filter((s) => s.error !== null).map((s) => `${s.name}: ${s.error ?? ""}`),
      ...planned.plan.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.server ?? ""} ${d.code}: ${d.message}`),
    ];
    if (refused.length > 0) throw new Error(`the plan is refused:\n${refused.join("\n")}`);
    return planned.plan;
  };
  const rounds: Round[] = [];
  for (;;) {
    const plan = await planNow();
    if (plan.ops.length === 0 || rounds.length >= MAX_ROUNDS) return { rounds, final: plan };
    const fresh = await replan(inventory, { servers, env, allowDeletes: 1000, reset: false, now: new Date(plan.createdAt) });
    if (fresh === null) throw new Error("planning again was interrupted, but nothing here interrupts it");
    const check = checkAgainst(plan, fresh, { inventory, intact: true, label: "the plan", explainTime: false });
    if (!check.ok) throw new Error(`the plan went stale between plan and apply, with nobody else at work: ${check.message ?? ""}`);
    const report = await withProviders(
      inventory,
      servers,
      env,
      (providers) =>
        applyPlan(fresh.plan, {
          providers,
          catalogue: inventory.catalogue,
          concurrency: {
            perServer: Object.fromEntries(inventory.servers.map((s) => [s.name, s.concurrency])),
            total: inventory.servers.reduce((sum, s) => sum + s.concurrency, 0),
          },
          retry: { ...QUICK_RETRY, maxAttempts: 3 },
          failFast: false,
          deletionRules: deletionRulesFor(inventory, 1000, [CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX]),
          paidRules: paidRulesFor(inventory, null),
        }),
      { factory: applyProviders(clock, READ_BACK_MS) },
    );
    rounds.push({ plan, report });
    waitGracePeriod();
  }
}

const RUNS = Number(process.env.APISCP_WHM_RUNS ?? 200);
/** A run takes well under a second; one that hangs fails as itself, naming its scenario. */
const RUN_LIMIT_MS = 20_000;

async function withinTime<T>(work: Promise<T>, ms: number, scenario: Mixed): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the run did not finish within ${ms / 1000} s; scenario: ${describeScenario(scenario)}`)), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------- what must hold ----------

function story(run: Run): string {
  const { result } = run;
  return [
    `scenario: ${describeScenario(run.scenario)}`,
    `rounds: ${result.rounds.length}`,
    ...result.rounds.flatMap((r, i) => [`round ${i + 1}:`, ...describeOps(r.plan).map((l) => `  ${l}`), ...unfinished(r.report).map((l) => `  ! ${l}`)]),
    "final plan:",
    ...describeOps(result.final).map((l) => `  ${l}`),
  ].join("\n");
}

/** The delete a WHM provider refuses because siteform's suspension is younger than the grace period: a failed op by design, planned again. */
const TOO_YOUNG = /was not deleted: suspended [\d.]+ days ago, less than the \d+ days of the grace period/;

function checkConvergence(run: Run): void {
  const { result } = run;
  const context = story(run);
  // 1. The servers match the inventory: a new plan has nothing to do.
  expect(result.final.ops, context).toEqual([]);
  // Two applies suffice (suspend now, delete once the grace period is over); each round with an op that did not end done may cost one more.
  const troubled = result.rounds.filter((r) => !r.report.ok).length;
  expect(result.rounds.length, context).toBeLessThanOrEqual(2 + troubled);
  if (run.scenario.apiscp.faults === null && run.scenario.whm.faults === null && run.scenario.firstApplyWhmKnobs === undefined) {
    // Without faults, the only op that may not end done is a WHM delete the provider found too young.
    const failed = result.rounds.flatMap((r) => r.report.ops.filter((o) => o.status !== "done"));
    for (const op of failed) expect(`${op.id}: ${op.message ?? ""}`, context).toMatch(TOO_YOUNG);
  }
}

const domainOf = (site: SiteRecord): string => String(site.services.siteinfo?.domain ?? "");

/** Does a delete call's `site` argument name this site (by id or by one of its names)? */
function namesSite(arg: SoapValue | undefined, id: number, hostnames: readonly string[]): boolean {
  return typeof arg === "string" && (arg === `site${id}` || hostnames.includes(arg.toLowerCase()));
}

/** The ApisCP servers, as the ApisCP convergence property checks them (from what their LoggedApi saw). */
function checkApiscp(run: Run): void {
  const { result, scenario } = run;
  const context = story(run);
  run.apiscpServers.forEach((server, i) => {
    const api = run.apis[i] as LoggedApi;
    const seeded = run.seeded[i] as Seeded;
    const final: EmulatorState = api.snapshot();
    const removed = new Set(api.mutations.flatMap((m) => m.removed));
    const touched = new Set(api.mutations.flatMap((m) => [...m.removed, ...m.changed]));
    const deletes = api.mutations.filter((m) => m.method === "admin_delete_site");
    const sentAdds = new Map<string, number>();
    for (const m of api.mutations) if (m.method === "admin_add_site") sentAdds.set(String(m.args[0]), (sentAdds.get(String(m.args[0])) ?? 0) + 1);
    for (const [domain, sent] of sentAdds) {
      const creates = result.rounds.filter((r) => r.plan.ops.some((op) => op.server === server && op.action === "create" && (op.preconditions.free?.find((f) => f.key === "domain")?.value ?? op.target.name) === domain)).length;
      expect(sent, `${server} ${domain}: admin_add_site carried out ${sent} times for ${creates} create op(s)\n${context}`).toBeLessThanOrEqual(creates);
    }
    expect(api.mutations.filter((m) => m.faulted), `${server}\n${context}`).toEqual([]);

    for (const site of run.named.filter((s) => s.server === server)) {
      const life = site.life;
      const holders = final.sites.filter((s) => domainOf(s) === site.domain);
      const startId = seeded.desiredIds.get(site.domain);
      const what = `${server} ${site.domain} (${life.state}${life.protect ? ", protected" : ""}${startId === undefined ? ", absent at start" : `, site${startId} at start`})\n${context}`;
      const adds = api.mutations.filter((m) => m.method === "admin_add_site" && m.added.length > 0 && m.args[0] === site.domain);
      if (startId === undefined) {
        expect(adds.length, what).toBe(life.state === "cancelled" ? 0 : 1);
        expect(holders.length, what).toBe(life.state === "cancelled" ? 0 : 1);
        const id = holders[0]?.id;
        if (id !== undefined) expect(removed.has(id), what).toBe(false);
        continue;
      }
      expect(adds, what).toEqual([]);
      if (deletionDue(life, scenario.apiscp.grace)) {
        expect(holders, what).toEqual([]);
        continue;
      }
      expect(removed.has(startId), what).toBe(false);
      expect(deletes.filter((m) => namesSite(m.args[0], startId, [site.domain, `old-${site.domain}`])), what).toEqual([]);
      const record = final.sites.find((s) => s.id === startId);
      expect(record?.active, what).toBe(life.state === "active");
      if (life.state === "cancelled") continue;
      expect(holders.map((s) => s.id), what).toEqual([startId]);
      expect(record?.services.siteinfo?.admin_user, what).toBe(site.adminUser);
    }
    for (const [id, before] of seeded.unmanaged) {
      const what = `${server} unmanaged site${id} (${domainOf(before)})\n${context}`;
      expect(touched.has(id), what).toBe(false);
      expect(api.mutations.filter((m) => namesSite(m.args[0], id, [domainOf(before)])), what).toEqual([]);
      expect(final.sites.find((s) => s.id === id), what).toEqual(before);
    }
    for (const id of seeded.prunedUnmanaged.keys()) {
      expect(final.sites.some((s) => s.id === id), `${server} pruned site${id}\n${context}`).toBe(false);
    }
  });
}

/** A limit as the emulator keeps it, in the provider's one form: for sizes 0 is "no limit" (src/providers/whm/limits.ts). */
function recordLimit(record: WhmAccountRecord, name: LimitName): Limit {
  const value = record.limits[RECORD_LIMIT[name]];
  return isSize(name) && value === 0 ? "unlimited" : value;
}

/** The managed fields of an account as the emulator has them, and as the inventory says they should be. */
function managedView(a: NamedAccount, record: WhmAccountRecord): { has: object; wants: object } {
  const limits = desiredLimits(a.spec);
  const shell = desiredShell(a.spec);
  const has: Record<string, unknown> = { user: record.user, domain: record.domain, package: record.plan, suspended: record.suspended };
  const wants: Record<string, unknown> = { user: a.user, domain: a.domain, package: packageOf(a.spec), suspended: a.spec.state === "suspended" };
  if (a.spec.email) {
    has.email = record.email;
    wants.email = emailOf(a);
  }
  for (const name of Object.keys(limits) as LimitName[]) {
    has[name] = recordLimit(record, name);
    wants[name] = limits[name];
  }
  if (shell !== null) {
    has.shell = record.hasshell;
    wants.shell = shell;
  }
  return { has, wants };
}

/** The WHM servers: their final accounts (the emulator's own records) and every mutating call the tap saw. */
function checkWhm(run: Run): void {
  const { scenario } = run;
  const grace = scenario.apiscp.grace;
  const context = story(run);
  run.taps.forEach((tap, s) => {
    const server = WHM_SERVERS[s] as string;
    const start = run.whmStart[s] as WhmAccountRecord[];
    const final = run.whmFinal[s] as WhmAccountRecord[];
    const counts = run.whmCallCounts[s] as Record<string, number>;
    const where = (what: string): string => `${server}: ${what}\n${context}`;

    // The tap saw every mutating call the emulator counted.
    for (const [fn, spec] of Object.entries(WHM_FUNCTIONS)) {
      if (spec.mutating) expect(tap.calls.filter((c) => c.fn === fn).length, where(`${fn} calls seen by the tap`)).toBe(counts[fn] ?? 0);
    }
    // A lost answer is settled by reading back, never by sending again: no createacct reached the
    // server for a user or domain an account already had.
    for (const call of tap.calls.filter((c) => c.fn === "createacct")) {
      expect(call.taken, where(`createacct ${call.user} sent while its user or domain already existed (sent twice?)`)).toBe(false);
    }
    // Every other call names an account the server has at that moment: a rename or removeacct
    // sent again after its lost answer would name one that is gone.
    for (const call of tap.calls.filter((c) => c.fn !== "createacct")) {
      expect(call.account, where(`${call.fn} ${call.user} named no account the server had`)).not.toBeNull();
    }
    const mine = run.accounts.filter((a) => a.server === server);
    const unmanaged = run.unmanaged.filter((u) => u.server === server);
    // Only a cancelled entry past its grace period (not protected) may be deleted, and only once
    // siteform's own suspension is at least the grace period old on the server's clock.
    const deletable = new Set(mine.filter((a) => a.uid !== null && deletionDue(a.life, grace)).map((a) => a.uid));
    for (const call of tap.calls.filter((c) => c.fn === "removeacct")) {
      const account = call.account;
      const what = where(`removeacct ${call.user} at ${call.at}: ${JSON.stringify(account)}`);
      expect(account, what).not.toBeNull();
      if (account === null) continue;
      expect(deletable.has(account.uid), what).toBe(true);
      expect(account.suspended, what).toBe(true);
      expect(account.suspendreason ?? "", what).toContain(CANCELLED_REASON_PREFIX);
      expect(call.at - (account.suspendtime ?? call.at), what).toBeGreaterThanOrEqual(grace * DAY);
    }

    const startUids = new Set(start.map((a) => a.uid));
    const expectedUids = new Set<number>();
    for (const a of mine) {
      const what = where(`${a.user} ${a.domain} (${JSON.stringify(a.spec)}${a.uid === null ? ", absent at start" : `, uid ${a.uid} at start`})`);
      const callsOn = (uid: number): string[] => tap.calls.filter((c) => c.account?.uid === uid).map((c) => c.fn);
      if (a.uid === null) {
        const holders = final.filter((r) => r.user === a.user || r.domain === a.domain);
        if (a.spec.state === "cancelled") {
          // A cancelled entry the server does not have is never created.
          expect(holders, what).toEqual([]);
          expect(tap.calls.filter((c) => c.fn === "createacct" && c.user === a.user), what).toEqual([]);
          continue;
        }
        expect(holders.length, what).toBe(1);
        const record = holders[0] as WhmAccountRecord;
        expect(startUids.has(record.uid), what).toBe(false);
        expect(callsOn(record.uid).filter((fn) => fn === "removeacct"), what).toEqual([]);
        const view = managedView(a, record);
        expect(view.has, what).toEqual(view.wants);
        expectedUids.add(record.uid);
        continue;
      }
      const record = final.find((r) => r.uid === a.uid);
      if (deletionDue(a.life, grace)) {
        expect(record, what).toBeUndefined();
        continue;
      }
      // A kept account keeps its uid: never removed, never created anew.
      expect(record, what).toBeDefined();
      if (record === undefined) continue;
      expectedUids.add(record.uid);
      expect(callsOn(a.uid).filter((fn) => fn === "removeacct"), what).toEqual([]);
      expect(tap.calls.filter((c) => c.fn === "createacct" && c.user === a.user), what).toEqual([]);
      if (a.spec.state === "cancelled") {
        // Suspended, and otherwise left as it is: its names and settings are not edited.
        expect(record.suspended, what).toBe(true);
        expect(callsOn(a.uid).filter((fn) => fn !== "suspendacct"), what).toEqual([]);
        continue;
      }
      const view = managedView(a, record);
      expect(view.has, what).toEqual(view.wants);
    }
    // Unmanaged accounts: never named by a call, and exactly as they were.
    for (const u of unmanaged) {
      const what = where(`unmanaged ${u.user} (uid ${u.uid})`);
      expect(tap.calls.filter((c) => c.user === u.user || c.account?.uid === u.uid), what).toEqual([]);
      expect(final.find((r) => r.uid === u.uid), what).toEqual(start.find((r) => r.uid === u.uid));
      expectedUids.add(u.uid);
    }
    // And nothing else: no second account from a create sent twice.
    expect(final.map((r) => r.uid).sort(), where("the accounts on the server")).toEqual([...expectedUids].sort());
  });
}

function checkRun(run: Run): void {
  checkConvergence(run);
  checkApiscp(run);
  checkWhm(run);
}

// ---------- the tests ----------

describe("ApisCP and WHM servers in one inventory converge on the emulators", () => {
  it(
    "for random sites and accounts, starting states and faults on both panels",
    async () => {
      await fc.assert(
        fc.asyncProperty(mixedArb, async (scenario) => {
          checkRun(await withinTime(runScenario(scenario), RUN_LIMIT_MS, scenario));
        }),
        { numRuns: RUNS },
      );
    },
    Math.max(60_000, RUNS * 3_000),
  );

  // The examples below pin down, without dice, the WHM paths the property reaches by chance.

  const site: SiteSpec = { plan: "small", emails: 1, aliases: null, quota: null, state: "active", cancelDue: false, offset: 0, reason: false, protect: false, invoice: false, initial: null };
  const account = (over: Partial<AccountSpec>): AccountSpec => ({
    plan: "cp-starter",
    limits: {},
    shell: null,
    email: true,
    state: "active",
    cancelDue: false,
    offset: 0,
    reason: false,
    protect: false,
    initial: null,
    ...over,
  });
  /** One ApisCP site and the given accounts on cp1, without faults. */
  const example = (accounts: AccountSpec[], over: Partial<Mixed> = {}): Mixed => ({
    apiscp: { grace: 30, faults: null, servers: [{ prune: false, concurrency: 1, entries: [{ kind: "site", site }], unmanaged: [] }, EMPTY_SERVER] },
    apiscpServers: 1,
    whm: { servers: [{ concurrency: 1, accounts, unmanaged: [] }], faults: null },
    ...over,
  });
  const sent = (run: Run, fn: string): string[] => (run.taps[0] as WhmTap).calls.filter((c) => c.fn === fn).map((c) => c.user);

  it("settles a createacct whose answer is lost by reading the account back, never by sending it again", async () => {
    const run = await runScenario(example([account({ limits: { disk_mb: 2048 } })], { firstApplyWhmKnobs: { dropAfterWork: { createacct: 1 } } }));
    checkRun(run);
    expect(sent(run, "createacct")).toEqual(["c1u0"]);
    // The provider finds the account at once and sends its own limits in the same op: one round.
    const create = run.result.rounds[0]?.report.ops.find((o) => o.id === "cp1:create:c1-a0.example");
    expect(create).toMatchObject({ status: "done" });
    expect(run.result.rounds).toHaveLength(1);
    expect(sent(run, "editquota")).toEqual(["c1u0"]);
  });

  it("never sends createacct again when WHM refuses a later step of the create with 'try again later'", async () => {
    // createacct succeeds; the modifyacct that sets the account's own mailbox limit is refused as
    // briefly unavailable. The account exists now: the create must end (the next plan sets the
    // limit), not be retried from createacct, which WHM refuses as a duplicate.
    const run = await runScenario(example([account({ plan: "cp-starter" })], { firstApplyWhmKnobs: { failProbability: { modifyacct: 1 }, failForm: { modifyacct: "fault" } } }));
    expect(sent(run, "createacct"), story(run)).toEqual(["c1u0"]);
    checkRun(run);
  });

  it("deletes a cancelled account only once siteform's suspension is as old as the grace period, on the server's clock", async () => {
    const initial = { rename: "none", pin: false, limit: null, otherPackage: false, otherEmail: false, suspended: "siteform", daysAgo: 1 } as const;
    const run = await runScenario(example([account({ state: "cancelled", cancelDue: true, initial })]));
    checkRun(run);
    const [first, second] = run.result.rounds;
    expect(first?.report.ops.find((o) => o.action === "delete")?.message ?? "").toMatch(TOO_YOUNG);
    expect(second?.plan.ops.map((op) => op.id)).toEqual(["cp1:delete:c1-a0.example"]);
    expect(sent(run, "removeacct")).toEqual(["c1u0"]);
    expect(run.whmFinal[0]).toEqual([]);
  });

  it("never deletes a cancelled account that support suspended, and keeps saying so", async () => {
    const initial = { rename: "none", pin: false, limit: null, otherPackage: false, otherEmail: false, suspended: "support", daysAgo: 40 } as const;
    const run = await runScenario(example([account({ state: "cancelled", cancelDue: true, initial })]));
    expect(run.result.final.ops.map((op) => op.id)).toEqual(["cp1:delete:c1-a0.example"]);
    expect(sent(run, "removeacct")).toEqual([]);
    expect(run.whmFinal[0]).toMatchObject([{ user: "c1u0", suspended: true, suspendreason: SUPPORT_REASON }]);
    const refusals = run.result.rounds.flatMap((r) => r.report.ops).filter((o) => o.action === "delete");
    expect(refusals.length).toBe(MAX_ROUNDS);
    for (const refusal of refusals) expect(refusal.message ?? "").toMatch(/does not start with siteform's/);
  });
});
