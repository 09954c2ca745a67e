import { describe, expect, it } from "vitest";
import { bytesToMb, limitText, mbToBytes, parseLimit } from "../../../src/emulator/whm/model/limit.js";

describe("parseLimit", () => {
  it("reads integers, unlimited and null; what 0 means is the parameter's", () => {
    expect(parseLimit("250", "zero")).toBe(250);
    expect(parseLimit("0", "zero")).toBe(0);
    expect(parseLimit("0", "unlimited")).toBe("unlimited");
    expect(parseLimit("Unlimited", "zero")).toBe("unlimited");
    expect(parseLimit("null", "zero")).toBe("unlimited");
  });

  it.each(["-1", "1.5", "lots", "", "1e3"])("refuses %j", (text) => {
    expect(parseLimit(text, "zero")).toBeUndefined();
  });

  it("refuses numbers above the parameter's maximum", () => {
    expect(parseLimit("999999", "zero", 999_999)).toBe(999_999);
    expect(parseLimit("1000000", "zero", 999_999)).toBeUndefined();
  });
});

describe("units", () => {
  it("converts bytes to MB rounding a part-MB up, MB to bytes with 0 for unlimited", () => {
    expect(bytesToMb(300 * 1024 * 1024)).toBe(300);
    expect(bytesToMb(1)).toBe(1);
    expect(bytesToMb("unlimited")).toBe("unlimited");
    expect(mbToBytes(2)).toBe(2 * 1024 * 1024);
    expect(mbToBytes("unlimited")).toBe(0);
    expect(limitText(0)).toBe("0");
    expect(limitText("unlimited")).toBe("unlimited");
  });
});
