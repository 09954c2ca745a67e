/**
 * The BILLmanager provider against the real BILLmanager emulator, made through the module as the
 * commands make it: collect (one list per item type), ordering a server and a licence and
 * finding them again by remoteid, a lost order answer (an unknown outcome, exactly one order,
 * found by reading back, never ordered again), edits of auto-renewal and add-ons, a refused
 * tariff change, suspend and resume, a renewal that previews and then charges, a balance that
 * does not cover an order or a renewal (refused, nothing charged), a deletion re-checked against
 * the history right before the call, a processing service read as transitional, and the
 * password and session id in no message. Then plan → apply → plan through the real planner and
 * applier: ordered once and never again, renewed when the expiry comes closer than asked, and
 * a cancelled service suspended and its early deletion refused. One fresh emulator per test.
 */
import { describe, expect, it } from "vitest";
import { applyPlan, deletionRulesFor, paidRulesFor } from "../../src/applier/index.js";
import { startBillmgrEmulator, type BillmgrEmulatorOptions, type BillmgrServiceInput, type RunningBillmgrEmulator } from "../../src/emulator/billmgr/index.js";
import { checkInventory } from "../../src/inventory/index.js";
import { Catalogue } from "../../src/kinds/catalogue.js";
import type { FieldChange, Op, OpAction, OpFlags } from "../../src/model/op.js";
import type { ServerConfig } from "../../src/model/server-config.js";
import { CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX, buildPlan } from "../../src/planner/index.js";
import { BILLMGR } from "../../src/providers/billmgr/module.js";
import { BillmgrProvider } from "../../src/providers/billmgr/provider.js";
import { ProviderError, type Provider } from "../../src/providers/provider.js";
import { testServer } from "../support/provider-fixture.js";
import { cleanupsAfterEach } from "../support/cleanups.js";

const serverConfig = (url: string, extra: Partial<ServerConfig> = {}): ServerConfig => testServer("bm1", "billmgr", url, { keyEnv: PASSWORD_ENV, userEnv: USER_ENV }, extra);

const USER_ENV = "BM1_USER";
const PASSWORD_ENV = "BM1_PASSWORD";
const SERVICE = "billmgr/service";
const LICENSE = "billmgr/license";
const DAY_MS = 86_400_000;

const cleanups = cleanupsAfterEach();


interface Fixture {
  emu: RunningBillmgrEmulator;
  provider: Provider;
}

async function fixture(options: BillmgrEmulatorOptions = {}, password?: string): Promise<Fixture> {
  const emu = await startBillmgrEmulator({ processingSteps: 0, ...options });
  cleanups.push(() => emu.stop());
  const provider = BILLMGR.create(serverConfig(emu.url), { [USER_ENV]: emu.user, [PASSWORD_ENV]: password ?? emu.password });
  cleanups.push(() => provider.close());
  return { emu, provider };
}

const set = (field: string, after: FieldChange["after"], before: FieldChange["before"] = null): FieldChange => ({ field, before, after });

function op(kind: string, action: OpAction, target: { id: string | null; name: string }, changes: FieldChange[] = [], flags: OpFlags = {}): Op {
  return {
    id: `bm1:${action}:${target.name}`,
    server: "bm1",
    kind,
    action,
    target: { ...target, key: `services/${target.name}.yaml`, source: null },
    changes,
    flags,
    dependsOn: [],
    preconditions: { exists: action !== "create", id: target.id, fields: {} },
    reason: "test",
    notes: [],
  };
}

const VDS_ORDER: FieldChange[] = [
  set("service.name", "shop-vps"),
  set("service.itemtype", "vds"),
  set("service.tariff", 12),
  set("service.datacenter", 1),
  set("service.period", 1),
  set("service.domain", "shop.example"),
  set("service.os_template", "ISPsystem__Debian-12-x86_64"),
  set("service.autoprolong", "off"),
  set("addons.addon_22", 2),
];

const LICENCE_ORDER: FieldChange[] = [
  set("license.name", "cl-web1"),
  set("license.tariff", 14),
  set("license.period", 1),
  set("license.licname", "web1.example"),
  set("license.ip", "203.0.113.5"),
  set("license.autoprolong", 1),
];

const SERVICE_FIELDS = [
  "service.tariff",
  "service.datacenter",
  "service.os_template",
  "service.autoprolong",
  "addons.addon_22",
  "renewal.paid_until",
  "status.ip",
  "status.cost",
];

/** `YYYY-MM-DD HH:MM:SS`, UTC, as BILLmanager's history writes it. */
function historyDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A running vds siteform ordered (remoteid `shop-vps`), with the history the test gives. */
function vds(extra: Partial<BillmgrServiceInput> = {}): BillmgrServiceInput {
  return { id: 101, itemtype: "vds", pricelist: 12, domain: "shop.example", ip: "198.51.100.102", remoteid: "shop-vps", ...extra };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe("BillmgrProvider: reading", () => {
  it("collects both kinds with one list per item type, named by remoteid, state from item_status", async () => {
    const { emu, provider } = await fixture({
      state: {
        services: [
          vds({ expiredate: "2027-01-15", autoprolong: 3, addons: { "22": 4 } }),
          { id: 102, itemtype: "vhost", pricelist: 11, domain: "legacy.example", item_status: 3 },
          { id: 103, itemtype: "softexternal", pricelist: 14, ip: "203.0.113.7", licname: "web7.example", remoteid: "cl-web7" },
          { id: 104, itemtype: "dedic", pricelist: 13, domain: "gone.example", remoteid: "old-box", item_status: 4 },
        ],
      },
    });
    const observed = await provider.collect({ fields: { [SERVICE]: ["service.autoprolong", "renewal.paid_until"], [LICENSE]: ["license.ip", "license.licname"] } });
    if (!observed.ok) throw new Error(observed.error);
    expect(observed.resources.map((r) => [r.id, r.kind, r.name, r.state])).toEqual([
      ["101", SERVICE, "shop-vps", "active"],
      ["102", SERVICE, "legacy.example", "suspended"],
      ["103", LICENSE, "cl-web7", "active"],
      ["104", SERVICE, "old-box", "gone"],
    ]);
    expect(observed.resources[0]!.fields).toEqual({
      service: { name: "shop-vps", itemtype: "vds", domain: "shop.example", autoprolong: 3 },
      renewal: { paid_until: "2027-01-15" },
    });
    // Someone else's service has no siteform name.
    expect(observed.resources[1]!.fields.service).toEqual({ itemtype: "vhost", domain: "legacy.example", autoprolong: "off" });
    expect(observed.resources[2]!.fields).toEqual({ license: { name: "cl-web7", ip: "203.0.113.7", licname: "web7.example" } });
    expect(observed.templates).toEqual({ [SERVICE]: [], [LICENSE]: [] });
    // Nothing asked needed an edit form: one list per item type.
    expect(emu.calls.byMethod()).toEqual({ auth: 1, vhost: 1, vds: 1, dedic: 1, softexternal: 1 });
  });

  it("reads the tariff, datacenter, OS template and add-ons from the edit form only when they are asked", async () => {
    const { emu, provider } = await fixture({ state: { services: [vds({ ostempl: "ISPsystem__Debian-12-x86_64", addons: { "22": 4 } })] } });
    const found = await provider.readResource({ kind: SERVICE, id: null, name: "shop-vps", fields: SERVICE_FIELDS });
    expect(found?.fields).toMatchObject({
      service: { tariff: 12, datacenter: 1, os_template: "ISPsystem__Debian-12-x86_64", autoprolong: "off" },
      addons: { addon_22: 4 },
      status: { ip: "198.51.100.102", cost: "28.00" },
    });
    expect(emu.calls.count("vds.edit")).toBe(1);
    expect(await provider.readResource({ kind: SERVICE, id: "999", name: "nothing", fields: [] })).toBeNull();
  });

  it("waits for a new order to be set up, and reports it active", async () => {
    const { provider } = await fixture({ processingSteps: 2 });
    const result = await provider.execute(op(SERVICE, "create", { id: null, name: "shop-vps" }, VDS_ORDER));
    expect(result.note).toMatch(/^ordered as service \d+: active$/);
    expect((await provider.readResource({ kind: SERVICE, id: result.id, name: "shop-vps", fields: [] }))?.state).toBe("active");
  });

  it("reports an order still being processed after its wait, and reads it as transitional", async () => {
    const emu = await startBillmgrEmulator({ processingSteps: 1000 });
    cleanups.push(() => emu.stop());
    // A short call timeout bounds the wait for the set-up.
    const provider = BILLMGR.create({ ...serverConfig(emu.url), timeoutSeconds: 1 }, { [USER_ENV]: emu.user, [PASSWORD_ENV]: emu.password });
    cleanups.push(() => provider.close());
    const result = await provider.execute(op(SERVICE, "create", { id: null, name: "shop-vps" }, VDS_ORDER));
    expect(result.note).toMatch(/still (registering the order|processing it) \(item_status [15]\); the next plan waits for it to settle/);
    expect((await provider.readResource({ kind: SERVICE, id: result.id, name: "shop-vps", fields: [] }))?.state).toBe("transitional");
    expect(emu.orders()).toHaveLength(1);
  });

  it("has no templates", async () => {
    const { provider } = await fixture();
    const err = await failure(provider.templateDefaults(SERVICE, "anything"));
    expect(err.kind).toBe("rejected");
    expect(err.message).toContain("BILLmanager kinds have no templates");
  });
});

describe("BillmgrProvider: ordering", () => {
  it("orders a vds and a licence, charged to the balance, and finds them again by remoteid", async () => {
    const { emu, provider } = await fixture();
    const before = emu.balance();
    const server = await provider.execute(op(SERVICE, "create", { id: null, name: "shop-vps" }, VDS_ORDER));
    const licence = await provider.execute(op(LICENSE, "create", { id: null, name: "cl-web1" }, LICENCE_ORDER));
    expect(server.id).toMatch(/^\d+$/);
    expect(licence.id).toMatch(/^\d+$/);
    expect(emu.services().map((s) => [String(s.id), s.itemtype, s.remoteid])).toEqual([
      [server.id, "vds", "shop-vps"],
      [licence.id, "softexternal", "cl-web1"],
    ]);
    expect(emu.services()[0]).toMatchObject({ domain: "shop.example", ostempl: "ISPsystem__Debian-12-x86_64", autoprolong: null, addons: { "22": 2 } });
    expect(emu.orders().map((o) => o.kind)).toEqual(["order", "order"]);
    expect(emu.balance()).toBeLessThan(before);

    const [foundServer, foundLicence] = await provider.readResources([
      { kind: SERVICE, id: null, name: "shop-vps", fields: SERVICE_FIELDS },
      { kind: LICENSE, id: null, name: "cl-web1", fields: ["license.tariff", "license.ip", "license.licname", "license.autoprolong"] },
    ]);
    expect(foundServer).toMatchObject({ id: server.id, name: "shop-vps", state: "active", fields: { service: { tariff: 12, itemtype: "vds", autoprolong: "off" }, addons: { addon_22: 2 } } });
    expect(foundLicence).toMatchObject({ id: licence.id, name: "cl-web1", state: "active", fields: { license: { tariff: 14, ip: "203.0.113.5", licname: "web1.example", autoprolong: 1 } } });
  });

  it("leaves a lost order answer an unknown outcome, with exactly one order placed and never a second", async () => {
    const { emu, provider } = await fixture({ knobs: { dropAfterWork: { "v2.vds.order.param": 1 } } });
    const create = op(SERVICE, "create", { id: null, name: "shop-vps" }, VDS_ORDER);
    const err = await failure(provider.execute(create));
    expect(err.kind).toBe("unknown-outcome");
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/^bm1: create shop-vps: /);
    expect(emu.calls.count("v2.vds.order.param")).toBe(1);
    expect(emu.orders()).toHaveLength(1);

    // The applier reads back by name: the service is there.
    const found = await provider.readResource({ kind: SERVICE, id: null, name: "shop-vps", fields: [] });
    expect(found?.id).toBe(String(emu.services()[0]!.id));

    // Sent again (a retry), the create finds the service holding the name and orders nothing.
    emu.setKnobs({ dropAfterWork: {} });
    const again = await provider.execute(create);
    expect(again.id).toBe(found?.id);
    expect(again.note).toContain("not ordered again");
    expect(emu.calls.count("v2.vds.order.param")).toBe(1);
    expect(emu.orders()).toHaveLength(1);
  });

  it("refuses an order the balance does not cover, and charges nothing", async () => {
    const { emu, provider } = await fixture({ state: { balance: 5 } });
    const err = await failure(provider.execute(op(SERVICE, "create", { id: null, name: "shop-vps" }, VDS_ORDER)));
    expect(err.kind).toBe("rejected");
    expect(err.message).toContain("top up the account's balance");
    expect(emu.balance()).toBe(5);
    expect(emu.services()).toEqual([]);
    expect(emu.orders()).toEqual([]);
  });
});

describe("BillmgrProvider: changes", () => {
  it("edits auto-renewal and an add-on (the add-on's increase is charged)", async () => {
    const { emu, provider } = await fixture({ state: { services: [vds({ expiredate: day(Date.now() + 20 * DAY_MS) })] } });
    const before = emu.balance();
    const result = await provider.execute(op(SERVICE, "update", { id: "101", name: "shop-vps" }, [set("service.autoprolong", 3, "off"), set("addons.addon_22", 2, 0)]));
    expect(result.id).toBe("101");
    expect(emu.services()[0]).toMatchObject({ autoprolong: 3, addons: { "22": 2 } });
    expect(emu.balance()).toBeLessThan(before);

    await provider.execute(op(SERVICE, "update", { id: "101", name: "shop-vps" }, [set("service.autoprolong", "off", 3)]));
    expect(emu.services()[0]!.autoprolong).toBeNull();
  });

  it("edits a licence's name and IP, and re-tags a service with a new name", async () => {
    const { emu, provider } = await fixture({ state: { services: [{ id: 103, itemtype: "softexternal", pricelist: 14, ip: "203.0.113.7", licname: "web7.example", remoteid: "cl-web7" }] } });
    await provider.execute(op(LICENSE, "update", { id: "103", name: "cl-web7" }, [set("license.ip", "203.0.113.8", "203.0.113.7"), set("license.licname", "web8.example", "web7.example"), set("license.name", "cl-web8", "cl-web7")]));
    expect(emu.services()[0]).toMatchObject({ ip: "203.0.113.8", licname: "web8.example", remoteid: "cl-web8" });
  });

  it("refuses a tariff change clearly, before any call", async () => {
    const { emu, provider } = await fixture({ state: { services: [vds()] } });
    emu.calls.reset();
    const err = await failure(provider.execute(op(SERVICE, "update", { id: "101", name: "shop-vps" }, [set("service.tariff", 99, 12)])));
    expect(err.kind).toBe("rejected");
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("changing a tariff is not supported; order a new service");
    expect(emu.calls.total).toBe(0);
  });

  it("suspends and resumes", async () => {
    const { emu, provider } = await fixture({ state: { services: [vds()] } });
    await provider.execute(op(SERVICE, "suspend", { id: "101", name: "shop-vps" }));
    expect(emu.services()[0]!.item_status).toBe(3);
    expect((await provider.readResource({ kind: SERVICE, id: "101", name: "shop-vps", fields: [] }))?.state).toBe("suspended");
    await provider.execute(op(SERVICE, "activate", { id: "101", name: "shop-vps" }));
    expect(emu.services()[0]!.item_status).toBe(2);
  });
});

describe("BillmgrProvider: renewal", () => {
  it("previews, then renews: the expiry moves and the balance pays for it", async () => {
    const expiry = day(Date.now() + 10 * DAY_MS);
    const wanted = day(Date.now() + 30 * DAY_MS);
    const { emu, provider } = await fixture({ state: { services: [vds({ expiredate: expiry })] } });
    const before = emu.balance();
    const result = await provider.execute(op(SERVICE, "renew", { id: "101", name: "shop-vps" }, [set("renewal.paid_until", wanted, expiry)]));
    const after = emu.services()[0]!.expiredate;
    expect(after >= wanted).toBe(true);
    expect(result.note).toContain(`paid until ${expiry} → ${after}`);
    expect(emu.orders().map((o) => [o.kind, o.period])).toEqual([["prolong", 1]]);
    expect(emu.balance()).toBe(before - emu.orders()[0]!.amount);
    expect(emu.calls.count("service.prolong")).toBe(2);
  });

  it("does not renew a service already paid far enough (a retry never pays twice)", async () => {
    const expiry = day(Date.now() + 40 * DAY_MS);
    const { emu, provider } = await fixture({ state: { services: [vds({ expiredate: expiry })] } });
    const result = await provider.execute(op(SERVICE, "renew", { id: "101", name: "shop-vps" }, [set("renewal.paid_until", day(Date.now() + 30 * DAY_MS), day(Date.now() + 10 * DAY_MS))]));
    expect(result.note).toContain(`already paid until ${expiry}`);
    expect(emu.calls.count("service.prolong")).toBe(0);
    expect(emu.orders()).toEqual([]);
  });

  it("refuses a renewal that cannot reach the wanted date, and charges nothing", async () => {
    const expiry = day(Date.now() + 10 * DAY_MS);
    const { emu, provider } = await fixture({ state: { services: [vds({ expiredate: expiry })] } });
    const before = emu.balance();
    const err = await failure(provider.execute(op(SERVICE, "renew", { id: "101", name: "shop-vps" }, [set("renewal.paid_until", day(Date.now() + 4000 * DAY_MS), expiry)])));
    expect(err.kind).toBe("rejected");
    expect(emu.balance()).toBe(before);
    expect(emu.orders()).toEqual([]);
    expect(emu.services()[0]!.expiredate).toBe(expiry);
  });

  it("refuses a renewal the balance does not cover, and charges nothing", async () => {
    const expiry = day(Date.now() + 10 * DAY_MS);
    const { emu, provider } = await fixture({ state: { balance: 1, services: [vds({ expiredate: expiry })] } });
    const err = await failure(provider.execute(op(SERVICE, "renew", { id: "101", name: "shop-vps" }, [set("renewal.paid_until", day(Date.now() + 30 * DAY_MS), expiry)])));
    expect(err.kind).toBe("rejected");
    expect(err.message).toContain("nothing was charged");
    expect(emu.balance()).toBe(1);
    expect(emu.orders()).toEqual([]);
    expect(emu.services()[0]!.expiredate).toBe(expiry);
  });
});

describe("BillmgrProvider: price previews for the plan", () => {
  it("quotes an order's tariff, period and price from the order form, creating and charging nothing", async () => {
    const { emu, provider } = await fixture();
    const lines = await provider.quote!(op(SERVICE, "create", { id: null, name: "shop-vps" }, VDS_ORDER));
    // (20 for the tariff + 2 extra disk units × 2) × 1 month.
    expect(lines).toEqual(["order: tariff VPS 2 (20.00/month) (pricelist 12), 1 month, costs 24.00", "balance now: 1000.00"]);
    const licence = await provider.quote!(op(LICENSE, "create", { id: null, name: "cl-web1" }, LICENCE_ORDER));
    expect(licence[0]).toMatch(/^order: tariff .+ \(pricelist 14\), 1 month, costs \d+\.\d\d$/);
    expect(emu.orders()).toEqual([]);
    expect(emu.services()).toEqual([]);
    expect(emu.balance()).toBe(1000);
  });

  it("warns when the balance does not cover the order", async () => {
    const { provider } = await fixture({ state: { balance: 5 } });
    const lines = await provider.quote!(op(SERVICE, "create", { id: null, name: "shop-vps" }, VDS_ORDER));
    expect(lines).toContain("the balance (5.00) does not cover the order: BILLmanager will refuse it until funds are added");
  });

  it("quotes a renewal with service.prolong's preview: months, price, old and new expiry, nothing charged", async () => {
    const expiry = day(Date.now() + 10 * DAY_MS);
    const wanted = day(Date.now() + 30 * DAY_MS);
    const { emu, provider } = await fixture({ state: { services: [vds({ expiredate: expiry })] } });
    const lines = await provider.quote!(op(SERVICE, "renew", { id: "101", name: "shop-vps" }, [set("renewal.paid_until", wanted, expiry)]));
    expect(lines[0]).toMatch(new RegExp(`^renewal preview \\(nothing charged\\): 1 month for \\d+\\.\\d\\d, paid until ${expiry} → \\d{4}-\\d{2}-\\d{2}$`));
    expect(emu.orders()).toEqual([]);
    expect(emu.services()[0]!.expiredate).toBe(expiry);
    expect(emu.calls.count("service.prolong")).toBe(1);
  });

  it("says in the plan when a renewal would fall short, before apply refuses it", async () => {
    const expiry = day(Date.now() + 10 * DAY_MS);
    const { provider } = await fixture({ state: { services: [vds({ expiredate: expiry })] } });
    const far = day(Date.now() + 4000 * DAY_MS);
    const lines = await provider.quote!(op(SERVICE, "renew", { id: "101", name: "shop-vps" }, [set("renewal.paid_until", far, expiry)]));
    expect(lines).toContain(`that falls short of ${far}: apply will refuse this renewal and charge nothing; lower renew_ahead_days or lengthen the period`);
  });

  it("quotes an add-on increase with the service's paid period", async () => {
    const expiry = day(Date.now() + 20 * DAY_MS);
    const { emu, provider } = await fixture({ state: { services: [vds({ expiredate: expiry })] } });
    const lines = await provider.quote!(op(SERVICE, "update", { id: "101", name: "shop-vps" }, [set("addons.addon_22", 4, 0)]));
    expect(lines).toEqual([expect.stringContaining(`charges the difference at once for the months left until ${expiry}`)]);
    expect(emu.orders()).toEqual([]);
  });

  it("turns a refused preview into a ProviderError without the password", async () => {
    const { emu, provider } = await fixture();
    const err = await failure(provider.quote!(op(SERVICE, "renew", { id: "999", name: "gone-vps" }, [set("renewal.paid_until", "2030-01-01", "2029-01-01")])));
    expect(err.message).toContain("price preview of renew gone-vps (service 999)");
    expect(err.message).not.toContain(emu.password);
  });
});

describe("BillmgrProvider: waiting for the panel", () => {
  it("tells progress what it waits for while a new order is set up, then reports it active", async () => {
    const { provider } = await fixture({ processingSteps: 2 });
    const heard: string[] = [];
    const result = await provider.execute(op(SERVICE, "create", { id: null, name: "shop-vps" }, VDS_ORDER), { progress: (m) => heard.push(m) });
    expect(result.note).toMatch(/^ordered as service \d+: active$/);
    expect(heard.length).toBeGreaterThan(0);
    expect(heard[0]).toMatch(/^BILLmanager is still setting up service \d+: (registering the order \(item_status 1\)|processing it \(item_status 5\)), \d+ s so far \(waiting at most 5 s\)$/);
  });

  it("waits for a renewal to finish processing and says how it ended", async () => {
    const expiry = day(Date.now() + 10 * DAY_MS);
    const { provider } = await fixture({ processingSteps: 2, state: { services: [vds({ expiredate: expiry })] } });
    const heard: string[] = [];
    const result = await provider.execute(op(SERVICE, "renew", { id: "101", name: "shop-vps" }, [set("renewal.paid_until", day(Date.now() + 30 * DAY_MS), expiry)]), { progress: (m) => heard.push(m) });
    expect(result.note).toMatch(/; active$/);
    expect(heard.some((m) => m.startsWith("BILLmanager is still renewing service 101: processing it (item_status 5)"))).toBe(true);
  });
});

describe("BillmgrProvider: deletion", () => {
  const requirement = { deletion: { suspendedDays: 30, ownerTag: "siteform:" } };
  const remove = op(SERVICE, "delete", { id: "101", name: "shop-vps" }, [], requirement);

  it("deletes a service siteform's user suspended long enough ago", async () => {
    const emu0 = { user: "reseller" };
    const { emu, provider } = await fixture({
      user: emu0.user,
      state: { services: [vds({ item_status: 3, history: [{ date: historyDate(Date.now() - 40 * DAY_MS), user: emu0.user, action: "suspend" }] })] },
    });
    expect(await provider.execute(remove)).toEqual({ id: null });
    expect(emu.services()[0]!.item_status).toBe(4);
    expect((await provider.readResource({ kind: SERVICE, id: "101", name: "shop-vps", fields: [] }))?.state).toBe("gone");
  });

  it("refuses when the suspension is too recent, by another user, or there is none, and calls no delete", async () => {
    const cases: Array<{ service: BillmgrServiceInput; says: string }> = [
      { service: vds({ item_status: 3, history: [{ date: historyDate(Date.now() - 5 * DAY_MS), user: "reseller", action: "suspend" }] }), says: "less than the 30 days" },
      { service: vds({ item_status: 3, history: [{ date: historyDate(Date.now() - 40 * DAY_MS), user: "operator", action: "suspend" }] }), says: 'suspended by "operator"' },
      {
        service: vds({
          item_status: 3,
          history: [
            { date: historyDate(Date.now() - 50 * DAY_MS), user: "reseller", action: "suspend" },
            { date: historyDate(Date.now() - 45 * DAY_MS), user: "operator", action: "resume" },
            { date: historyDate(Date.now() - 40 * DAY_MS), user: "operator", action: "suspend" },
          ],
        }),
        says: 'suspended by "operator"',
      },
      { service: vds({ item_status: 3 }), says: "shows no suspension" },
      { service: vds(), says: "it is not suspended" },
    ];
    for (const { service, says } of cases) {
      const { emu, provider } = await fixture({ user: "reseller", state: { services: [service] } });
      const err = await failure(provider.execute(remove));
      expect(err.kind).toBe("rejected");
      expect(err.message).toContain(says);
      expect(emu.calls.count("vds.delete")).toBe(0);
      expect(emu.services()[0]!.item_status).not.toBe(4);
    }
  });

  it("measures the grace period on the provider's clock", async () => {
    const emu = await startBillmgrEmulator({ processingSteps: 0, state: { services: [vds({ item_status: 3, history: [{ date: "2026-01-01 00:00:00", user: "reseller", action: "suspend" }] })] } });
    cleanups.push(() => emu.stop());
    let now = Date.parse("2026-01-20T00:00:00Z");
    const provider = new BillmgrProvider({ server: "bm1", connection: { url: emu.url, user: emu.user, password: emu.password }, now: () => now });
    cleanups.push(() => provider.close());
    expect((await failure(provider.execute(remove))).message).toContain("suspended 19.0 days ago");
    now = Date.parse("2026-02-01T00:00:00Z");
    await provider.execute(remove);
    expect(emu.services()[0]!.item_status).toBe(4);
  });

  it("refuses a deletion without siteform's requirement", async () => {
    const { emu, provider } = await fixture({ state: { services: [vds({ item_status: 3 })] } });
    const err = await failure(provider.execute(op(SERVICE, "delete", { id: "101", name: "shop-vps" })));
    expect(err.kind).toBe("rejected");
    expect(emu.calls.count("vds.delete")).toBe(0);
  });
});

describe("BillmgrProvider: secrets", () => {
  const SESSION = /[0-9a-f]{24}/;

  it("names neither the password nor a session in any error", async () => {
    const password = "s3cret-Pass+&=%42";
    const { emu, provider } = await fixture({ password, state: { services: [vds()] } });
    const messages: string[] = [];
    // The server echoes a value that is the password.
    messages.push((await failure(provider.execute(op(LICENSE, "create", { id: null, name: "cl-x" }, [...LICENCE_ORDER.filter((c) => c.field !== "license.ip"), set("license.ip", password)])))).message);
    // A fault after the session was made, a lost answer, an expired session, an unknown service.
    emu.setKnobs({ failProbability: { "vds.suspend": 1 }, failForm: { "vds.suspend": "fault" } });
    messages.push((await failure(provider.execute(op(SERVICE, "suspend", { id: "101", name: "shop-vps" })))).message);
    emu.setKnobs({ failProbability: {}, dropAfterWork: { "vds.edit": 1 } });
    messages.push((await failure(provider.execute(op(SERVICE, "update", { id: "101", name: "shop-vps" }, [set("service.autoprolong", 3, "off")])))).message);
    emu.expireSessions();
    emu.setKnobs({ dropAfterWork: {} });
    messages.push((await failure(provider.execute(op(SERVICE, "activate", { id: "999", name: "nothing" })))).message);
    for (const message of messages) {
      expect(message).toMatch(/^bm1: /);
      expect(message).not.toContain(password);
      expect(message).not.toContain(encodeURIComponent(password));
      expect(message).not.toMatch(SESSION);
    }
  });

  it("reports a refused login as auth, naming the variables but not the password", async () => {
    const { emu } = await fixture();
    const wrong = "not-the-Password-42";
    const provider = BILLMGR.create(serverConfig(emu.url), { [USER_ENV]: emu.user, [PASSWORD_ENV]: wrong });
    cleanups.push(() => provider.close());
    const err = await failure(provider.readResource({ kind: SERVICE, id: null, name: "shop-vps", fields: [] }));
    expect(err.kind).toBe("auth");
    expect(err.message).toContain(`${USER_ENV} and ${PASSWORD_ENV}`);
    expect(err.message).not.toContain(wrong);
    const collected = await provider.collect({ fields: {} });
    expect(collected.ok).toBe(false);
    if (!collected.ok) expect(collected.error).not.toContain(wrong);
  });

  it("refuses a server without user_env or a variable unset, quoting no value", () => {
    const config = serverConfig("https://bm.example:1500");
    expect(() => BILLMGR.create({ ...config, userEnv: null }, {})).toThrow(/server "bm1": a BILLmanager server needs `user_env`/);
    expect(() => BILLMGR.create(config, { [USER_ENV]: "reseller" })).toThrow(`server "bm1": the environment variable ${PASSWORD_ENV} is not set`);
    expect(() => BILLMGR.create(config, { [PASSWORD_ENV]: "pw-123456" })).toThrow(`the environment variable ${USER_ENV} is not set`);
    expect(() => BILLMGR.create({ ...config, url: "not a url" }, { [USER_ENV]: "reseller", [PASSWORD_ENV]: "pw-123456" })).toThrow(/^server "bm1": cannot set up its connection: (?!.*pw-123456)/);
  });
});

describe("plan → apply → plan through the real planner and applier", () => {
  const catalogue = new Catalogue(BILLMGR.kinds);
  const lines = (...t: string[]): string => `${t.join("\n")}\n`;

  it("orders once and never again, renews when the expiry comes too close, and refuses an early deletion", async () => {
    const { emu, provider } = await fixture();
    const env = { [USER_ENV]: emu.user, [PASSWORD_ENV]: emu.password };
    const files = (state: string[] = []) => [
      {
        file: "siteform.yaml",
        text: lines("servers:", "  bm1:", "    provider: billmgr", `    url: ${emu.url}`, `    key_env: ${PASSWORD_ENV}`, `    user_env: ${USER_ENV}`, "policy:", "  deletion_grace_days: 30", "  max_paid_ops: 5"),
      },
      {
        file: "services/shop.yaml",
        text: lines("kind: billmgr/service", "name: shop-vps", "server: bm1", "itemtype: vds", "tariff: 12", "period: 1", "datacenter: 1", "domain: shop.example", "autoprolong: 'off'", "renew_ahead_days: 10", "services:", "  addons:", "    addon_22: 2", ...state),
      },
      { file: "licenses/cl.yaml", text: lines("kind: billmgr/license", "name: cl-web1", "server: bm1", "tariff: 14", "period: 1", "ip: 203.0.113.5", "licname: web1.example") },
    ];
    const inventoryOf = (state: string[] = [], today?: string) => {
      const result = checkInventory(files(state), { catalogue, env, ...(today !== undefined && { today }) });
      if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`).join("; "));
      return result.inventory;
    };
    const planFor = async (inventory: ReturnType<typeof inventoryOf>, now = new Date().toISOString()) => {
      const fields: Record<string, string[]> = {};
      for (const r of inventory.resources) (fields[r.kind] ??= []).push(...Object.entries(r.fields).flatMap(([g, v]) => Object.keys(v).map((k) => `${g}.${k}`)));
      const observed = await provider.collect({ fields });
      return buildPlan(inventory, [observed], { now, commit: { commit: null, dirty: false }, allowDeletes: null, allowPaid: null, servers: ["bm1"], resetPlanDefaults: false });
    };
    const apply = (plan: Awaited<ReturnType<typeof planFor>>, inventory: ReturnType<typeof inventoryOf>) =>
      applyPlan(plan, {
        providers: new Map([["bm1", provider]]),
        catalogue,
        concurrency: { perServer: {}, total: 2 },
        failFast: false,
        deletionRules: deletionRulesFor(inventory, null, [CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX]),
        paidRules: paidRulesFor(inventory, null),
      });

    const inventory = inventoryOf();
    const first = await planFor(inventory);
    expect(first.diagnostics).toEqual([]);
    expect(first.ops.map((o) => [o.action, o.paid])).toEqual([
      ["create", true],
      ["create", true],
    ]);
    expect((await apply(first, inventory)).ops.map((o) => o.status)).toEqual(["done", "done"]);
    expect(emu.orders().map((o) => [o.kind, o.itemtype])).toEqual([
      ["order", "softexternal"],
      ["order", "vds"],
    ]);

    // Found again by name, as ordered: nothing to do, and nothing is ordered twice.
    const second = await planFor(inventory);
    expect(second.ops).toEqual([]);
    expect(emu.orders()).toHaveLength(2);

    // 25 days on, the service expires sooner than 10 days ahead: a paid renewal, shown with the old expiry.
    const expiry = emu.services().find((s) => s.itemtype === "vds")!.expiredate;
    const later = new Date(Date.now() + 25 * DAY_MS).toISOString();
    const laterInventory = inventoryOf([], later.slice(0, 10));
    const renewal = await planFor(laterInventory, later);
    const renew = renewal.ops.filter((o) => o.action === "renew");
    expect(renew.map((o) => [o.target.name, o.paid, o.changes[0]?.before])).toEqual([["shop-vps", true, expiry]]);
    const renewed = await apply(renewal, laterInventory);
    expect(renewed.ops.filter((o) => o.action === "renew").map((o) => [o.status, o.message])).toEqual([["done", null]]);
    expect(emu.orders().map((o) => o.kind)).toEqual(["order", "order", "prolong"]);
    expect(emu.services().find((s) => s.itemtype === "vds")!.expiredate > expiry).toBe(true);

    // Cancelled: suspended now; 31 days on the plan deletes, and the provider's re-check refuses, since the history says today.
    const today = new Date().toISOString().slice(0, 10);
    const cancelled = inventoryOf(["state: cancelled", `cancelled_on: '${today}'`]);
    const suspend = await planFor(cancelled);
    expect(suspend.ops.filter((o) => o.target.name === "shop-vps").map((o) => o.action)).toEqual(["suspend"]);
    await apply(suspend, cancelled);
    expect(emu.services().find((s) => s.itemtype === "vds")!.item_status).toBe(3);
    const early = await planFor(cancelled, new Date(Date.now() + 31 * DAY_MS).toISOString());
    const deletion = early.ops.filter((o) => o.action === "delete");
    expect(deletion.map((o) => o.target.name)).toEqual(["shop-vps"]);
    const refused = await apply({ ...early, ops: deletion }, cancelled);
    expect(refused.ops.map((o) => o.status)).toEqual(["failed"]);
    expect(refused.ops[0]?.message).toMatch(/was not deleted: suspended 0\.0 days ago, less than the 30 days/);
    expect(emu.calls.count("vds.delete")).toBe(0);
  });
});
