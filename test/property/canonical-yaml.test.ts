/**
 * fmt's two guarantees on arbitrary YAML: random documents (nested mappings and lists, strings
 * that YAML reads specially, line breaks, numbers, booleans, nulls), written in random styles
 * (block or flow, any quoting, 2–6 spaces) with whole-line comments and blank lines between
 * top-level keys, come out of canonicalYaml as the same data, and formatting that output again
 * changes nothing.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { canonicalYaml } from "../../src/inventory/canonical-yaml.js";

const tricky = fc.constantFrom("yes", "no", "on", "off", "5000", "00123", "0x1F", "1e3", "~", "", " ", "a\nb", "a\n", "\n", "  lead\n x", "trail \n", "#c", "a # b", "'q'", '"d"', "@x", "*y", "&z", "!t", "%p", "|", ">", "-", "- ", "? k", ": v", "[a]", "{b}");
const key = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom("yes", "no", "on", "true", "1", "null", "a: b", "#x", "- y"));
const scalar = fc.oneof(fc.string({ maxLength: 20, unit: "binary" }), fc.string({ maxLength: 20 }), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), tricky);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small" }, scalar, fc.array(tie("node"), { maxLength: 4 }), fc.dictionary(key, tie("node"), { maxKeys: 4 })),
})).node;
const layout = fc.record({
  collectionStyle: fc.constantFrom("block", "flow", "any"),
  defaultStringType: fc.constantFrom("PLAIN", "QUOTE_SINGLE", "QUOTE_DOUBLE", "BLOCK_LITERAL", "BLOCK_FOLDED"),
  indent: fc.integer({ min: 2, max: 6 }),
  comments: fc.boolean(),
});

/** Whole-line comments, a bare `#` and blank lines before each top-level key (a line at column 0 is never inside a block scalar). */
function withComments(text: string): string {
  const lines = text.split("\n").map((line, i) => (i > 0 && /^[^\s#-]/.test(line) ? `\n\n#  note ${i}   \n#\n${line}` : line));
  return `# head\n\n${lines.join("\n")}`;
}

function readable(text: string): boolean {
  try {
    parse(text);
    return true;
  } catch {
    return false;
  }
}

it("keeps the data and is idempotent, whatever the input's layout", () => {
  fc.assert(
    fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), layout, (doc, l) => {
      const written = stringify(doc, { collectionStyle: l.collectionStyle, defaultStringType: l.defaultStringType, indent: l.indent, lineWidth: 20 });
      const text = l.comments ? withComments(written) : written;
      // fmt's guarantees are for valid YAML: the yaml package itself now and then writes text it
      // cannot read back (folding an astral character next to escapes at lineWidth 20), which
      // fmt rightly refuses as a syntax error. Such a sample says nothing about fmt.
      fc.pre(readable(text));
      const result = canonicalYaml("x.yaml", text);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(parse(result.text)).toEqual(parse(text));
      expect(canonicalYaml("x.yaml", result.text)).toEqual({ ok: true, text: result.text, changed: false });
    }),
    { numRuns: 500 },
  );
});
