/**
 * The inventory's limits (src/inventory/limits.ts, the schemas' maxItems): each is reported at
 * its file and line with a code of its own (`file-too-large`, `limit-exceeded`, `too-many-problems`, or the schema's `out-of-range` for a long list), and each stops the work it bounds, which the
 * tests see as the absence of what reading further would have found (a syntax error past the
 * limit). Plus the checks that used to be quadratic, timed against the floor of parsing the
 * same text: a quadratic step is 50 to 1,000 times the floor at these sizes, a linear one 1 to 3.
 */
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { MAX_DEPTH, MAX_FILE_BYTES, MAX_FILE_TOKENS } from "../../../src/inventory/limits.js";
import { checkInventory } from "../../../src/inventory/index.js";
import { KEYS, baseFiles, check, errorsOf, expectDiagnostic, expectErrors, lines, site } from "./helpers.js";

/** The site of helpers.site with `aliases:` on line 6 and alias i on line 7 + i. */
function withAliases(aliases: readonly string[]): string {
  return site("alpha.example", "alpha", ["aliases:", ...aliases.map((a) => `  - ${a}`)]);
}

/** Milliseconds `work` takes, best of three: the floor and the measured work see the same warm-up. */
function bestOf(work: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    work();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

describe("file size", () => {
  it("a file over 8 MiB is refused at its first line, and not parsed", () => {
    // Unparseable past the first byte: a parse would add a yaml-syntax error.
    const huge = `[${"a".repeat(MAX_FILE_BYTES)}`;
    const result = check({ ...baseFiles(), "sites/huge.yaml": huge });
    const d = expectDiagnostic(result, { code: "file-too-large", file: "sites/huge.yaml", line: 1, column: 1, message: /^the file is 8\.0 MiB: siteform reads inventory files of at most 8\.0 MiB, so it was not read$/ });
    expect(d.hint).toMatch(/split it/);
    expectErrors(result, ["file-too-large"]);
  });

  it("counts bytes, not characters: 8 MiB of two-byte characters is over the limit", () => {
    const result = check({ ...baseFiles(), "sites/wide.yaml": `notes: ${"ä".repeat(MAX_FILE_BYTES / 2)}` });
    expectErrors(result, ["file-too-large"]);
  });

  it("a file the loader only measured is reported with its size", () => {
    const result = checkInventory([...Object.entries(baseFiles()).map(([file, text]) => ({ file, text })), { file: "sites/huge.yaml", tooLarge: 50 * 1024 * 1024 }], { env: KEYS });
    expectDiagnostic(result, { code: "file-too-large", file: "sites/huge.yaml", line: 1, message: /^the file is 50\.0 MiB/ });
  });

  it("a file of exactly 8 MiB is read", () => {
    const padding = MAX_FILE_BYTES - Buffer.byteLength(site("alpha.example", "alpha")) - 1;
    const text = `${site("alpha.example", "alpha")}#${"x".repeat(padding)}`;
    expect(Buffer.byteLength(text)).toBe(MAX_FILE_BYTES);
    expectErrors(check({ ...baseFiles(), "sites/alpha.yaml": text }), []);
  });
});

describe("YAML tokens and nesting", () => {
  it("more than 1,000,000 tokens stops the parse where the limit is passed", () => {
    // Flow items are 3 tokens each (the scalar's two and the comma); the unclosed bracket at the end is never reached.
    const items = Math.ceil(MAX_FILE_TOKENS / 3) + 10;
    const text = `notes:\n  [${"1,".repeat(items)}`;
    const result = check({ ...baseFiles(), "sites/many.yaml": text });
    const d = expectDiagnostic(result, { code: "limit-exceeded", file: "sites/many.yaml", line: 2, message: /more than 1,000,000 YAML tokens/ });
    // Column: where the 1,000,001st token starts (2 characters for 3 tokens), near the end of the line.
    expect(d.column).toBeGreaterThan(600_000);
    expectErrors(result, ["limit-exceeded"]);
  });

  it("nesting deeper than 64 levels is refused there, before the parser recurses into it", () => {
    const text = lines("domain: alpha.example", `notes: ${"[".repeat(10_000)}`);
    const result = check({ ...baseFiles(), "sites/deep.yaml": text });
    const d = expectDiagnostic(result, { code: "limit-exceeded", file: "sites/deep.yaml", line: 2, message: /nested more than 64 levels/ });
    expect(d.column).toBeLessThan(8 + MAX_DEPTH + 2);
    expectErrors(result, ["limit-exceeded"]);
  });

  it("ordinary nesting is far from the limit", () => {
    const group = lines("invoice: INV-1", "server: fra1", "sites:", "  - domain: g.example", "    admin_user: g", "    email: a@g.example", "    plan: basic", "    services:", "      ipinfo:", "        namebased: false", "        ipaddrs: [192.0.2.10]");
    expectErrors(check({ ...baseFiles(), "sites/g.yaml": group }), []);
  });
});

describe("YAML aliases", () => {
  it("aliases that expand past 1,000,000 values (a billion laughs) are refused at the alias that passes it", () => {
    const level = (name: string, of: string): string => `${name}: &${name} [${Array(10).fill(of).join(", ")}]`;
    const text = lines(level("a", "x"), level("b", "*a"), level("c", "*b"), level("d", "*c"), level("e", "*d"), level("f", "*e"), level("g", "*f"));
    const result = check({ ...baseFiles(), "sites/bomb.yaml": text });
    const d = expectDiagnostic(result, { code: "limit-exceeded", file: "sites/bomb.yaml", line: 6, message: /aliases expand it to more than 1,000,000 values/ });
    expect(d.hint).toMatch(/anchor/);
  });

  it("an alias inside the value its anchor names is refused, not followed", () => {
    const result = check({ ...baseFiles(), "sites/loop.yaml": lines("domain: &d [a, *d]") });
    expectDiagnostic(result, { code: "yaml-syntax", file: "sites/loop.yaml", line: 1, message: /`\*d` is inside the value its anchor names/ });
  });

  it("an alias means the closest anchor of that name before it", () => {
    const plan = lines("apiscp_plan: basic", "services:", "  cgroup:", "    memory: &m 512", "    proclimit: &m 30", "  mysql:", "    dbasenum: *m");
    const result = check({ ...baseFiles(), "plans/basic.yaml": plan });
    expect(result.ok).toBe(true);
    expect(result.inventory?.plans[0]?.fields.mysql?.dbasenum).toBe(30);
  });
});

describe("list lengths (the schemas' maxItems)", () => {
  it("more aliases than the maximum is refused at the list, saying how many", () => {
    const aliases = Array.from({ length: 10_001 }, (_, i) => `a${i}.example`);
    const result = check({ ...baseFiles(), "sites/alpha.yaml": withAliases(aliases) });
    const d = expectDiagnostic(result, { code: "out-of-range", file: "sites/alpha.yaml", line: 7, path: "aliases", message: /^`aliases` must be a list of at most 10,000 items, not 10,001$/ });
    expect(d.hint).toMatch(/docs\/inventory\.md/);
    expectErrors(result, ["out-of-range"]);
  });

  it("exactly the maximum is accepted", () => {
    const aliases = Array.from({ length: 10_000 }, (_, i) => `a${i}.example`);
    const result = check({ ...baseFiles(), "sites/alpha.yaml": withAliases(aliases) });
    expectErrors(result, []);
    expect(result.inventory?.resources[0]?.fields.aliases?.aliases).toHaveLength(10_000);
  });

  it("more than 100 e-mail addresses", () => {
    const emails = Array.from({ length: 101 }, (_, i) => `o${i}@alpha.example`);
    const text = site("alpha.example", "alpha").replace("email: owner@alpha.example", `email: [${emails.join(", ")}]`);
    expectDiagnostic(check({ ...baseFiles(), "sites/alpha.yaml": text }), { code: "out-of-range", file: "sites/alpha.yaml", line: 4, message: /at most 100 items, not 101/ });
  });
});

describe("linear time", () => {
  it("10,000 aliases with the last repeating the first: reported at the repeat, in about the time of parsing them", () => {
    const aliases = Array.from({ length: 10_000 }, (_, i) => `alias-${i === 9_999 ? 0 : i}.customer.example`);
    const text = withAliases(aliases);
    const files = { ...baseFiles(), "sites/alpha.yaml": text };
    const result = check(files);
    expectDiagnostic(result, { code: "duplicate-item", file: "sites/alpha.yaml", line: 7 + 9_999, path: "aliases[9999]", message: /"alias-0\.customer\.example" is listed twice/ });
    expectErrors(result, ["duplicate-item"]);
    const floor = bestOf(() => parseDocument(text, { uniqueKeys: false }).toJS());
    const checked = bestOf(() => check(files));
    // ajv's pairwise uniqueItems made this about 30 times the floor.
    expect(checked / floor).toBeLessThan(8);
  });

  it("a mapping of 50,000 keys with one repeated: reported at the repeat, in about the time of parsing it", () => {
    const keys = Array.from({ length: 50_000 }, (_, i) => `  p${i}: 1`);
    const text = lines("apiscp_plan: basic", "services:", "  cgroup:", ...keys, "  p7: 2");
    const files = { ...baseFiles(), "plans/basic.yaml": text };
    const result = check(files);
    expectDiagnostic(result, { code: "duplicate-key", file: "plans/basic.yaml", line: 4 + 50_000, message: /^duplicate field `p7`$/ });
    const floor = bestOf(() => parseDocument(text, { uniqueKeys: false }));
    const checked = bestOf(() => check(files));
    // The YAML library's own duplicate-key check compares every key with every earlier one: 50,000 keys take about a minute.
    expect(checked / floor).toBeLessThan(8);
  });

  it("an invoice group of 10,000 sites each missing its fields: refused in about the time of parsing it", () => {
    const text = lines("invoice: INV-1", "server: fra1", "sites:", ...Array.from({ length: 10_000 }, () => "  - {}"));
    const files = { ...baseFiles(), "sites/g.yaml": text };
    const result = check(files);
    expect(result.diagnostics.find((d) => d.path === "sites[0].domain")).toMatchObject({ code: "missing-field", line: 4, message: "missing required field `domain`" });
    const floor = bestOf(() => parseDocument(text, { uniqueKeys: false }).toJS());
    const checked = bestOf(() => check(files));
    // ajv gathers a referenced schema's errors by copying all errors so far: about 20 times the floor before the schemas were inlined.
    expect(checked / floor).toBeLessThan(8);
  });

  it("thousands of unknown fields: the first 1,000 are listed at their lines, the rest counted at the first unlisted one", () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `  unknown${i}: 1`);
    const files = { ...baseFiles(), "plans/basic.yaml": lines("apiscp_plan: basic", "services:", ...keys) };
    const result = check(files);
    const errors = errorsOf(result);
    expect(errors).toHaveLength(1_001);
    expect(errors.filter((d) => d.code === "unknown-field")).toHaveLength(1_000);
    expect(errors[999]).toMatchObject({ code: "unknown-field", line: 3 + 999, column: 3 });
    expectDiagnostic(result, { code: "too-many-problems", file: "plans/basic.yaml", line: 3 + 1_000, message: /^19,000 more problems in this file are not listed, the first of them here: siteform lists at most 1,000 per file$/ });
  });
});
