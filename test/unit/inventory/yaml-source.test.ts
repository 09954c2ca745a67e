import { describe, expect, it } from "vitest";
import { YamlSource } from "../../../src/inventory/yaml-source.js";
import { baseFiles, check, expectDiagnostic, expectErrors, lines } from "./helpers.js";

describe("YamlSource", () => {
  it("maps field paths to the line and column of the value, or of the key", () => {
    const parsed = YamlSource.parse("sites/g.yaml", lines("# comment", "invoice: X", "sites:", "  - domain: a.example", "    aliases:", "      - b.example", "      - c.example"));
    if (!parsed.ok) throw new Error("should parse");
    const source = parsed.source;
    expect(source.ref(["sites", 0, "aliases", 1])).toEqual({ file: "sites/g.yaml", line: 7, column: 9, path: "sites[0].aliases[1]" });
    expect(source.ref(["sites", 0, "aliases"], "key")).toMatchObject({ line: 5, column: 5 });
    expect(source.ref(["sites", 0])).toMatchObject({ line: 4, column: 5, path: "sites[0]" });
    expect(source.ref([])).toMatchObject({ line: 2, column: 1, path: "" });
  });

  it("falls back to the nearest enclosing node for a field that is not there", () => {
    const parsed = YamlSource.parse("f.yaml", lines("a:", "  b: 1"));
    if (!parsed.ok) throw new Error("should parse");
    expect(parsed.source.ref(["a", "missing"])).toMatchObject({ line: 2, column: 3, path: "a.missing" });
  });

  it("points an empty value at its key", () => {
    const parsed = YamlSource.parse("f.yaml", lines("a: 1", "domain:", "b: 2"));
    if (!parsed.ok) throw new Error("should parse");
    expect(parsed.source.ref(["domain"])).toMatchObject({ line: 2, column: 1 });
  });

  it("keeps numeric-looking map keys apart from list indexes", () => {
    const parsed = YamlSource.parse("f.yaml", lines("servers:", "  1:", "    x: 1", "  2:", "    x: 2"));
    if (!parsed.ok) throw new Error("should parse");
    expect(parsed.source.ref(["servers", "2", "x"])).toMatchObject({ line: 5, column: 8, path: 'servers["2"].x' });
  });
});

describe("YAML problems", () => {
  it("reports a syntax error at its line, with a hint", () => {
    const files = { ...baseFiles(), "sites/alpha.yaml": lines("domain: alpha.example", "server: fra1", "admin_user: 'alpha", "email: a@alpha.example") };
    const result = check(files);
    const d = expectDiagnostic(result, { code: "yaml-syntax", file: "sites/alpha.yaml", line: 5, message: /^YAML: Missing closing 'quote/ });
    expect(d.hint).toMatch(/not closed/);
    expectErrors(result, ["yaml-syntax"]);
  });

  it("reports a bad indentation once, at the line it starts", () => {
    const files = { ...baseFiles(), "sites/alpha.yaml": lines("domain: alpha.example", "  server: fra1") };
    const result = check(files);
    expectDiagnostic(result, { code: "yaml-syntax", file: "sites/alpha.yaml", line: 1, message: /^YAML: / });
  });

  it("reports tabs used as indentation", () => {
    const files = { ...baseFiles(), "plans/basic.yaml": lines("apiscp_plan: basic", "services:", "\tdiskquota: {}") };
    const d = expectDiagnostic(check(files), { code: "yaml-syntax", file: "plans/basic.yaml", line: 3, message: /YAML/ });
    expect(d.hint).toBeDefined();
  });

  it("reports a duplicate key at the second occurrence, naming the field", () => {
    const files = { ...baseFiles(), "sites/alpha.yaml": lines("domain: alpha.example", "server: fra1", "domain: beta.example") };
    const result = check(files);
    expectDiagnostic(result, { code: "duplicate-key", file: "sites/alpha.yaml", line: 3, column: 1, message: /^duplicate field `domain`$/ });
    expectErrors(result, ["duplicate-key"]);
  });

  it("reports a duplicate key deep in a group", () => {
    const group = lines("invoice: INV-1", "server: fra1", "sites:", "  - domain: a.example", "    admin_user: a", "    admin_user: b");
    const result = check({ ...baseFiles(), "sites/g.yaml": group });
    expectDiagnostic(result, { code: "duplicate-key", file: "sites/g.yaml", line: 6, column: 5, message: /`admin_user`/ });
  });

  it("reports several documents in one file", () => {
    const files = { ...baseFiles(), "sites/two.yaml": `${lines("domain: a.example")}---\n${lines("domain: b.example")}` };
    const d = expectDiagnostic(check(files), { code: "yaml-syntax", file: "sites/two.yaml", line: 2, message: /multiple documents/ });
    expect(d.hint).toMatch(/one site, one invoice group or one plan/);
  });

  it("reports an empty file", () => {
    const result = check({ ...baseFiles(), "sites/empty.yaml": "# nothing yet\n" });
    expectDiagnostic(result, { code: "empty-file", file: "sites/empty.yaml", line: 1, message: /no YAML document/ });
  });

  it("reports an alias without its anchor", () => {
    const result = check({ ...baseFiles(), "sites/alias.yaml": lines("domain: *nowhere") });
    expectDiagnostic(result, { code: "yaml-syntax", file: "sites/alias.yaml", line: 1, message: /nowhere|alias/i });
  });

  it("never quotes the offending source line, which may hold a secret", () => {
    const files = { ...baseFiles(), "sites/alpha.yaml": lines("domain: alpha.example", "services:", "  auth:", "    tpasswd: 's3cr3t-Passw0rd") };
    const result = check(files);
    expect(JSON.stringify(result.diagnostics)).not.toContain("s3cr3t");
  });
});

describe("YAML anchors", () => {
  it("resolve, and a mistake inside an anchored node is reported at the anchor for each use", () => {
    const group = lines(
      "invoice: INV-1",
      "server: fra1",
      "sites:",
      "  - domain: a.example",
      "    admin_user: a",
      "    email: a@a.example",
      "    plan: basic",
      "    services: &common",
      "      cgroup:",
      "        memory: lots",
      "  - domain: b.example",
      "    admin_user: b",
      "    email: b@b.example",
      "    plan: basic",
      "    services: *common",
    );
    const result = check({ ...baseFiles(), "sites/g.yaml": group });
    expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.path}`)).toEqual(["10:17 sites[0].services.cgroup.memory", "10:17 sites[1].services.cgroup.memory"]);
    const fixed = check({ ...baseFiles(), "sites/g.yaml": group.replace("memory: lots", "memory: 512") });
    expect(fixed.inventory?.resources.filter((s) => s.key.startsWith("sites/g")).map((s) => s.fields.cgroup?.memory)).toEqual([512, 512]);
  });
});
