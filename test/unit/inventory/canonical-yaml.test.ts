/**
 * The canonical layout rule by rule, and its two guarantees on awkward inputs: the output reads
 * back as the same data, and formatting it again changes nothing.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { canonicalYaml } from "../../../src/inventory/canonical-yaml.js";

function canonical(text: string): string {
  const result = canonicalYaml("sites/x.yaml", text);
  if (!result.ok) throw new Error(`did not parse: ${JSON.stringify(result.diagnostics)}`);
  return result.text;
}

describe("canonicalYaml", () => {
  it.each([
    ["2-space indentation, list items under their key", "a:\n    b:\n    - 1\n", "a:\n  b:\n    - 1\n"],
    ["block style for non-empty flow collections, `{}`/`[]` kept", "a: {b: [1, 2], c: {}, d: []}\n", "a:\n  b:\n    - 1\n    - 2\n  c: {}\n  d: []\n"],
    ["keys stay in the order written", "zeta: 1\nalpha: 2\n", "zeta: 1\nalpha: 2\n"],
    ["plain strings where they read back the same", "a: 'x'\nb: \"y\"\n", "a: x\nb: y\n"],
    ["quotes kept where a plain scalar would read differently", "a: '5000'\nb: '00123'\nc: 'true'\nd: '@x'\ne: 'a: b'\n", 'a: "5000"\nb: "00123"\nc: "true"\nd: "@x"\ne: "a: b"\n'],
    ["YAML 1.1 boolean words stay quoted", "a: 'no'\nb: \"on\"\nc: 'yes'\n", 'a: "no"\nb: "on"\nc: "yes"\n'],
    ["true, false and null spelled so", "a: True\nb: FALSE\nc: ~\nd:\n", "a: true\nb: false\nc: null\nd: null\n"],
    ["numbers as written", "a: 1.50\nb: 7\n", "a: 1.50\nb: 7\n"],
    ["one-line folded text on one line", "a: >-\n  one\n  two\n", "a: one two\n"],
    ["text with line breaks as a literal block", 'a: "x\\ny\\n"\n', "a: |\n  x\n  y\n"],
    ["no wrapping, however long", `a: ${"word ".repeat(40).trim()}\n`, `a: ${"word ".repeat(40).trim()}\n`],
    ["one space before a trailing comment", "a: 1      # why\n", "a: 1 # why\n"],
    ["comments and one blank line kept, runs of blank lines collapsed", "# head\n\n\n\na: 1\n\n\n# about b\nb: 2\n", "# head\n\na: 1\n\n# about b\nb: 2\n"],
    ["a bare `#` line stays a comment line", "# one\n#\n# two\na: 1\n", "# one\n#\n# two\na: 1\n"],
    ["no trailing whitespace in comments", "# note   \na: 1\n", "# note\na: 1\n"],
    ["no document markers", "---\na: 1\n...\n", "a: 1\n"],
    ["markers kept after a directive", "%YAML 1.2\n---\na: 1\n", "%YAML 1.2\n---\na: 1\n"],
    ["LF, no byte-order mark, no blank lines at the ends", "\uFEFF\r\n\r\na: 1\r\n\r\n\r\n", "a: 1\n"],
    ["anchors and aliases kept", "x: &base\n  k: 1\ny: *base\n", "x: &base\n  k: 1\ny: *base\n"],
  ])("%s", (_rule, input, expected) => {
    expect(canonical(input)).toBe(expected);
  });

  it.each([
    "a: 1 # c\n   # more\nb: [1,  2] # x\n",
    "a:\n  # c1\n\n\n  # c2\n  b: 1\n\n\n\nc: 2\n",
    "- a\n-  [b, c]\n- {k: v}\n",
    "a: |\n  trailing  \n  x\nb: >\n  folded\n  text\n\n  para\n",
    "a: !!str 5\nb: \"#x\"\nc: \"- y\"\nf: \" lead\"\ng: \"trail \"\nh: \"tab\\there\"\n",
    "sites:\n- domain: a.example # first is the parent\n  aliases: [b.example]\n\n- domain: c.example\n",
  ])("keeps the data and is idempotent: %j", (input) => {
    const once = canonical(input);
    expect(parse(once)).toEqual(parse(input));
    expect(canonical(once)).toBe(once);
    expect(canonicalYaml("x", once)).toMatchObject({ ok: true, changed: false });
  });

  it("says whether the text changed", () => {
    expect(canonicalYaml("x", "a: 1\n")).toEqual({ ok: true, text: "a: 1\n", changed: false });
    expect(canonicalYaml("x", "a:  1\n")).toEqual({ ok: true, text: "a: 1\n", changed: true });
  });

  it("refuses what validate refuses, at the same place", () => {
    const duplicate = canonicalYaml("sites/x.yaml", "a: 1\nb: 2\na: 3\n");
    expect(duplicate).toMatchObject({ ok: false, diagnostics: [{ file: "sites/x.yaml", line: 3, column: 1, code: "duplicate-key" }] });
    expect(canonicalYaml("sites/x.yaml", "a: 1\n---\nb: 2\n")).toMatchObject({ ok: false });
    expect(canonicalYaml("sites/x.yaml", "# only a comment\n")).toMatchObject({ ok: false, diagnostics: [{ code: "empty-file" }] });
  });
});
