import { describe, expect, it } from "vitest";
import { changeValues, formatValue, resourceLabel, safeText } from "../../../src/render/format-value.js";
import { code, escapeHtml, escapeMarkdown } from "../../../src/render/markdown-escape.js";
import { actionPhrase, countActions, paidPhrase } from "../../../src/render/counts.js";
import { op } from "./rich-plan.js";

describe("formatValue", () => {
  it.each([
    [null, "(none)"],
    ["acme.example", "acme.example"],
    ["two words", "two words"],
    ["", '""'],
    ["5000", '"5000"'],
    ["true", '"true"'],
    ["(none)", '"(none)"'],
    ["trailing ", '"trailing "'],
    [5000, "5000"],
    [false, "false"],
    [["a", "b"], "[a, b]"],
    [[], "[]"],
    [{ quota: 5, units: "MB" }, "{quota: 5, units: MB}"],
  ])("%j reads as %s", (value, expected) => {
    expect(formatValue(value)).toBe(expected);
  });

  it("shortens long values with an ellipsis", () => {
    expect(formatValue("x".repeat(200), 10)).toBe(`${"x".repeat(9)}…`);
  });

  it("shows no value of a secret change", () => {
    expect(changeValues({ field: "f", before: "a", after: "b", secret: true })).toEqual({ before: "(secret)", after: "(secret)" });
    expect(changeValues({ field: "f", before: null, after: "b", secret: true })).toEqual({ before: "(none)", after: "(secret)" });
  });

  it("escapes control and bidi characters", () => {
    expect(safeText("a\u001b[31mb\nc\u202e")).toBe("a\\u001b[31mb\\nc\\u202e");
  });

  it("labels a resource as name (id), the name alone before it has an id", () => {
    expect(resourceLabel({ name: "acme.example", id: "site12" })).toBe("acme.example (site12)");
    expect(resourceLabel({ name: "new.example", id: null })).toBe("new.example");
    expect(resourceLabel({ name: "a\u001bb", id: "x\ny" })).toBe("a\\u001bb (x\\ny)");
  });
});

describe("markdown escaping", () => {
  it("code spans hold backticks", () => {
    expect(code("plain")).toBe("`plain`");
    expect(code("a`b")).toBe("``a`b``");
    expect(code("`x`")).toBe("`` `x` ``");
  });

  it("running text cannot open tags, links or emphasis", () => {
    expect(escapeHtml('<a href="x">&')).toBe("&lt;a href=&quot;x&quot;&gt;&amp;");
    expect(escapeMarkdown("*b* _i_ [l](u) | #1 @me")).toBe("\\*b\\* \\_i\\_ \\[l\\](u) \\| \\#1 @\u200bme");
  });
});

describe("counts", () => {
  it("phrases counts in review order, with or without zeros", () => {
    const counts = countActions([op("create", "a", { reason: "r" }), op("delete", "b", { reason: "r" }), op("create", "c", { reason: "r" })]);
    expect(actionPhrase(counts)).toBe("1 to delete, 2 to create");
    expect(actionPhrase(counts, { withZeros: true })).toBe("1 to delete, 0 to suspend, 0 to update, 2 to create, 0 to activate");
  });

  it("counts a kind's own actions after update, and says what costs money", () => {
    const ops = [op("renew", "a", { reason: "r", paid: true }), op("update", "b", { reason: "r" }), op("create", "c", { reason: "r", paid: true }), op("audit", "d", { reason: "r" })];
    const counts = countActions(ops);
    expect(counts).toEqual({ delete: 0, suspend: 0, update: 1, create: 1, activate: 0, renew: 1, audit: 1 });
    expect(actionPhrase(counts)).toBe("1 to update, 1 to audit, 1 to renew, 1 to create");
    expect(actionPhrase(counts, { withZeros: true })).toBe("0 to delete, 0 to suspend, 1 to update, 1 to audit, 1 to renew, 1 to create, 0 to activate");
    expect(paidPhrase(ops)).toBe("; 2 cost money");
    expect(paidPhrase(ops.slice(0, 1))).toBe("; 1 costs money");
    expect(paidPhrase([])).toBe("");
  });
});
