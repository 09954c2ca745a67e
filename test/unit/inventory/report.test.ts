import { describe, expect, it } from "vitest";
import { jsonReport, renderText } from "../../../src/inventory/index.js";
import { baseFiles, check, site } from "./helpers.js";

describe("report", () => {
  const broken = (): ReturnType<typeof check> =>
    check({ ...baseFiles(), "sites/beta.yaml": site("beta.example", "beta", ["aliasses: []"], "fra2") }, { env: { AMS1_KEY: "k" } });

  it("prints compiler-style lines, hints and a summary", () => {
    expect(renderText(broken(), { color: false })).toBe(
      [
        "siteform.yaml:4:14 warning environment variable FRA1_KEY (the API key of server `fra1`) is not set [servers.fra1.key_env]",
        "  hint: export FRA1_KEY with the server's API key before running plan or apply; in CI, map it from a repository secret",
        "sites/beta.yaml:2:9 error unknown server `fra2` [server]",
        "  hint: did you mean `fra1`?",
        "sites/beta.yaml:6:1 error unknown field `aliasses` [aliasses]",
        "  hint: did you mean `aliases`?",
        "2 errors, 1 warning in 4 files",
        "",
      ].join("\n"),
    );
  });

  it("says what a valid inventory holds", () => {
    expect(renderText(check(baseFiles()), { color: false })).toBe("inventory is valid: 1 site, 1 plan, 2 servers\n0 errors, 0 warnings in 3 files\n");
  });

  it("colours only when asked", () => {
    const escape = String.fromCharCode(27);
    expect(renderText(broken(), { color: false })).not.toContain(escape);
    expect(renderText(broken(), { color: true })).toContain(`${escape}[31m`);
  });

  it("gives tools errors and warnings apart, with a summary", () => {
    const report = jsonReport(broken());
    expect(report.valid).toBe(false);
    expect(report.errors.map((d) => d.code)).toEqual(["unknown-server", "unknown-field"]);
    expect(report.warnings.map((d) => d.code)).toEqual(["missing-key-env"]);
    expect(report.summary).toEqual({ errors: 2, warnings: 1, files: 4 });
    expect(report.errors[0]).toEqual({
      severity: "error",
      code: "unknown-server",
      file: "sites/beta.yaml",
      line: 2,
      column: 9,
      path: "server",
      message: "unknown server `fra2`",
      hint: "did you mean `fra1`?",
    });
    expect(jsonReport(check(baseFiles())).summary).toEqual({
      errors: 0,
      warnings: 0,
      files: 3,
      servers: 2,
      plans: 1,
      groups: 0,
      sites: 1,
      kinds: [{ kind: "apiscp/site", noun: "site", count: 1, groups: 0, groupLabel: "invoice group" }],
    });
  });
});
