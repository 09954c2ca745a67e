import { describe, expect, it } from "vitest";
import { parsePattern } from "../../../src/emulator/apiscp/model/pattern.js";

describe("the match flag", () => {
  it("reads PCRE-delimited patterns with modifiers", () => {
    expect(parsePattern("/cancel/i").test("CANCELLED by billing")).toBe(true);
    expect(parsePattern("#^siteform:#").test("siteform: cancelled")).toBe(true);
    expect(parsePattern("~a/b~").test("a/b")).toBe(true);
    expect(parsePattern("/^x$/m").test("y\nx")).toBe(true);
  });

  it("takes anything else as a bare, unanchored pattern", () => {
    expect(parsePattern("cancel").test("siteform cancel 2024-01-01")).toBe(true);
    expect(parsePattern("cancel").test("Cancel")).toBe(false);
    expect(parsePattern("^non-payment$").test("non-payment")).toBe(true);
    expect(parsePattern("a/b").test("xa/by")).toBe(true);
  });

  it("refuses empty, invalid and untranslatable patterns", () => {
    expect(() => parsePattern("")).toThrow("invalid match pattern: empty");
    expect(() => parsePattern("(")).toThrow(/^invalid match pattern "\("/);
    expect(() => parsePattern("/a/x")).toThrow(/unsupported modifier/);
    expect(() => parsePattern("/a/g")).toThrow(/unsupported modifier/);
  });
});
