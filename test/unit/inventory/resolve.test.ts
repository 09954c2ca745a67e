import { describe, expect, it } from "vitest";
import type { DesiredSite } from "../../../src/model/index.js";
import { CONFIG, baseFiles, check, expectErrors, lines, site } from "./helpers.js";

function resolved(files: Record<string, string>): ReturnType<typeof check> & { ok: true } {
  const result = check(files);
  expectErrors(result, []);
  if (!result.ok) throw new Error("expected a valid inventory");
  return result;
}

const siteNamed = (sites: readonly DesiredSite[], domain: string): DesiredSite => {
  const found = sites.find((s) => s.domain === domain);
  if (found === undefined) throw new Error(`no site ${domain}`);
  return found;
};

const GROUP = lines(
  "invoice: INV-40", //                 1
  "server: ams1", //                    2
  "services:", //                       3
  "  diskquota:", //                    4
  "    quota: 20", //                   5
  "  cgroup:", //                       6
  "    memory: 1024", //                7
  "sites:", //                          8
  "  - domain: parent.example", //      9
  "    admin_user: parent", //          10
  "    email: a@parent.example", //     11
  "    plan: basic", //                 12
  "  - domain: child.example", //       13
  "    admin_user: child", //           14
  "    email: [a@child.example, b@child.example]", // 15
  "    plan: basic", //                 16
  "    services:", //                   17
  "      diskquota:", //                18
  "        quota: 30", //               19
);

describe("resolution", () => {
  it("layers plan → group → site and records where each value came from", () => {
    const { inventory } = resolved({ ...baseFiles(), "sites/g.yaml": GROUP });
    const child = siteNamed(inventory.sites, "child.example");
    expect(child.services.diskquota).toEqual({ quota: 30, units: "GB" });
    expect(child.services.cgroup).toEqual({ memory: 1024 });
    expect(child.origins["diskquota.quota"]).toMatchObject({ file: "sites/g.yaml", line: 19, path: "sites[1].services.diskquota.quota" });
    expect(child.origins["diskquota.units"]).toMatchObject({ file: "plans/basic.yaml", line: 5 });
    expect(child.origins["cgroup.memory"]).toMatchObject({ file: "sites/g.yaml", line: 7 });
    const parent = siteNamed(inventory.sites, "parent.example");
    expect(parent.services.diskquota).toEqual({ quota: 20, units: "GB" });
  });

  it("writes identity and billing into provider fields: parent and children", () => {
    const { inventory } = resolved({ ...baseFiles(), "sites/g.yaml": GROUP });
    const parent = siteNamed(inventory.sites, "parent.example");
    const child = siteNamed(inventory.sites, "child.example");
    expect(parent).toMatchObject({ key: "sites/g.yaml#0", server: "ams1", role: "parent", invoice: "INV-40", parentInvoice: null });
    expect(child).toMatchObject({ key: "sites/g.yaml#1", server: "ams1", role: "child", invoice: null, parentInvoice: "INV-40", email: ["a@child.example", "b@child.example"] });
    expect(parent.services.billing).toEqual({ invoice: "INV-40", parent_invoice: null });
    expect(child.services.billing).toEqual({ invoice: null, parent_invoice: "INV-40" });
    expect(child.services.siteinfo).toEqual({ domain: "child.example", admin_user: "child", email: ["a@child.example", "b@child.example"], plan: "basic" });
    expect(child.origins["billing.parent_invoice"]).toMatchObject({ file: "sites/g.yaml", line: 1 });
    expect(inventory.groups).toEqual([
      expect.objectContaining({ invoice: "INV-40", server: "ams1", state: "active", parent: "sites/g.yaml#0", children: ["sites/g.yaml#1"] }),
    ]);
  });

  it("leaves billing and aliases alone when the site does not set them", () => {
    const { inventory } = resolved(baseFiles());
    const alpha = siteNamed(inventory.sites, "alpha.example");
    expect(alpha).toMatchObject({ role: "standalone", invoice: null, parentInvoice: null, aliases: null, state: "active", protect: false, pinnedId: null, apiscpPlan: "basic", plan: "basic" });
    expect(alpha.services.billing).toBeUndefined();
    expect(alpha.services.aliases).toBeUndefined();
    expect(alpha.services.siteinfo?.email).toBe("owner@alpha.example");
    expect(alpha.email).toEqual(["owner@alpha.example"]);
    expect(alpha.source).toEqual({ file: "sites/alpha.yaml", line: 1, column: 1, path: "" });
  });

  it("manages aliases, even an empty list, and a standalone invoice", () => {
    const files = { ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", ["invoice: INV-1", "aliases: []", "id: site4"]) };
    const alpha = siteNamed(resolved(files).inventory.sites, "alpha.example");
    expect(alpha).toMatchObject({ invoice: "INV-1", aliases: [], pinnedId: "site4" });
    expect(alpha.services.aliases).toEqual({ aliases: [] });
    expect(alpha.services.billing).toEqual({ invoice: "INV-1", parent_invoice: null });
  });

  it("takes the stricter of the group's and the site's state, with that level's reason", () => {
    const group = GROUP.replace("server: ams1\n", "server: ams1\nstate: suspended\nsuspend_reason: unpaid INV-40\n");
    const { inventory } = resolved({ ...baseFiles(), "sites/g.yaml": group });
    expect(siteNamed(inventory.sites, "child.example")).toMatchObject({ state: "suspended", suspendReason: "unpaid INV-40", cancelledOn: null });
    expect(inventory.groups[0]).toMatchObject({ state: "suspended", suspendReason: "unpaid INV-40" });
    const cancelledChild = group.replace("    plan: basic\n    services:", "    plan: basic\n    state: cancelled\n    cancelled_on: 2025-04-01\n    services:");
    const child = siteNamed(resolved({ ...baseFiles(), "sites/g.yaml": cancelledChild }).inventory.sites, "child.example");
    expect(child).toMatchObject({ state: "cancelled", cancelledOn: "2025-04-01", suspendReason: null });
  });

  it("applies server and policy defaults from the schema", () => {
    const { inventory } = resolved(baseFiles());
    expect(inventory.servers.map((s) => s.name)).toEqual(["ams1", "fra1"]);
    expect(inventory.servers[1]).toMatchObject({ name: "fra1", provider: "apiscp", keyEnv: "FRA1_KEY", caFile: null, insecureTls: false, concurrency: 4, timeoutSeconds: 60, prune: false });
    expect(inventory.policy).toEqual({ maxDeletes: 5, deletionGraceDays: 30, ignore: [] });
    const custom = `${CONFIG.replace("    key_env: AMS1_KEY\n", "    key_env: AMS1_KEY\n    prune: true\n    concurrency: 2\n")}${lines("policy:", "  max_deletes: 0", "  ignore: [cgroup]")}`;
    const other = resolved({ ...baseFiles(), "siteform.yaml": custom }).inventory;
    expect(other.servers[0]).toMatchObject({ name: "ams1", prune: true, concurrency: 2 });
    expect(other.policy).toEqual({ maxDeletes: 0, deletionGraceDays: 30, ignore: ["cgroup"] });
  });

  it("lists plans by name and sites in file order", () => {
    const files = { ...baseFiles(), "plans/a-plan.yaml": lines("apiscp_plan: business"), "sites/zeta.yaml": site("zeta.example", "zeta"), "sites/g.yaml": GROUP };
    const { inventory } = resolved(files);
    expect(inventory.plans.map((p) => p.name)).toEqual(["a-plan", "basic"]);
    expect(inventory.sites.map((s) => s.key)).toEqual(["sites/alpha.yaml", "sites/g.yaml#0", "sites/g.yaml#1", "sites/zeta.yaml"]);
    expect(inventory.files).toEqual(["siteform.yaml", "plans/a-plan.yaml", "plans/basic.yaml", "sites/alpha.yaml", "sites/g.yaml", "sites/zeta.yaml"]);
  });

  it("does not share lists between sites and their plan", () => {
    const plan = lines("apiscp_plan: basic", "services:", "  ipinfo:", "    ipaddrs: [192.0.2.1]");
    const files = { ...baseFiles(), "plans/basic.yaml": plan, "sites/beta.yaml": site("beta.example", "beta") };
    const { inventory } = resolved(files);
    const [a, b] = inventory.sites;
    expect(a?.services.ipinfo?.ipaddrs).toEqual(["192.0.2.1"]);
    expect(a?.services.ipinfo?.ipaddrs).not.toBe(b?.services.ipinfo?.ipaddrs);
  });
});
