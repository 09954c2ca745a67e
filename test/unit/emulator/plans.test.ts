import { describe, expect, it } from "vitest";
import { ApiFault } from "../../../src/emulator/apiscp/api.js";
import type { EmulatorState } from "../../../src/emulator/apiscp/api.js";
import { defaultEmulatorState } from "../../../src/emulator/apiscp/model/index.js";
import {
  defaultPlanName,
  describePlan,
  planChain,
  planDefaults,
  planNames,
} from "../../../src/emulator/apiscp/model/plans.js";
import { Harness } from "./harness.js";

describe("plans", () => {
  const plans = defaultEmulatorState().plans;

  it("ships a base plan and realistic plans inheriting from it", () => {
    expect(planNames(plans)).toEqual(["basic", "business", "reseller", "starter"]);
    expect(plans.basic?.inherits).toBeNull();
    expect(planChain(plans, "reseller").map((p) => p.inherits)).toEqual([null, "basic", "business"]);
    expect(defaultPlanName(plans)).toBe("basic");
  });

  it("resolves effective defaults along the inheritance chain", () => {
    const reseller = planDefaults(plans, "reseller");
    expect(reseller.diskquota).toEqual({ enabled: 1, quota: 100, units: "GB" }); // own
    expect(reseller.apache).toEqual({ enabled: 1, jail: 1 }); // from business
    expect(reseller.ssh).toEqual({ enabled: 1 }); // from basic
    expect(reseller.bandwidth).toEqual({ enabled: 1, threshold: 1, units: "TB" });
    expect(planDefaults(plans, "starter").ssh).toEqual({ enabled: 0 });
  });

  it("contains only plan-controlled parameters", () => {
    const basic = planDefaults(plans, "basic");
    expect(basic.siteinfo).toBeUndefined();
    expect(basic.billing).toBeUndefined();
    expect(basic.aliases).toEqual({ enabled: 1, max: 5 });
  });

  it("faults on an unknown plan", () => {
    expect(() => planDefaults(plans, "gold")).toThrow(new ApiFault("unknown plan `gold'"));
  });

  it("falls back to the base plan when there is no `basic`", () => {
    expect(defaultPlanName({ root: { inherits: null, services: {} } })).toBe("root");
  });

  it("never shows a plan's secret", () => {
    const state: EmulatorState = defaultEmulatorState();
    const key = "sealed:sha256:" + "a".repeat(64);
    state.plans.cloud = { inherits: "basic", services: { dns: { provider: "cloudflare", key } } };
    expect(describePlan(state.plans, "cloud").dns).toEqual({ enabled: 1, provider: "cloudflare", key: null });
  });
});

describe("admin_list_plans and admin_get_plan", () => {
  it("answers the names and the effective definition", () => {
    const h = new Harness();
    expect(h.call("admin_list_plans")).toEqual(["basic", "business", "reseller", "starter"]);
    const starter = h.call("admin_get_plan", "starter") as Record<string, Record<string, unknown>>;
    expect(starter.diskquota).toEqual({ enabled: 1, quota: 1, units: "GB" });
    expect(starter.cgroup).toEqual({ enabled: 1, memory: 256, cpu: 50, proclimit: 25, io: null });
    expect(starter.dns).toEqual({ enabled: 1, provider: "builtin", key: null });
  });

  it("faults on an unknown or missing name", () => {
    const h = new Harness();
    expect(() => h.call("admin_get_plan", "gold")).toThrow("unknown plan `gold'");
    expect(() => h.call("admin_get_plan")).toThrow("admin_get_plan: missing argument name");
    expect(() => h.call("admin_get_plan", 5)).toThrow("admin_get_plan: argument name must be a string, got 5");
  });
});
