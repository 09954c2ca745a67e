import { describe, expect, it } from "vitest";
import { defaultEmulatorState, validateEmulatorState } from "../../../src/emulator/apiscp/model/index.js";
import { Harness, T0 } from "./harness.js";

function populated(): unknown {
  const h = new Harness();
  h.add("a.example.com", "a", { "billing.invoice": "INV-1", "auth.tpasswd": "long-password" }, { plan: "business" });
  h.add("b.example.com", "b", { "billing.parent_invoice": "INV-1", "aliases.aliases": ["x.example.org"] });
  h.call("admin_deactivate_site", "site2", { reason: "overdue" });
  return JSON.parse(JSON.stringify(h.api.snapshot()));
}

const REMOVE = Symbol("remove");

/** A deep copy of `base` with the value at a dotted path (`sites.0.active`) replaced or removed. */
function variant(base: unknown, path: string, value: unknown): unknown {
  const copy = structuredClone(base);
  const keys = path.split(".");
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys[keys.length - 1] as string;
  if (value === REMOVE) delete node[last];
  else node[last] = value;
  return copy;
}

describe("defaultEmulatorState", () => {
  it("has the base plan, a few plans inheriting from it, no sites, and next id 1", () => {
    const state = defaultEmulatorState();
    expect(state.version).toBe(1);
    expect(state.nextSiteId).toBe(1);
    expect(state.sites).toEqual([]);
    expect(Object.keys(state.plans).sort()).toEqual(["basic", "business", "reseller", "starter"]);
    expect(state.plans.starter?.inherits).toBe("basic");
    expect(state.plans.reseller?.inherits).toBe("business");
    expect(Object.keys(state.plans.basic?.services ?? {})).toContain("cgroup");
  });

  it("is valid and survives validation unchanged", () => {
    expect(validateEmulatorState(JSON.parse(JSON.stringify(defaultEmulatorState())))).toEqual(defaultEmulatorState());
  });
});

describe("validateEmulatorState", () => {
  it("accepts any state the API produced, unchanged", () => {
    const state = populated();
    expect(validateEmulatorState(state)).toEqual(state);
  });

  it("fills the bookkeeping a hand-written file may leave out", () => {
    const state = validateEmulatorState({
      version: 1,
      nextSiteId: 8,
      plans: defaultEmulatorState().plans,
      sites: [{ id: 7, active: true, services: { siteinfo: { domain: "Hand.Example.com", admin_user: "hand" } } }],
    });
    const site = state.sites[0];
    expect(site).toMatchObject({ id: 7, createdAt: 0, overrides: [], usage: { storageKb: 0, bandwidthBytes: 0 } });
    expect(site?.services.siteinfo).toMatchObject({ domain: "hand.example.com", plan: "basic" });
    expect(site?.services.diskquota).toEqual({ enabled: 1, quota: 5, units: "GB" });
    expect(site?.services.mysql?.dbaseprefix).toBe("hand_");
    const api = new Harness(state);
    api.now = T0;
    expect(api.add("next.example.com", "next")).toBe(8);
  });

  it.each<[string, unknown, string]>([
    ["version", 2, "state.version: expected 1, got 2"],
    ["extra", 1, "state.extra: unknown field"],
    ["nextSiteId", 2, "state.nextSiteId: must be greater than the highest site id 2"],
    ["plans.starter.inherits", "gold", "state.plans.starter.inherits: unknown plan \"gold\""],
    ["plans.basic.inherits", "reseller", "state.plans: expected exactly one base plan (inherits: null), found 0"],
    [
      "plans.basic.services.cgroup.proclimit",
      9999,
      "state.plans.basic.services.cgroup.proclimit: invalid value 9999 for `cgroup.proclimit': must be at most 4096",
    ],
    [
      "plans.basic.services.siteinfo",
      { domain: "x.com" },
      "state.plans.basic.services.siteinfo.domain: not a plan parameter (it belongs to each site)",
    ],
    ["sites.0.services.web", { enabled: 1 }, "state.sites[0].services.web: unknown service `web'"],
    [
      "sites.1.services.siteinfo.domain",
      "no way",
      "state.sites[1].services.siteinfo.domain: invalid value \"no way\" for `siteinfo.domain': not a valid hostname",
    ],
    [
      "sites.0.services.siteinfo.enabled",
      1,
      "state.sites[0].services.siteinfo.enabled: derived from the site's state; not stored",
    ],
    ["sites.0.services.siteinfo.domain", REMOVE, "state.sites[0].services.siteinfo.domain: required"],
    ["sites.0.services.siteinfo.plan", "gold", "state.sites[0].services.siteinfo.plan: unknown plan \"gold\""],
    ["sites.0.active", "yes", "state.sites[0].active: expected a boolean, got \"yes\""],
    ["sites.1.suspendedAt", null, "state.sites[1].suspendedAt: expected an integer of at least 0, got null"],
    ["sites.0.suspendReason", "x", "state.sites[0].suspendReason: must be null for an active site"],
    ["sites.1.id", 1, "state.sites[1].id: duplicate id 1"],
    ["sites.1.services.siteinfo.domain", "A.example.com", "state.sites: domain `a.example.com' already exists (site1)"],
    ["sites.0.overrides", ["ssh.port"], "state.sites[0].overrides[0]: unknown service parameter `ssh.port'"],
    [
      "sites.0.usage",
      { storageKb: -1, bandwidthBytes: 0 },
      "state.sites[0].usage.storageKb: expected an integer of at least 0, got -1",
    ],
    [
      "sites.1.services.aliases.enabled",
      0,
      "state.sites[1]: `aliases.aliases': aliases are disabled on this site (aliases.enabled is 0)",
    ],
  ])("names the bad field when %s is %j", (path, value, message) => {
    expect(() => validateEmulatorState(variant(populated(), path, value))).toThrow(new Error(message));
  });

  it("refuses what is not a state at all", () => {
    expect(() => validateEmulatorState(null)).toThrow("state: expected an object, got null");
    expect(() => validateEmulatorState([])).toThrow("state: expected an object, got []");
    expect(() => validateEmulatorState({ version: 1, nextSiteId: 1, plans: {}, sites: {} })).toThrow(
      "state.plans: expected exactly one base plan (inherits: null), found 0",
    );
  });
});
