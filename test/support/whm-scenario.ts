/**
 * The WHM half of the mixed convergence property (test/property/apiscp-whm.test.ts): the model
 * a run's WHM servers are generated from (account entries with their plan, own limits and
 * lifecycle, and how each account starts out on the server; unmanaged accounts; faults), its
 * fast-check arbitraries, and the ways it becomes real: inventory files, the emulator's starting
 * state and fault knobs. Then two pieces the run needs around the real emulator and provider: a
 * tap that records what reached each emulator, and the provider factory apply uses.
 */
import fc from "fast-check";
import { mkdir, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { stringify } from "yaml";
import { FAIL_FORMS } from "../../src/emulator/shared/knobs.js";
import {
  WHM_FUNCTIONS,
  isWhmFunction,
  type FailForm,
  type Knobs,
  type RunningWhmEmulator,
  type WhmAccountInput,
  type WhmAccountRecord,
  type WhmLimits,
  type WhmStateInput,
} from "../../src/emulator/whm/index.js";
import type { ProviderFactory } from "../../src/engine/providers.js";
import { CANCELLED_REASON_PREFIX, DEFAULT_SUSPEND_REASON, addDays } from "../../src/planner/index.js";
import type { Provider } from "../../src/providers/provider.js";
import { createProvider } from "../../src/providers/registry.js";
import { withStandardPath } from "../../src/providers/whm/endpoint.js";
import { ACCOUNT_KIND, WHM_PROVIDER } from "../../src/providers/whm/kinds.js";
import { WhmProvider } from "../../src/providers/whm/provider.js";
import { DAY, NOW, NOW_S, deletionDue, type Lifecycle } from "./convergence-scenario.js";

const TODAY = NOW.toISOString().slice(0, 10);
export const WHM_SERVERS = ["cp1", "cp2"] as const;
const MUTATING = Object.entries(WHM_FUNCTIONS)
  .filter(([, spec]) => spec.mutating)
  .map(([name]) => name);
export const SUPPORT_REASON = "support: abuse report";

// ---------- limits, plans and packages ----------

export const LIMIT_NAMES = ["disk_mb", "bandwidth_mb", "mailboxes", "databases", "ftp_accounts", "subdomains", "parked_domains", "addon_domains"] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];
export type Limit = number | "unlimited";
export type Limits = Partial<Record<LimitName, Limit>>;

/** Where the emulator keeps each limit: disk and bandwidth in MB, the rest as counts. */
export const RECORD_LIMIT: Readonly<Record<LimitName, keyof WhmLimits>> = {
  disk_mb: "quotaMb",
  bandwidth_mb: "bwlimitMb",
  mailboxes: "maxpop",
  databases: "maxsql",
  ftp_accounts: "maxftp",
  subdomains: "maxsub",
  parked_domains: "maxpark",
  addon_domains: "maxaddon",
};

/** Sizes, for which WHM reads 0 as "no limit" (src/providers/whm/limits.ts); for counts 0 is none. */
export function isSize(name: LimitName): boolean {
  return name === "disk_mb" || name === "bandwidth_mb";
}

export type WhmPlanName = "cp-default" | "cp-starter" | "cp-business";
export type PackageName = "default" | "starter" | "business";

interface WhmPlanSpec {
  pkg: PackageName;
  limits: Limits;
  shell: boolean | null;
}

/** The repository plans, on the emulator's default packages; each overrides some of its package's limits. */
export const WHM_PLANS: Readonly<Record<WhmPlanName, WhmPlanSpec>> = {
  "cp-default": { pkg: "default", limits: {}, shell: null },
  "cp-starter": { pkg: "starter", limits: { mailboxes: 20 }, shell: false },
  "cp-business": { pkg: "business", limits: { disk_mb: 30720, databases: 25, bandwidth_mb: "unlimited" }, shell: null },
};

/** Another package than the one an account should be on, for the "moved package" drift. */
const OTHER_PACKAGE: Readonly<Record<PackageName, PackageName>> = { default: "starter", starter: "business", business: "default" };

// ---------- the model a run's WHM servers are generated from ----------

export interface WhmInitial {
  /**
   * takeoverUser / takeoverDomain: the account has the user (the domain) that a new entry of the
   * same server wants, which the create must wait for (as a plain rename when there is none).
   */
  rename: "none" | "user" | "domain" | "both" | "takeoverUser" | "takeoverDomain";
  /**
   * The entry pins the account's uid: always when both were renamed, or its user is another
   * entry's (matched by user first, that entry would claim it); nothing else could match it.
   */
  pin: boolean;
  /** Which limit differs: an index among the managed ones (among all when none is managed); null: none. */
  limit: number | null;
  otherPackage: boolean;
  otherEmail: boolean;
  suspended: "no" | "support" | "siteform";
  daysAgo: number;
}

export interface AccountSpec {
  plan: WhmPlanName;
  /** The entry's own limits, over the plan's. */
  limits: Limits;
  shell: boolean | null;
  /** The entry manages the contact address. */
  email: boolean;
  state: "active" | "suspended" | "cancelled";
  cancelDue: boolean;
  offset: number;
  reason: boolean;
  protect: boolean;
  /** On the server at the start, and how it differs; null: not there. */
  initial: WhmInitial | null;
}

export interface UnmanagedAccount {
  pkg: PackageName;
  suspended: boolean;
  daysAgo: number;
}

export interface WhmServerSpec {
  concurrency: number;
  accounts: AccountSpec[];
  unmanaged: UnmanagedAccount[];
}

export interface WhmFaults {
  fail: number;
  drop: number;
  nul: number;
  form: FailForm;
  seed: number;
}

export interface WhmSide {
  servers: WhmServerSpec[];
  faults: WhmFaults | null;
}

const sizeArb: fc.Arbitrary<Limit> = fc.oneof(fc.integer({ min: 1, max: 50_000 }), fc.constant("unlimited" as const));
const countArb: fc.Arbitrary<Limit> = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 500 }), fc.constant("unlimited" as const));

const ownLimitsArb: fc.Arbitrary<Limits> = fc.record(
  {
    disk_mb: sizeArb,
    bandwidth_mb: sizeArb,
    mailboxes: countArb,
    databases: countArb,
    ftp_accounts: countArb,
    subdomains: countArb,
    parked_domains: countArb,
    addon_domains: countArb,
  },
  { requiredKeys: [] },
);

const initialArb: fc.Arbitrary<WhmInitial> = fc
  .record({
    rename: fc.constantFrom<WhmInitial["rename"]>("none", "none", "none", "user", "domain", "both", "takeoverUser", "takeoverDomain"),
    pin: fc.boolean(),
    limit: fc.option(fc.nat({ max: 7 }), { nil: null }),
    otherPackage: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
    otherEmail: fc.boolean(),
    suspended: fc.constantFrom<WhmInitial["suspended"]>("no", "no", "support", "siteform"),
    daysAgo: fc.integer({ min: 0, max: 60 }),
  })
  .map((i) => ({ ...i, pin: i.pin || i.rename === "both" || i.rename === "takeoverUser" }));

const accountArb: fc.Arbitrary<AccountSpec> = fc.record({
  plan: fc.constantFrom<WhmPlanName>("cp-default", "cp-starter", "cp-business"),
  limits: ownLimitsArb,
  shell: fc.option(fc.boolean(), { nil: null }),
  email: fc.integer({ min: 0, max: 3 }).map((n) => n !== 0),
  state: fc.constantFrom<AccountSpec["state"]>("active", "active", "suspended", "cancelled"),
  cancelDue: fc.boolean(),
  offset: fc.integer({ min: 0, max: 20 }),
  reason: fc.boolean(),
  protect: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  initial: fc.option(initialArb, { freq: 2, nil: null }),
});

const serverArb: fc.Arbitrary<WhmServerSpec> = fc.record({
  concurrency: fc.integer({ min: 1, max: 3 }),
  accounts: fc.array(accountArb, { minLength: 1, maxLength: 4 }),
  unmanaged: fc.array(fc.record({ pkg: fc.constantFrom<PackageName>("default", "starter", "business"), suspended: fc.boolean(), daysAgo: fc.integer({ min: 0, max: 60 }) }), { maxLength: 2 }),
});

export const whmSideArb: fc.Arbitrary<WhmSide> = fc.record({
  servers: fc.array(serverArb, { minLength: 1, maxLength: WHM_SERVERS.length }),
  faults: fc.option(
    fc.record({
      fail: fc.double({ min: 0, max: 0.25, noNaN: true }),
      drop: fc.double({ min: 0, max: 0.25, noNaN: true }),
      nul: fc.double({ min: 0, max: 0.15, noNaN: true }),
      form: fc.constantFrom(...FAIL_FORMS),
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    }),
    { freq: 3, nil: null },
  ),
});

/**
 * An account siteform is to delete (cancelled past its grace period) that support suspended is
 * kept by the provider on purpose (the reason is not siteform's), so such a run does not reach
 * an empty plan by design. Here those were suspended by siteform; the property is about the rest.
 */
export function withoutForeignSuspension(side: WhmSide, grace: number): WhmSide {
  const fix = (spec: AccountSpec): AccountSpec =>
    spec.initial?.suspended === "support" && deletionDue(lifecycle(spec, grace), grace) ? { ...spec, initial: { ...spec.initial, suspended: "siteform" } } : spec;
  return { ...side, servers: side.servers.map((s) => ({ ...s, accounts: s.accounts.map(fix) })) };
}

// ---------- names and lifecycles ----------

/** Past the grace boundary (the planner deletes it today) or not yet; the same rule as the ApisCP scenario's. */
function cancelledOn(spec: { cancelDue: boolean; offset: number }, grace: number): string {
  if (spec.cancelDue) return addDays(TODAY, -(grace + 1 + spec.offset));
  return grace > 0 ? addDays(TODAY, -(spec.offset % grace)) : addDays(TODAY, 1 + (spec.offset % 5));
}

export function lifecycle(spec: AccountSpec, grace: number): Lifecycle {
  return { state: spec.state, cancelledOn: spec.state === "cancelled" ? cancelledOn(spec, grace) : null, protect: spec.protect };
}

/** An account entry with the names and the uid it was given. */
export interface NamedAccount {
  spec: AccountSpec;
  life: Lifecycle;
  server: string;
  index: number;
  user: string;
  domain: string;
  /** Its account's uid at the start; null when the server does not have it. */
  uid: number | null;
  /** The user and domain its account has at the start; null when the server does not have it. */
  start: { user: string; domain: string } | null;
}

export interface NamedUnmanaged {
  spec: UnmanagedAccount;
  server: string;
  user: string;
  domain: string;
  uid: number;
}

// Users stay under 8 characters, so distinct users never share WHM's unique first 8.
const uidOf = (server: number, n: number): number => 2000 + 100 * server + n;

export function nameAccounts(side: WhmSide, grace: number): NamedAccount[] {
  return side.servers.flatMap((server, s) => {
    const named = server.accounts.map(
      (spec, n): NamedAccount => ({
        spec,
        life: lifecycle(spec, grace),
        server: WHM_SERVERS[s] as string,
        index: n,
        user: `c${s + 1}u${n}`,
        domain: `c${s + 1}-a${n}.example`,
        uid: spec.initial === null ? null : uidOf(s, n),
        start: null,
      }),
    );
    // Names an account can hand to a new entry: one taker each. A cancelled account is never
    // renamed, so it would keep the name for good (the planner refuses that: name-taken).
    const free = named.filter((a) => a.spec.initial === null && a.spec.state !== "cancelled");
    for (const a of named) a.start = startNames(a, a.spec.state === "cancelled" ? undefined : free);
    return named;
  });
}

function startNames(a: NamedAccount, free: NamedAccount[] | undefined): NamedAccount["start"] {
  const rename = a.spec.initial?.rename;
  if (rename === undefined) return null;
  const taker = rename === "takeoverUser" || rename === "takeoverDomain" ? free?.shift() : undefined;
  return {
    user: rename === "takeoverUser" ? (taker?.user ?? `o${a.user}`) : rename === "user" || rename === "both" ? `o${a.user}` : a.user,
    domain: rename === "takeoverDomain" ? (taker?.domain ?? `old-${a.domain}`) : rename === "domain" || rename === "both" ? `old-${a.domain}` : a.domain,
  };
}

export function nameUnmanaged(side: WhmSide): NamedUnmanaged[] {
  return side.servers.flatMap((server, s) =>
    server.unmanaged.map((spec, k) => ({ spec, server: WHM_SERVERS[s] as string, user: `x${s + 1}u${k}`, domain: `x${s + 1}-u${k}.example`, uid: uidOf(s, 50 + k) })),
  );
}

export const emailOf = (a: NamedAccount): string => `owner@${a.domain}`;
const suspendReasonOf = (a: NamedAccount): string => `unpaid invoice ${a.user}`;

/** What the inventory makes of an account's fields: the plan's limits and shell under the entry's own. */
export function desiredLimits(spec: AccountSpec): Limits {
  return { ...WHM_PLANS[spec.plan].limits, ...spec.limits };
}

export function desiredShell(spec: AccountSpec): boolean | null {
  return spec.shell ?? WHM_PLANS[spec.plan].shell;
}

export function packageOf(spec: AccountSpec): PackageName {
  return WHM_PLANS[spec.plan].pkg;
}

// ---------- the inventory, as YAML files ----------

/** siteform.yaml's entries for the WHM servers. */
export function whmServerConfigs(side: WhmSide, urls: readonly string[]): Record<string, object> {
  return Object.fromEntries(
    side.servers.map((server, s) => {
      const name = WHM_SERVERS[s] as string;
      const env = name.toUpperCase();
      return [name, { provider: WHM_PROVIDER, url: urls[s], key_env: `${env}_WHM_TOKEN`, user_env: `${env}_WHM_USER`, concurrency: server.concurrency }];
    }),
  );
}

/** The environment those servers name: each emulator's token and user. */
export function whmEnv(emulators: readonly RunningWhmEmulator[]): Record<string, string> {
  return Object.fromEntries(
    emulators.flatMap((e, s) => {
      const env = (WHM_SERVERS[s] as string).toUpperCase();
      return [
        [`${env}_WHM_TOKEN`, e.token],
        [`${env}_WHM_USER`, e.user],
      ];
    }),
  );
}

function entryOf(a: NamedAccount): Record<string, unknown> {
  const { spec } = a;
  const services = {
    ...(Object.keys(spec.limits).length > 0 && { limits: spec.limits }),
    ...(spec.shell !== null && { shell: { enabled: spec.shell } }),
  };
  return {
    // `kind:` is optional on a WHM server: half the entries say it.
    ...(a.index % 2 === 0 && { kind: ACCOUNT_KIND }),
    server: a.server,
    user: a.user,
    domain: a.domain,
    ...(spec.email && { email: emailOf(a) }),
    plan: spec.plan,
    ...(Object.keys(services).length > 0 && { services }),
    ...(spec.state !== "active" && { state: spec.state }),
    ...(spec.state === "cancelled" && { cancelled_on: a.life.cancelledOn }),
    ...(spec.state === "suspended" && spec.reason && { suspend_reason: suspendReasonOf(a) }),
    ...(spec.protect && { protect: true }),
    ...(spec.initial?.pin === true && a.uid !== null && { id: String(a.uid) }),
  };
}

export async function writeWhmInventory(dir: string, accounts: readonly NamedAccount[]): Promise<void> {
  await mkdir(join(dir, "plans"), { recursive: true });
  await mkdir(join(dir, "sites"), { recursive: true });
  for (const [name, plan] of Object.entries(WHM_PLANS)) {
    const services = {
      ...(Object.keys(plan.limits).length > 0 && { limits: plan.limits }),
      ...(plan.shell !== null && { shell: { enabled: plan.shell } }),
    };
    await writeFile(join(dir, "plans", `${name}.yaml`), stringify({ whm_package: plan.pkg, ...(Object.keys(services).length > 0 && { services }) }));
  }
  for (const a of accounts) await writeFile(join(dir, "sites", `whm-${a.server}-${a.index}.yaml`), stringify(entryOf(a)));
}

// ---------- the servers' starting state ----------

/** A limit changed so that it differs (0 and "unlimited" are distinct for counts, and a size is never 0). */
function drifted(value: Limit): Limit {
  if (value === "unlimited") return 100;
  return value === 0 ? "unlimited" : value + 7;
}

function siteformReason(a: NamedAccount): string {
  if (a.spec.state === "cancelled") return `${CANCELLED_REASON_PREFIX} on ${a.life.cancelledOn ?? TODAY}`;
  if (a.spec.state === "suspended" && a.spec.reason) return suspendReasonOf(a);
  return DEFAULT_SUSPEND_REASON;
}

function seedAccount(a: NamedAccount, initial: WhmInitial, start: { user: string; domain: string }): WhmAccountInput {
  const wanted = desiredLimits(a.spec);
  const limits: Partial<WhmLimits> = {};
  for (const [name, value] of Object.entries(wanted) as [LimitName, Limit][]) limits[RECORD_LIMIT[name]] = value;
  if (initial.limit !== null) {
    const managed = (Object.keys(wanted) as LimitName[]).sort();
    const names = managed.length > 0 ? managed : LIMIT_NAMES;
    const name = names[initial.limit % names.length] as LimitName;
    // An unmanaged limit that differs from the package's is not siteform's to change.
    limits[RECORD_LIMIT[name]] = drifted(wanted[name] ?? 77);
  }
  const shell = desiredShell(a.spec);
  const pkg = packageOf(a.spec);
  return {
    uid: a.uid ?? undefined,
    user: start.user,
    domain: start.domain,
    email: initial.otherEmail || !a.spec.email ? `old@${a.domain}` : emailOf(a),
    plan: initial.otherPackage ? OTHER_PACKAGE[pkg] : pkg,
    limits,
    ...(shell !== null && { hasshell: shell }),
    startdate: NOW_S - 400 * DAY,
    ...(initial.suspended !== "no" && {
      suspended: true,
      suspendreason: initial.suspended === "support" ? SUPPORT_REASON : siteformReason(a),
      suspendtime: NOW_S - initial.daysAgo * DAY,
    }),
  };
}

/** The starting state of one WHM server: its unmanaged accounts, and the entries' accounts it has. */
export function whmState(server: string, accounts: readonly NamedAccount[], unmanaged: readonly NamedUnmanaged[]): WhmStateInput {
  return {
    accounts: [
      ...unmanaged
        .filter((u) => u.server === server)
        .map(
          (u): WhmAccountInput => ({
            uid: u.uid,
            user: u.user,
            domain: u.domain,
            email: `someone@${u.domain}`,
            plan: u.spec.pkg,
            startdate: NOW_S - 400 * DAY,
            ...(u.spec.suspended && { suspended: true, suspendreason: SUPPORT_REASON, suspendtime: NOW_S - u.spec.daysAgo * DAY }),
          }),
        ),
      ...accounts.flatMap((a) => (a.server === server && a.spec.initial !== null && a.start !== null ? [seedAccount(a, a.spec.initial, a.start)] : [])),
    ],
  };
}

/** The shared fault knobs on every mutating WHM function. */
export function whmKnobs(faults: WhmFaults | null): Partial<Knobs> {
  if (faults === null) return {};
  const each = <T>(value: T): Record<string, T> => Object.fromEntries(MUTATING.map((m) => [m, value]));
  return { failProbability: each(faults.fail), failForm: each(faults.form), dropAfterWork: each(faults.drop), returnNull: each(faults.nul) };
}

// ---------- a tap in front of the emulator ----------

/** A mutating call as it reached the emulator. */
export interface TappedCall {
  fn: string;
  /** The user the call names (`username` for createacct and removeacct, else `user`). */
  user: string;
  /** The emulator's clock when the call arrived (unix seconds). */
  at: number;
  /** The account the call named, as it was when the call arrived; null when there was none. */
  account: WhmAccountRecord | null;
  /** createacct only: its user or its domain already belonged to an account when it arrived. */
  taken: boolean;
}

export interface WhmTap {
  /** Where the client is to send its calls instead of the emulator. */
  url: string;
  calls: TappedCall[];
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of a WHM emulator that writes down every mutating call
 * with the account it named as that account was when the call arrived, so a test sees what the
 * server was sent (a createacct for an account that exists: a create sent twice; a removeacct
 * and the suspension it deleted), whatever answer the client got. The emulator keeps no such
 * log (its call log only counts), and the emulator stays the real one: the tap forwards the
 * request unchanged (the Authorization header included, never recorded) and the answer as it
 * comes, and when the emulator drops the connection the tap drops the client's too.
 */
export async function tapWhm(emulator: RunningWhmEmulator, clock: () => number): Promise<WhmTap> {
  const calls: TappedCall[] = [];
  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? "/", emulator.origin);
    const fn = target.pathname.slice(target.pathname.lastIndexOf("/") + 1);
    if (isWhmFunction(fn) && WHM_FUNCTIONS[fn].mutating) calls.push(tapped(emulator, fn, target.searchParams, clock()));
    const headers: http.OutgoingHttpHeaders = {};
    for (const name of ["authorization", "accept", "user-agent"]) if (req.headers[name] !== undefined) headers[name] = req.headers[name];
    // A fresh connection per call: a pooled one gone stale would look like a dropped answer the emulator never gave.
    const upstream = http.request(target, { method: req.method, headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { "content-type": answer.headers["content-type"] ?? "application/json" });
      answer.on("error", () => res.destroy());
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${new URL(emulator.url).pathname}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function tapped(emulator: RunningWhmEmulator, fn: string, params: URLSearchParams, at: number): TappedCall {
  const user = (params.get("username") ?? params.get("user") ?? "").toLowerCase();
  const accounts = emulator.accounts();
  const domain = (params.get("domain") ?? "").toLowerCase();
  return {
    fn,
    user,
    at,
    account: accounts.find((a) => a.user === user) ?? null,
    taken: fn === "createacct" && accounts.some((a) => a.user === user || (domain !== "" && a.domain === domain)),
  };
}

// ---------- the providers apply uses ----------

/**
 * The providers `apply` uses here. WHM checks nothing before removeacct, so the WHM provider
 * measures a deletion's grace period on its own clock, while the account's suspendtime comes from
 * the server's: the test moves time on for both, so the provider gets the emulators' clock (its
 * `now` option; otherwise it is made as the whm module makes it). Every provider reads back a
 * lost answer for `readBackMs` instead of its per-call timeout: the emulators answer in
 * milliseconds, and a create whose request was reset is never seen however long one waits.
 */
export function applyProviders(clock: () => number, readBackMs: number): ProviderFactory {
  return (server, env) => {
    let provider: Provider;
    if (server.provider === WHM_PROVIDER) {
      const user = server.userEnv === null ? undefined : env[server.userEnv];
      const token = env[server.keyEnv];
      if (user === undefined || token === undefined) throw new Error(`server "${server.name}": the test's environment lacks its token or user`);
      provider = new WhmProvider({
        server: server.name,
        keyEnv: server.keyEnv,
        userEnv: server.userEnv ?? undefined,
        connection: { url: withStandardPath(server.url), user, token, insecureTls: server.insecureTls, timeoutMs: server.timeoutSeconds * 1000 },
        now: () => clock() * 1000,
      });
    } else {
      provider = createProvider(server, env);
    }
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
