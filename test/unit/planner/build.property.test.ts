/**
 * Properties of whole plans over random inventories and random, fault-free server states
 * (sites missing, drifted, renamed, suspended or activated by hand, unmanaged sites, invoice
 * groups, noisy answers): op ids are unique, the list respects dependsOn, nothing protected or
 * kept is deleted, unmanaged sites are untouched unless the server prunes, and a server that
 * already holds the inventory gets no op and no refusal.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DesiredResource, Inventory, LifecycleState, ObservedResource, ObservedServer, Plan } from "../../../src/model/index.js";
import { valueAt } from "../../../src/kinds/values.js";
import { TODAY, codes, desired, inventory, observedOf, observedServer, patchObserved, plan, respectsDependsOn, stranger } from "./helpers.js";
import { addDays } from "../../../src/planner/index.js";

const SERVERS = ["fra1", "ams1"] as const;

interface SiteGen {
  server: 0 | 1;
  state: LifecycleState;
  /** Days before today the site was cancelled: within the 30-day grace or past it. */
  cancelledDaysAgo: number;
  protect: boolean;
  pinned: boolean;
  plan: "basic" | "business";
  quota: number | null;
  aliases: number | null;
  email: "one" | "list";
  /** In a group with the site before it (same server), as a child. */
  grouped: boolean;
}

const siteGen: fc.Arbitrary<SiteGen> = fc.record({
  server: fc.constantFrom<0 | 1>(0, 1),
  state: fc.constantFrom<LifecycleState>("active", "active", "active", "suspended", "cancelled"),
  cancelledDaysAgo: fc.integer({ min: 0, max: 60 }),
  protect: fc.boolean(),
  pinned: fc.boolean(),
  plan: fc.constantFrom<"basic" | "business">("basic", "business"),
  quota: fc.option(fc.constantFrom(1, 5, 25), { nil: null }),
  aliases: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
  email: fc.constantFrom<"one" | "list">("one", "list"),
  grouped: fc.boolean(),
});

/** What the server did to a desired site (for a cancelled one: whether it is still there, and how). */
interface Fate {
  present: boolean;
  active: boolean;
  renameDomain: boolean;
  renameUser: boolean;
  quotaDrift: boolean;
  aliasDrift: boolean;
  planDrift: boolean;
  noisy: boolean;
  /** With renameDomain: take another desired site's domain instead of an old one of its own, if no other site has it. */
  steal: number | null;
}

const fateGen: fc.Arbitrary<Fate> = fc.record({
  present: fc.boolean(),
  active: fc.boolean(),
  renameDomain: fc.boolean(),
  renameUser: fc.boolean(),
  quotaDrift: fc.boolean(),
  aliasDrift: fc.boolean(),
  planDrift: fc.boolean(),
  noisy: fc.boolean(),
  steal: fc.option(fc.nat(), { nil: null, freq: 3 }),
});

const strangerGen = fc.record({ server: fc.constantFrom<0 | 1>(0, 1), active: fc.boolean(), invoice: fc.constantFrom<"none" | "parent" | "child">("none", "parent", "child") });

interface World {
  sites: Array<[SiteGen, Fate]>;
  strangers: Array<{ server: 0 | 1; active: boolean; invoice: "none" | "parent" | "child" }>;
  prune: [boolean, boolean];
  maxDeletes: number;
  allowDeletes: number | null;
}

const worldGen: fc.Arbitrary<World> = fc.record({
  sites: fc.array(fc.tuple(siteGen, fateGen), { maxLength: 10 }),
  strangers: fc.array(strangerGen, { maxLength: 4 }),
  prune: fc.tuple(fc.boolean(), fc.boolean()),
  maxDeletes: fc.integer({ min: 0, max: 4 }),
  allowDeletes: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
});

/** Desired sites with unique names per index; a grouped site joins the group of the site before it when on the same server. */
function desiredSites(world: World): DesiredResource[] {
  const out: DesiredResource[] = [];
  const groupOf: Array<string | null> = [];
  world.sites.forEach(([g], i) => {
    const server = SERVERS[g.server];
    const previous = out[i - 1];
    let group: { invoice: string; role: "parent" | "child" } | undefined;
    if (g.grouped && previous !== undefined && previous.server === server && groupOf[i - 1] !== null) {
      group = { invoice: groupOf[i - 1] as string, role: "child" };
    } else if (g.grouped) {
      group = { invoice: `INV-${i}`, role: "parent" };
    }
    groupOf.push(group?.invoice ?? null);
    out.push(
      desired({
        domain: `site${i}.example`,
        adminUser: `user${i}`,
        server,
        plan: g.plan,
        email: g.email === "one" ? `owner@site${i}.example` : [`a@site${i}.example`, `b@site${i}.example`],
        ...(group === undefined ? { invoice: `INV-S${i}` } : { group }),
        aliases: g.aliases === null ? null : Array.from({ length: g.aliases }, (_, k) => `a${i}-${k}.example`),
        state: g.state,
        cancelledOn: addDays(TODAY, -g.cancelledDaysAgo),
        protect: g.protect,
        ...(g.pinned ? { id: `site${100 + i}` } : {}),
        services: g.quota === null ? {} : { diskquota: { quota: g.quota, units: "GB" } },
      }),
    );
  });
  return out;
}

/** The server's version of a desired site, in the server's noisy shapes when `noisy`. */
function served(d: DesiredResource, id: string, fate: Fate, active: boolean): ObservedResource {
  const base = observedOf(d, id, { state: active ? "active" : "suspended" });
  if (!fate.noisy) return base;
  const quota = valueAt(d.fields, "diskquota.quota");
  const email = valueAt(d.fields, "siteinfo.email");
  const aliases = valueAt(d.fields, "aliases.aliases");
  return patchObserved(base, {
    fields: {
      siteinfo: { domain: d.name.toUpperCase(), email: Array.isArray(email) ? [...(email as string[])] : [email as string] },
      ...(Array.isArray(aliases) ? { aliases: { aliases: [...(aliases as string[])].reverse().map((a) => a.toUpperCase()) } } : {}),
      ...(typeof quota === "number" ? { diskquota: { quota: String(quota * 1024), units: "MB" } } : {}),
    },
  });
}

/**
 * A drifted server: what each fate says, plus unmanaged sites. With `steal`, a renamed site
 * holds another desired site's domain (never one a second observed site has: a server's
 * domains are unique), so names must be freed in order, or are refused.
 */
function driftedServers(world: World, sites: readonly DesiredResource[], steal: boolean): ObservedServer[] {
  const byServer: ObservedResource[][] = [[], []];
  let next = 1;
  const held = new Set<string>();
  world.sites.forEach(([, fate], i) => {
    if (fate.present) held.add(fate.renameDomain ? `old${i}.example` : `site${i}.example`);
  });
  world.sites.forEach(([g, fate], i) => {
    const d = sites[i] as DesiredResource;
    if (!fate.present) return;
    const id = d.pinnedId ?? `site${next++}`;
    let o = served(d, id, fate, fate.active);
    // Both names changed without a pin is a different site to the planner; keep one of them.
    const renameUser = fate.renameUser && (!fate.renameDomain || d.pinnedId !== null);
    if (fate.renameDomain) {
      const target = steal && fate.steal !== null && sites.length > 1 ? sites[(i + 1 + (fate.steal % (sites.length - 1))) % sites.length] : undefined;
      // Only within one server: a domain on another server is a moved site, which is refused.
      if (target !== undefined && target.server === d.server && !held.has(target.name)) {
        held.delete(`old${i}.example`);
        held.add(target.name);
        o = patchObserved(o, { fields: { siteinfo: { domain: target.name } } });
      } else {
        o = patchObserved(o, { fields: { siteinfo: { domain: `old${i}.example` } } });
      }
    }
    if (renameUser) o = patchObserved(o, { fields: { siteinfo: { admin_user: `olduser${i}` } } });
    if (fate.quotaDrift) o = patchObserved(o, { fields: { diskquota: { quota: 3, units: "GB" } } });
    if (fate.aliasDrift) o = patchObserved(o, { fields: { aliases: { aliases: [`a${i}-9.example`] } } });
    if (fate.planDrift) o = patchObserved(o, { fields: { siteinfo: { plan: d.plan?.template === "basic" ? "business" : "basic" } } });
    byServer[g.server]?.push(o);
  });
  world.strangers.forEach((s, j) => {
    const billing: Record<string, Record<string, string>> = s.invoice === "parent" ? { billing: { invoice: "INV-X" } } : s.invoice === "child" ? { billing: { parent_invoice: "INV-X" } } : {};
    byServer[s.server]?.push(stranger(`site${next++}`, `x${j}.example`, { server: SERVERS[s.server], state: s.active ? "active" : "suspended", fields: { siteinfo: { admin_user: `xuser${j}` }, ...billing } }));
  });
  return SERVERS.map((name, k) => observedServer(name, byServer[k] ?? []));
}

/** Servers that already hold the inventory: every site as desired, cancelled ones gone or still suspended in their grace. */
function settledServers(world: World, sites: readonly DesiredResource[], withStrangers: boolean): ObservedServer[] {
  const byServer: ObservedResource[][] = [[], []];
  let next = 1;
  world.sites.forEach(([g, fate], i) => {
    const d = sites[i] as DesiredResource;
    const id = d.pinnedId ?? `site${next++}`;
    if (d.state === "cancelled") {
      const inGrace = g.cancelledDaysAgo < 30;
      if (fate.present && (d.protect || inGrace)) byServer[g.server]?.push(served(d, id, fate, false));
      return;
    }
    byServer[g.server]?.push(served(d, id, fate, d.state === "active"));
  });
  if (withStrangers) {
    world.strangers.forEach((s, j) => {
      // Unmanaged sites stay only where nothing prunes them.
      if (!world.prune[s.server]) byServer[s.server]?.push(stranger(`site${next++}`, `x${j}.example`, { server: SERVERS[s.server], state: s.active ? "active" : "suspended", fields: { siteinfo: { admin_user: `xuser${j}` } } }));
    });
  }
  return SERVERS.map((name, k) => observedServer(name, byServer[k] ?? []));
}

function inventoryOf(world: World, sites: DesiredResource[]): Inventory {
  return inventory(sites, {
    servers: SERVERS.map((name, k) => (world.prune[k] ? `${name}!` : name)),
    policy: { maxDeletes: world.maxDeletes },
  });
}

function planWorld(world: World, observed: ObservedServer[]): Plan {
  const sites = desiredSites(world);
  return plan(inventoryOf(world, sites), observed, { servers: [...SERVERS], allowDeletes: world.allowDeletes });
}

describe("plans over random fleets", () => {
  it("have unique ids, respect dependsOn, delete nothing kept or protected, and leave unmanaged sites alone without prune", () => {
    fc.assert(
      fc.property(worldGen, (world) => {
        const sites = desiredSites(world);
        const p = planWorld(world, driftedServers(world, sites, false));
        expect(codes(p)).not.toContain("order-cycle");
        expect(codes(p)).not.toContain("name-taken");
        expect(codes(p)).not.toContain("ambiguous-match");
        expect(codes(p)).not.toContain("server-moved");
        expectInvariants(world, sites, p);
      }),
      { numRuns: 300 },
    );
  });

  it("keep those invariants when sites hold each other's names, where no cycle refuses the plan", () => {
    fc.assert(
      fc.property(worldGen, (world) => {
        const sites = desiredSites(world);
        const p = planWorld(world, driftedServers(world, sites, true));
        if (codes(p).includes("order-cycle")) return;
        expectInvariants(world, sites, p);
      }),
      { numRuns: 300 },
    );
  });

  it("are empty, with nothing refused, once the servers hold the inventory", () => {
    fc.assert(
      fc.property(worldGen, fc.boolean(), (world, withStrangers) => {
        const sites = desiredSites(world);
        const p = planWorld(world, settledServers(world, sites, withStrangers));
        expect(p.ops.map((o) => o.id)).toEqual([]);
        expect(p.diagnostics).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

/** Ids unique, dependsOn respected, nothing kept or protected deleted, unmanaged sites touched only by prune. */
function expectInvariants(world: World, sites: readonly DesiredResource[], p: Plan): void {
  const all = p.ops.map((o) => o.id);
  expect(new Set(all).size).toBe(all.length);
  expect(respectsDependsOn(p)).toBe(true);
  const byKey = new Map(sites.map((d) => [d.key, d]));
  for (const op of p.ops) {
    const d = op.target.key === null ? null : byKey.get(op.target.key);
    if (op.action === "delete") {
      if (d === undefined) throw new Error(`op ${op.id} names an unknown site`);
      if (d !== null) {
        expect(d.state).toBe("cancelled");
        expect(d.protect).toBe(false);
      }
    }
    if (op.target.key === null) {
      const k = SERVERS.indexOf(op.server as (typeof SERVERS)[number]);
      expect(world.prune[k]).toBe(true);
      expect(["suspend", "delete"]).toContain(op.action);
    }
  }
  // Every op counted where it is.
  expect(p.summary.total).toBe(p.ops.length);
}
