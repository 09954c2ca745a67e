import { describe, expect, it } from "vitest";
import type { DesiredResource } from "../../../src/model/index.js";
import { CONFIG, baseFiles, check, expectErrors, lines, site } from "./helpers.js";

function resolved(files: Record<string, string>): ReturnType<typeof check> & { ok: true } {
  const result = check(files);
  expectErrors(result, []);
  if (!result.ok) throw new Error("expected a valid inventory");
  return result;
}

const siteNamed = (sites: readonly DesiredResource[], domain: string): DesiredResource => {
  const found = sites.find((s) => s.name === domain);
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
  it("layers plan → group → site", () => {
    const { inventory } = resolved({ ...baseFiles(), "sites/g.yaml": GROUP });
    const child = siteNamed(inventory.resources, "child.example");
    expect(child.fields.diskquota).toEqual({ quota: 30, units: "GB" });
    expect(child.fields.cgroup).toEqual({ memory: 1024 });
    const parent = siteNamed(inventory.resources, "parent.example");
    expect(parent.fields.diskquota).toEqual({ quota: 20, units: "GB" });
  });

  it("writes identity and billing into provider fields: parent and children", () => {
    const { inventory } = resolved({ ...baseFiles(), "sites/g.yaml": GROUP });
    const parent = siteNamed(inventory.resources, "parent.example");
    const child = siteNamed(inventory.resources, "child.example");
    // The group is its members' fields: the parent holds the invoice, each child names it as its parent's.
    expect(parent).toMatchObject({ key: "sites/g.yaml#0", kind: "apiscp/site", server: "ams1", name: "parent.example", state: "active" });
    expect(child).toMatchObject({ key: "sites/g.yaml#1", kind: "apiscp/site", server: "ams1", name: "child.example", state: "active" });
    expect(parent.fields.billing).toEqual({ invoice: "INV-40", parent_invoice: null });
    expect(child.fields.billing).toEqual({ invoice: null, parent_invoice: "INV-40" });
    expect(parent.fields.siteinfo).toEqual({ domain: "parent.example", admin_user: "parent", email: "a@parent.example", plan: "basic" });
    expect(child.fields.siteinfo).toEqual({ domain: "child.example", admin_user: "child", email: ["a@child.example", "b@child.example"], plan: "basic" });
    expect(inventory.resources.map((r) => r.key)).toEqual(["sites/alpha.yaml", "sites/g.yaml#0", "sites/g.yaml#1"]);
  });

  it("leaves billing and aliases alone when the site does not set them", () => {
    const { inventory } = resolved(baseFiles());
    const alpha = siteNamed(inventory.resources, "alpha.example");
    expect(alpha).toMatchObject({ kind: "apiscp/site", server: "fra1", name: "alpha.example", state: "active", cancelledOn: null, suspendReason: null, protect: false, pinnedId: null, plan: { name: "basic", template: "basic" } });
    expect(alpha.fields.billing).toBeUndefined();
    expect(alpha.fields.aliases).toBeUndefined();
    expect(alpha.fields.siteinfo).toEqual({ domain: "alpha.example", admin_user: "alpha", email: "owner@alpha.example", plan: "basic" });
    expect(alpha.source).toEqual({ file: "sites/alpha.yaml", line: 1, column: 1, path: "" });
  });

  it("manages aliases, even an empty list, and a standalone invoice", () => {
    const files = { ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", ["invoice: INV-1", "aliases: []", "id: site4"]) };
    const alpha = siteNamed(resolved(files).inventory.resources, "alpha.example");
    expect(alpha).toMatchObject({ pinnedId: "site4" });
    expect(alpha.fields.aliases).toEqual({ aliases: [] });
    expect(alpha.fields.billing).toEqual({ invoice: "INV-1", parent_invoice: null });
  });

  it("takes the stricter of the group's and the site's state, with that level's reason", () => {
    const group = GROUP.replace("server: ams1\n", "server: ams1\nstate: suspended\nsuspend_reason: unpaid INV-40\n");
    const { inventory } = resolved({ ...baseFiles(), "sites/g.yaml": group });
    expect(siteNamed(inventory.resources, "child.example")).toMatchObject({ state: "suspended", suspendReason: "unpaid INV-40", cancelledOn: null });
    expect(siteNamed(inventory.resources, "parent.example")).toMatchObject({ state: "suspended", suspendReason: "unpaid INV-40", cancelledOn: null });
    const cancelledChild = group.replace("    plan: basic\n    services:", "    plan: basic\n    state: cancelled\n    cancelled_on: 2025-04-01\n    services:");
    const child = siteNamed(resolved({ ...baseFiles(), "sites/g.yaml": cancelledChild }).inventory.resources, "child.example");
    expect(child).toMatchObject({ state: "cancelled", cancelledOn: "2025-04-01", suspendReason: null });
  });

  it("applies server and policy defaults from the schema", () => {
    const { inventory } = resolved(baseFiles());
    expect(inventory.servers.map((s) => s.name)).toEqual(["ams1", "fra1"]);
    expect(inventory.servers[1]).toMatchObject({ name: "fra1", provider: "apiscp", keyEnv: "FRA1_KEY", caFile: null, insecureTls: false, concurrency: 4, timeoutSeconds: 60, prune: false });
    expect(inventory.policy).toEqual({ maxDeletes: 5, maxPaidOps: 0, deletionGraceDays: 30, ignore: [] });
    const custom = `${CONFIG.replace("    key_env: AMS1_KEY\n", "    key_env: AMS1_KEY\n    prune: true\n    concurrency: 2\n")}${lines("policy:", "  max_deletes: 0", "  max_paid_ops: 2", "  ignore: [cgroup]")}`;
    const other = resolved({ ...baseFiles(), "siteform.yaml": custom }).inventory;
    expect(other.servers[0]).toMatchObject({ name: "ams1", prune: true, concurrency: 2 });
    expect(other.policy).toEqual({ maxDeletes: 0, maxPaidOps: 2, deletionGraceDays: 30, ignore: ["cgroup"] });
  });

  it("lists plans by name and sites in file order", () => {
    const files = { ...baseFiles(), "plans/a-plan.yaml": lines("apiscp_plan: business"), "sites/zeta.yaml": site("zeta.example", "zeta"), "sites/g.yaml": GROUP };
    const { inventory } = resolved(files);
    expect(inventory.plans.map((p) => p.name)).toEqual(["a-plan", "basic"]);
    expect(inventory.resources.map((s) => s.key)).toEqual(["sites/alpha.yaml", "sites/g.yaml#0", "sites/g.yaml#1", "sites/zeta.yaml"]);
    expect(inventory.files).toEqual(["siteform.yaml", "plans/a-plan.yaml", "plans/basic.yaml", "sites/alpha.yaml", "sites/g.yaml", "sites/zeta.yaml"]);
  });

  it("does not share lists between sites and their plan", () => {
    const plan = lines("apiscp_plan: basic", "services:", "  ipinfo:", "    ipaddrs: [192.0.2.1]");
    const files = { ...baseFiles(), "plans/basic.yaml": plan, "sites/beta.yaml": site("beta.example", "beta") };
    const { inventory } = resolved(files);
    const [a, b] = inventory.resources;
    expect(a?.fields.ipinfo?.ipaddrs).toEqual(["192.0.2.1"]);
    expect(a?.fields.ipinfo?.ipaddrs).not.toBe(b?.fields.ipinfo?.ipaddrs);
  });
});
