/**
 * The linear `uniqueItems` keeps the standard keyword's meaning (equal JSON values, whatever
 * their keys' order; `1` and `"1"` differ) and its error shape (the later item in `params.i`).
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { canonical, uniqueItemsKeyword } from "../../../src/inventory/unique-items.js";

function validator(): (data: unknown) => { valid: boolean; params?: unknown } {
  const ajv = new Ajv2020({ allErrors: true });
  ajv.removeKeyword("uniqueItems");
  ajv.addKeyword(uniqueItemsKeyword);
  const validate = ajv.compile({ type: "array", uniqueItems: true });
  return (data) => (validate(data) ? { valid: true } : { valid: false, params: validate.errors?.[0]?.params });
}

describe("uniqueItems in linear time", () => {
  it("equal values have one key, different ones different keys", () => {
    expect(canonical({ a: 1, b: [true, null] })).toBe(canonical({ b: [true, null], a: 1 }));
    expect(canonical(1)).not.toBe(canonical("1"));
    expect(canonical("null")).not.toBe(canonical(null));
    expect(canonical(true)).not.toBe(canonical("true"));
    expect(canonical([1, 2])).not.toBe(canonical([2, 1]));
    expect(canonical(0)).toBe(canonical(-0));
    expect(canonical(Number.NaN)).toBeNull();
  });

  it("reports the repeat as i and the first as j, as ajv's keyword does", () => {
    const check = validator();
    expect(check(["a", "b", "c"])).toEqual({ valid: true });
    expect(check(["a", "b", "a"])).toEqual({ valid: false, params: { i: 2, j: 0 } });
    expect(check([{ x: 1, y: 2 }, { y: 2, x: 1 }])).toEqual({ valid: false, params: { i: 1, j: 0 } });
    expect(check([1, "1"])).toEqual({ valid: true });
  });

  it("100,000 distinct items take a fraction of a second", () => {
    const check = validator();
    const items = Array.from({ length: 100_000 }, (_, i) => `alias-${i}.example`);
    const start = performance.now();
    expect(check(items)).toEqual({ valid: true });
    // Pairwise comparison of 100,000 items is 5 billion comparisons: minutes.
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});
