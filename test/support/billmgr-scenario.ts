/**
 * The BILLmanager side of the three-provider properties (test/property/three-providers.test.ts):
 * services (vhost, vds, dedic, with add-ons) and licences an inventory holds, how each starts out
 * on the emulator (missing; present and matching; another add-on amount or auto-renewal; expiring
 * sooner than `renew_ahead_days` or not; suspended by siteform's user long ago; processing for a
 * few reads; someone else's service beside them), the faults the emulator injects, their
 * fast-check arbitraries, and the two ways they become real: YAML files for siteform, a state for
 * the emulator. Plus the provider factory that puts the BILLmanager provider on the emulator's
 * clock (its deletion check measures the grace period itself).
 */
import fc from "fast-check";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import type { BillmgrServiceInput, BillmgrStateInput, Itemtype, Knobs, RunningBillmgrEmulator } from "../../src/emulator/billmgr/index.js";
import { FAIL_FORMS, type FailForm } from "../../src/emulator/shared/knobs.js";
import type { ProviderFactory } from "../../src/engine/providers.js";
import { addDays } from "../../src/planner/index.js";
import { withStandardPath } from "../../src/providers/billmgr/endpoint.js";
import { BILLMGR_PROVIDER } from "../../src/providers/billmgr/kinds.js";
import { BillmgrProvider } from "../../src/providers/billmgr/provider.js";
import { DAY, NOW, NOW_S, deletionDue, type Lifecycle } from "./convergence-scenario.js";

export const TODAY = NOW.toISOString().slice(0, 10);
export const BM_SERVER = "bm1";
export const BM_USER_ENV = "BM1_USER";
export const BM_PASSWORD_ENV = "BM1_PASSWORD";
/** Enough for every order and renewal a run can make: running out of money is the client tests' business. */
export const START_BALANCE = 100_000;
const OS_TEMPLATE = "ISPsystem__Debian-12-x86_64";

// ---------- the emulator's catalogue (its default state) ----------

type ServiceType = "vhost" | "vds" | "dedic";
interface AddonSpec {
  id: number;
  min: number;
  max: number;
}
/** The default state's tariff of each item type and its add-ons (src/emulator/billmgr/model/state.ts). */
const TARIFF: Readonly<Record<ServiceType, { id: number; addons: readonly AddonSpec[] }>> = {
  vhost: { id: 11, addons: [{ id: 21, min: 10, max: 200 }] },
  vds: {
    id: 12,
    addons: [
      { id: 22, min: 0, max: 50 },
      { id: 23, min: 1, max: 8 },
    ],
  },
  dedic: { id: 13, addons: [{ id: 24, min: 1, max: 16 }] },
};
const LICENCE_TARIFFS = [14, 15] as const;
const PERIODS = [1, 3, 6, 12] as const;

// ---------- the model a run is generated from ----------

export interface BmInitial {
  /** The add-on the entry sets: the same, fewer units (raising it costs money), or more. */
  addon: "same" | "lower" | "higher";
  autoprolong: "same" | "other";
  /** Paid until sooner than renew_ahead_days from today (a renewal is due), or well after. */
  expiry: "soon" | "far";
  /** Days before (or after) today a soon expiry falls: from 3 days ago to a day short of the wanted date. */
  soonBy: number;
  /** Suspended by siteform's user: for a suspended or cancelled entry, this many days ago. */
  suspendedDaysAgo: number | null;
  /** List reads it stays in item_status 5 (or 1 then 5, as if just ordered); 0: settled. */
  processing: number;
  ordered: boolean;
}

export interface BmEntrySpec {
  type: ServiceType | "license";
  period: (typeof PERIODS)[number];
  /** Units of the type's first add-on the entry sets; null: add-ons not managed. */
  addon: number | null;
  autoprolong: (typeof PERIODS)[number] | "off" | null;
  renewAhead: number | null;
  state: "active" | "suspended" | "cancelled";
  cancelDue: boolean;
  offset: number;
  protect: boolean;
  initial: BmInitial | null;
}

export interface BmUnmanaged {
  type: ServiceType | "license";
  suspended: boolean;
}

export interface BmFaults {
  fail: number;
  drop: number;
  form: FailForm;
  seed: number;
}

export interface BmSide {
  entries: BmEntrySpec[];
  unmanaged: BmUnmanaged[];
  faults: BmFaults | null;
  /** List reads each passing status lasts after an order or change. */
  processingSteps: number;
  /** The first licence names a panel server with `on_server` (when the run has one to bind to) instead of writing its IP. */
  bindFirstLicence: boolean;
}

/** A server of the same inventory a licence can be bound to: its siteform.yaml name and `ip`. */
export interface LicenceHost {
  server: string;
  ip: string;
}

const initialArb: fc.Arbitrary<BmInitial> = fc.record({
  addon: fc.constantFrom("same", "same", "lower", "higher"),
  autoprolong: fc.constantFrom("same", "same", "other"),
  expiry: fc.constantFrom("soon", "far"),
  soonBy: fc.integer({ min: -3, max: 19 }),
  suspendedDaysAgo: fc.option(fc.integer({ min: 0, max: 90 }), { freq: 2, nil: null }),
  processing: fc.constantFrom(0, 0, 0, 1, 3),
  ordered: fc.boolean(),
});

export const bmEntryArb: fc.Arbitrary<BmEntrySpec> = fc
  .record({
    type: fc.constantFrom<BmEntrySpec["type"]>("vhost", "vds", "dedic", "license"),
    period: fc.constantFrom(...PERIODS),
    addon: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
    autoprolong: fc.option(fc.constantFrom<BmEntrySpec["autoprolong"]>(1, 3, "off"), { nil: null }),
    // At most 20 days ahead: a renewal by one month always reaches it from an expiry 3 days gone.
    renewAhead: fc.option(fc.integer({ min: 5, max: 20 }), { nil: null }),
    state: fc.constantFrom("active", "active", "active", "suspended", "cancelled"),
    cancelDue: fc.boolean(),
    offset: fc.integer({ min: 0, max: 20 }),
    protect: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
    initial: fc.option(initialArb, { freq: 2, nil: null }),
  })
  .map((e) => (e.type === "license" ? { ...e, addon: null } : e));

export const bmSideArb: fc.Arbitrary<BmSide> = fc.record({
  entries: fc.array(bmEntryArb, { minLength: 1, maxLength: 5 }),
  unmanaged: fc.array(fc.record({ type: fc.constantFrom<BmUnmanaged["type"]>("vhost", "vds", "license"), suspended: fc.boolean() }), { maxLength: 2 }),
  faults: fc.option(
    fc.record({
      fail: fc.double({ min: 0, max: 0.3, noNaN: true }),
      drop: fc.double({ min: 0, max: 0.6, noNaN: true }),
      form: fc.constantFrom(...FAIL_FORMS),
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    }),
    { freq: 4, nil: null },
  ),
  processingSteps: fc.constantFrom(0, 1, 2),
  bindFirstLicence: fc.constantFrom(true, true, false),
});

// ---------- names ----------

/** An entry with the names it was given and the id its service has at the start. */
export interface NamedBm {
  spec: BmEntrySpec;
  life: Lifecycle;
  index: number;
  name: string;
  /** Services only. */
  domain: string | null;
  /** Licences only. */
  ip: string | null;
  /** Its service's id at the start; null when the emulator does not have it. */
  id: number | null;
  /** Licences bound with `on_server`: the server named (its `ip` is `ip`). */
  onServer: string | null;
}

export interface NamedBmUnmanaged {
  spec: BmUnmanaged;
  id: number;
}

const FIRST_ID = 101;

function cancelledOn(spec: { cancelDue: boolean; offset: number }, grace: number): string {
  if (spec.cancelDue) return addDays(TODAY, -(grace + 1 + spec.offset));
  return grace > 0 ? addDays(TODAY, -(spec.offset % grace)) : addDays(TODAY, 1 + (spec.offset % 5));
}

export function bmLifecycle(spec: BmEntrySpec, grace: number): Lifecycle {
  return { state: spec.state, cancelledOn: spec.state === "cancelled" ? cancelledOn(spec, grace) : null, protect: spec.protect };
}

export function nameBm(side: BmSide, grace: number, host: LicenceHost | null = null): NamedBm[] {
  let next = FIRST_ID;
  const bound = host !== null && side.bindFirstLicence ? side.entries.findIndex((spec) => spec.type === "license") : -1;
  return side.entries.map((spec, n) => ({
    spec,
    life: bmLifecycle(spec, grace),
    index: n,
    name: spec.type === "license" ? `lic-${n}` : `svc-${n}`,
    domain: spec.type === "license" ? null : `bm${n}.example`,
    ip: spec.type !== "license" ? null : n === bound && host !== null ? host.ip : `203.0.113.${n + 1}`,
    id: spec.initial === null ? null : next++,
    onServer: n === bound && host !== null ? host.server : null,
  }));
}

export function nameBmUnmanaged(side: BmSide): NamedBmUnmanaged[] {
  return side.unmanaged.map((spec, k) => ({ spec, id: FIRST_ID + 50 + k }));
}

export const deletionDueBm = (e: NamedBm, grace: number): boolean => deletionDue(e.life, grace);

// ---------- what the inventory says ----------

export function itemtypeOf(spec: BmEntrySpec | BmUnmanaged): Itemtype {
  return spec.type === "license" ? "softexternal" : spec.type;
}

export function tariffOf(e: NamedBm): number {
  return e.spec.type === "license" ? (LICENCE_TARIFFS[e.index % 2] as number) : TARIFF[e.spec.type].id;
}

/** The add-on the entry manages (the item type's first) and the units it wants; null when none. */
export function desiredAddon(spec: BmEntrySpec): { id: string; units: number } | null {
  if (spec.type === "license" || spec.addon === null) return null;
  const addon = TARIFF[spec.type].addons[0] as AddonSpec;
  return { id: String(addon.id), units: Math.min(addon.max, addon.min + spec.addon) };
}

/** Auto-renewal as the emulator keeps it (months or null), when the entry manages it. */
export function desiredAutoprolong(spec: BmEntrySpec): number | null | undefined {
  if (spec.autoprolong === null) return undefined;
  return spec.autoprolong === "off" ? null : spec.autoprolong;
}

/** The date the entry wants it paid until at least; null when renewal is not managed. */
export function wantedPaidUntil(spec: BmEntrySpec): string | null {
  return spec.renewAhead === null ? null : addDays(TODAY, spec.renewAhead);
}

function entryFile(e: NamedBm, grace: number): Record<string, unknown> {
  const { spec } = e;
  const addon = desiredAddon(spec);
  const common = {
    ...(spec.autoprolong !== null && { autoprolong: spec.autoprolong }),
    ...(spec.renewAhead !== null && { renew_ahead_days: spec.renewAhead }),
    ...(spec.state !== "active" && { state: spec.state }),
    ...(spec.state === "cancelled" && { cancelled_on: cancelledOn(spec, grace) }),
    ...(spec.protect && { protect: true }),
  };
  if (spec.type === "license") {
    const binding = e.onServer === null ? { ip: e.ip } : { on_server: e.onServer };
    return { kind: "billmgr/license", name: e.name, server: BM_SERVER, tariff: tariffOf(e), period: spec.period, ...binding, licname: `host${e.index}.example`, ...common };
  }
  return {
    kind: "billmgr/service",
    name: e.name,
    server: BM_SERVER,
    itemtype: spec.type,
    tariff: tariffOf(e),
    period: spec.period,
    datacenter: 1,
    domain: e.domain,
    ...(spec.type !== "vhost" && { os_template: OS_TEMPLATE }),
    ...(addon !== null && { services: { addons: { [`addon_${addon.id}`]: addon.units } } }),
    ...common,
  };
}

export async function writeBmInventory(dir: string, entries: readonly NamedBm[], grace: number): Promise<void> {
  await mkdir(join(dir, "services"), { recursive: true });
  await mkdir(join(dir, "licenses"), { recursive: true });
  for (const e of entries) {
    const folder = e.spec.type === "license" ? "licenses" : "services";
    await writeFile(join(dir, folder, `${e.name}.yaml`), stringify(entryFile(e, grace)));
  }
}

/** siteform.yaml's entry for the BILLmanager, and the environment it names. */
export function bmServerConfig(url: string): Record<string, object> {
  return { [BM_SERVER]: { provider: BILLMGR_PROVIDER, url, key_env: BM_PASSWORD_ENV, user_env: BM_USER_ENV } };
}

export function bmEnv(emulator: RunningBillmgrEmulator): Record<string, string> {
  return { [BM_USER_ENV]: emulator.user, [BM_PASSWORD_ENV]: emulator.password };
}

// ---------- the emulator's starting state ----------

function historyDate(unix: number): string {
  return new Date(unix * 1000).toISOString().slice(0, 19).replace("T", " ");
}

/** The units of the type's first add-on the service has at the start; null for a licence. */
export function startAddonUnits(spec: BmEntrySpec, initial: BmInitial): number | null {
  if (spec.type === "license") return null;
  const addon = TARIFF[spec.type].addons[0] as AddonSpec;
  const wanted = desiredAddon(spec)?.units ?? addon.min + 2;
  const units = initial.addon === "lower" ? wanted - 2 : initial.addon === "higher" ? wanted + 3 : wanted;
  return Math.max(addon.min, Math.min(addon.max, units));
}

function seedEntry(e: NamedBm, initial: BmInitial, apiUser: string): BillmgrServiceInput {
  const { spec } = e;
  const itemtype = itemtypeOf(spec);
  const addons: Record<string, number> = {};
  const units = startAddonUnits(spec, initial);
  if (units !== null && spec.type !== "license") addons[String(TARIFF[spec.type].addons[0]?.id)] = units;
  const autoprolong = desiredAutoprolong(spec);
  const wantedRenewal = spec.renewAhead ?? 30;
  const expiredate = initial.expiry === "soon" ? addDays(TODAY, Math.min(initial.soonBy, wantedRenewal - 1)) : addDays(TODAY, wantedRenewal + 40 + initial.soonBy * 5);
  const suspendedBySiteform = spec.state !== "active" && initial.suspendedDaysAgo !== null;
  const settled = suspendedBySiteform ? 3 : 2;
  const history = [
    { date: historyDate(NOW_S - 400 * DAY), user: apiUser, action: "open" as const },
    ...(suspendedBySiteform ? [{ date: historyDate(NOW_S - (initial.suspendedDaysAgo ?? 0) * DAY), user: apiUser, action: "suspend" as const }] : []),
  ];
  const phases = initial.processing === 0 ? [] : [...(initial.ordered ? [{ status: 1 as const, reads: initial.processing }] : []), { status: 5 as const, reads: initial.processing }];
  return {
    id: e.id ?? undefined,
    itemtype,
    pricelist: tariffOf(e),
    remoteid: e.name,
    period: spec.period,
    createdate: addDays(TODAY, -400),
    expiredate,
    // Another period than wanted, or auto-renewal switched the other way.
    autoprolong: autoprolong === undefined ? null : initial.autoprolong === "same" ? autoprolong : autoprolong === null ? 12 : null,
    item_status: settled,
    processing: phases.length === 0 ? null : { phases, then: settled, reason: initial.ordered ? "open" : "need_configure" },
    addons,
    history,
    ...(spec.type === "license"
      ? { ip: e.ip ?? "", licname: `host${e.index}.example` }
      : { datacenter: 1, domain: e.domain ?? "", ip: spec.type === "vhost" ? "192.0.2.20" : `198.51.100.${e.index + 10}`, ...(spec.type !== "vhost" && { ostempl: OS_TEMPLATE }) }),
  };
}

function seedUnmanaged(u: NamedBmUnmanaged): BillmgrServiceInput {
  const itemtype = itemtypeOf(u.spec);
  const base = {
    id: u.id,
    itemtype,
    pricelist: u.spec.type === "license" ? 15 : TARIFF[u.spec.type].id,
    createdate: addDays(TODAY, -300),
    expiredate: addDays(TODAY, 2),
    item_status: u.spec.suspended ? (3 as const) : (2 as const),
    history: [{ date: historyDate(NOW_S - 300 * DAY), user: "operator", action: "open" as const }],
  };
  // No remoteid: a service someone ordered in the panel.
  return u.spec.type === "license" ? { ...base, ip: `198.18.0.${u.id % 250}`, licname: `other${u.id}.example` } : { ...base, domain: `other${u.id}.example` };
}

export function bmState(entries: readonly NamedBm[], unmanaged: readonly NamedBmUnmanaged[], apiUser: string): BillmgrStateInput {
  return {
    balance: START_BALANCE,
    services: [...entries.flatMap((e) => (e.spec.initial === null ? [] : [seedEntry(e, e.spec.initial, apiUser)])), ...unmanaged.map(seedUnmanaged)],
  };
}

/** Functions that charge the balance: orders and renewals. */
const PAID_FUNCTIONS = ["v2.vhost.order.param", "v2.vds.order.param", "v2.dedic.order.param", "softexternal.order.param", "service.prolong"];
/**
 * The functions that only ever change something. `<itemtype>.edit` is left out: without `sok` it
 * is the edit form a plan reads, and a knob cannot tell the two apart (a refused read fails the
 * plan, which is not what this property is about).
 */
const MUTATING_FUNCTIONS = [...PAID_FUNCTIONS, ...(["vhost", "vds", "dedic", "softexternal"] as const).flatMap((t) => ["suspend", "resume", "delete"].map((v) => `${t}.${v}`))];

/** Refusals before the work on every change but edits; answers lost after the work on orders and renewals. */
export function bmKnobs(faults: BmFaults | null): Partial<Knobs> {
  if (faults === null) return {};
  const each = <T>(names: readonly string[], value: T): Record<string, T> => Object.fromEntries(names.map((m) => [m, value]));
  return { failProbability: each(MUTATING_FUNCTIONS, faults.fail), failForm: each(MUTATING_FUNCTIONS, faults.form), dropAfterWork: each(PAID_FUNCTIONS, faults.drop) };
}

// ---------- the providers apply uses ----------

/**
 * The BILLmanager provider on the emulators' clock (its deletion check measures the grace period
 * against the history's dates, which the emulator writes on its own clock), reading back a lost
 * answer for `readBackMs`; every other server as `others` makes it.
 */
export function withBillmgr(others: ProviderFactory, clock: () => number, readBackMs: number): ProviderFactory {
  return (server, env) => {
    if (server.provider !== BILLMGR_PROVIDER) return others(server, env);
    const user = server.userEnv === null ? undefined : env[server.userEnv];
    const password = env[server.keyEnv];
    if (user === undefined || password === undefined) throw new Error(`server "${server.name}": the test's environment lacks its user or password`);
    const provider = new BillmgrProvider({
      server: server.name,
      keyEnv: server.keyEnv,
      userEnv: server.userEnv ?? undefined,
      connection: { url: withStandardPath(server.url), user, password, insecureTls: server.insecureTls, timeoutMs: server.timeoutSeconds * 1000 },
      now: () => clock() * 1000,
    });
    return {
      server: provider.server,
      callTimeoutMs: readBackMs,
      collect: (request) => provider.collect(request),
      readResource: (request) => provider.readResource(request),
      readResources: (requests) => provider.readResources(requests),
      execute: (op, options) => provider.execute(op, options),
      templateDefaults: (kind, template) => provider.templateDefaults(kind, template),
      close: () => provider.close(),
    };
  };
}
