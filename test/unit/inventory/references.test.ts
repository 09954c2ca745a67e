import { describe, expect, it } from "vitest";
import { CONFIG, baseFiles, check, expectDiagnostic, expectErrors, lines, site } from "./helpers.js";

const group = (serverLine: string[], members: string[][]): string =>
  lines(
    "invoice: INV-7",
    ...serverLine,
    "sites:",
    ...members.flatMap(([domain, user, ...extra]) => [`  - domain: ${domain}`, `    admin_user: ${user}`, `    email: a@${domain}`, "    plan: basic", ...extra.map((e) => `    ${e}`)]),
  );

describe("references", () => {
  it("an unknown server, with the known ones suggested", () => {
    const result = check({ ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", [], "fra2") });
    const d = expectDiagnostic(result, { code: "unknown-server", file: "sites/alpha.yaml", line: 2, column: 9, path: "server", message: /^unknown server `fra2`$/ });
    expect(d.hint).toBe("did you mean `fra1`?");
    expectErrors(result, ["unknown-server"]);
  });

  it("an unknown server on a group is reported once, at the group", () => {
    const result = check({ ...baseFiles(), "sites/g.yaml": group(["server: lon1"], [["g.example", "g"], ["h.example", "h"]]) });
    expectDiagnostic(result, { code: "unknown-server", file: "sites/g.yaml", line: 2, message: /`lon1`/ });
    expectErrors(result, ["unknown-server"]);
  });

  it("an unknown plan", () => {
    const files = { ...baseFiles(), "sites/alpha.yaml": lines("domain: alpha.example", "server: fra1", "admin_user: alpha", "email: a@alpha.example", "plan: basci") };
    const d = expectDiagnostic(check(files), { code: "unknown-plan", file: "sites/alpha.yaml", line: 5, column: 7, message: /^unknown plan `basci`: there is no plans\/basci\.yaml$/ });
    expect(d.hint).toBe("did you mean `basic`?");
  });

  it("a plan in a subdirectory is named by its path", () => {
    const files = { ...baseFiles(), "plans/legacy/old.yaml": lines("apiscp_plan: basic"), "sites/alpha.yaml": site("alpha.example", "alpha").replace("plan: basic", "plan: legacy/old") };
    const result = check(files);
    expectErrors(result, []);
    expect(result.inventory?.resources[0]?.plan).toEqual({ name: "legacy/old", template: "basic" });
  });

  it("a plan whose file is broken still exists for the sites naming it", () => {
    const result = check({ ...baseFiles(), "plans/basic.yaml": "apiscp_plan: [\n" });
    expectErrors(result, ["yaml-syntax"]);
  });

  it("a plan file name sites could not refer to", () => {
    const result = check({ ...baseFiles(), "plans/Big Plan.yaml": lines("apiscp_plan: basic") });
    expectDiagnostic(result, { code: "bad-file-name", file: "plans/Big Plan.yaml", line: 1, message: /`Big Plan` cannot be a plan name/ });
  });

  it("unknown servers are not reported when siteform.yaml itself is missing", () => {
    const files = baseFiles();
    delete files["siteform.yaml"];
    const result = check(files);
    expectDiagnostic(result, { code: "missing-config", file: "siteform.yaml", line: 1, message: /no siteform\.yaml/ });
    expectErrors(result, ["missing-config"]);
  });

  it("a policy.ignore entry that is not a service field", () => {
    const config = `${CONFIG}${lines("policy:", "  ignore:", "    - diskquota.quota", "    - diskquota.qouta", "    - cgroup")}`;
    const result = check({ ...baseFiles(), "siteform.yaml": config });
    const d = expectDiagnostic(result, { code: "unknown-ignore-field", file: "siteform.yaml", line: 11, column: 7, path: "policy.ignore[1]", message: /`diskquota\.qouta` is not a known/ });
    expect(d.hint).toBe("did you mean `diskquota.quota`?");
    expectErrors(result, ["unknown-ignore-field"]);
  });

  it("a child on another server than its group", () => {
    const result = check({ ...baseFiles(), "sites/g.yaml": group(["server: fra1"], [["g.example", "g"], ["h.example", "h", "server: ams1"]]) });
    // invoice, server, sites:, then 4 lines for g, then h's domain, admin_user, email, plan, server
    const d = expectDiagnostic(result, { code: "group-server-mismatch", file: "sites/g.yaml", line: 12, column: 13, message: /on `ams1` but its group's server is `fra1`/ });
    expect(d.hint).toMatch(/one server/);
    expectErrors(result, ["group-server-mismatch"]);
  });

  it("a child on another server than its parent when the group names none", () => {
    const result = check({ ...baseFiles(), "sites/g.yaml": group([], [["g.example", "g", "server: fra1"], ["h.example", "h", "server: ams1"]]) });
    expectDiagnostic(result, { code: "group-server-mismatch", file: "sites/g.yaml", line: 12, message: /on `ams1` but its group's parent's server is `fra1`/ });
  });

  it("a child repeating the group's server is fine", () => {
    expectErrors(check({ ...baseFiles(), "sites/g.yaml": group(["server: fra1"], [["g.example", "g"], ["h.example", "h", "server: fra1"]]) }), []);
  });
});
