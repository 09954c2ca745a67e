import { describe, expect, it } from "vitest";
import { copyValue, describeValue, soapEqual } from "../../../src/emulator/apiscp/model/values.js";

describe("SoapValue helpers", () => {
  it("compares structurally, with map key order irrelevant and list order relevant", () => {
    expect(soapEqual({ a: 1, b: [1, "x", null] }, { b: [1, "x", null], a: 1 })).toBe(true);
    expect(soapEqual([1, 2], [2, 1])).toBe(false);
    expect(soapEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(soapEqual([], {})).toBe(false);
    expect(soapEqual(1, "1")).toBe(false);
    expect(soapEqual(null, null)).toBe(true);
  });

  it("copies deeply", () => {
    const original = { list: [{ a: 1 }], n: null };
    const copy = copyValue(original);
    expect(copy).toEqual(original);
    (copy.list[0] as { a: number }).a = 2;
    expect(original.list[0]?.a).toBe(1);
  });

  it("renders values briefly for messages", () => {
    expect(describeValue("x")).toBe('"x"');
    expect(describeValue(undefined)).toBe("nothing");
    expect(describeValue("y".repeat(200))).toHaveLength(80);
  });
});
