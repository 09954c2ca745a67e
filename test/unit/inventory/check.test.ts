import { describe, expect, it } from "vitest";
import { checkInventory } from "../../../src/inventory/index.js";
import { baseFiles, check, expectDiagnostic, expectErrors, lines, site } from "./helpers.js";

describe("checkInventory", () => {
  it("accepts the base inventory without diagnostics", () => {
    const result = check(baseFiles());
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("reports every problem of every file in one run, sorted by file and line", () => {
    const files = {
      ...baseFiles(),
      "plans/basic.yaml": lines("apiscp_plan: basic", "services:", "  diskquota:", "    quota: -1"),
      "sites/alpha.yaml": site("alpha.example", "alpha", ["state: cancelled"], "fra9"),
      "sites/beta.yaml": site("alpha.example", "alpha"),
      "sites/gamma.yaml": "domain: [\n",
    };
    const result = check(files);
    expect(result.diagnostics.map((d) => `${d.file}:${d.line} ${d.code}`)).toEqual([
      "plans/basic.yaml:4 out-of-range",
      "sites/alpha.yaml:2 unknown-server",
      "sites/alpha.yaml:6 cancelled-without-date",
      "sites/gamma.yaml:2 yaml-syntax",
    ]);
    // beta reuses alpha's domain and admin user, but alpha claims them on fra9, not fra1.
  });

  it("checks cross-file rules on files that also fail their schema", () => {
    const files = { ...baseFiles(), "sites/beta.yaml": site("alpha.example", "beta", ["colour: blue"]) };
    expectErrors(check(files), ["duplicate-domain", "unknown-field"]);
  });

  it("gives the same report whatever order the files arrive in", () => {
    const files = { ...baseFiles(), "sites/beta.yaml": site("alpha.example", "alpha"), "sites/c.yaml": site("c.example", "c", ["plan: nope"]) };
    const forward = Object.entries(files).map(([file, text]) => ({ file, text }));
    const a = checkInventory(forward, { env: {} });
    const b = checkInventory([...forward].reverse(), { env: {} });
    expect(b).toEqual(a);
  });

  it("reports .yml files instead of silently skipping them, and ignores other files", () => {
    const files = { ...baseFiles(), "sites/beta.yml": site("beta.example", "beta"), "sites/README.md": "# notes", "sites/.draft.yaml": "bad: [" };
    const result = check(files);
    expectDiagnostic(result, { code: "wrong-extension", file: "sites/beta.yml", line: 1, message: /`.yaml` files only/ });
    expect(result.diagnostics.find((d) => d.code === "wrong-extension")?.hint).toBe("rename it to sites/beta.yaml");
    expectErrors(result, ["wrong-extension"]);
  });

  it("reports a file that could not be read", () => {
    const sources = [...Object.entries(baseFiles()).map(([file, text]) => ({ file, text })), { file: "sites/locked.yaml", unreadable: "EACCES" }];
    const result = checkInventory(sources, { env: {} });
    expectDiagnostic(result, { code: "unreadable-file", file: "sites/locked.yaml", line: 1, message: /EACCES/ });
  });

  it("a YAML file that is not a mapping", () => {
    const result = check({ ...baseFiles(), "sites/list.yaml": lines("- domain: a.example") });
    expectDiagnostic(result, { code: "wrong-type", file: "sites/list.yaml", line: 1, message: /the file must be a mapping of fields, not a list/ });
  });
});
