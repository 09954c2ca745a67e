import { describe, expect, it } from "vitest";
import { firstEightClash, usernameProblem } from "../../../src/emulator/whm/model/username.js";

describe("usernameProblem", () => {
  it.each(["a", "acme", "acme2024", "abcdefghijklmnop", "tes", "atest"])("accepts %s", (user) => {
    expect(usernameProblem(user)).toBeUndefined();
  });

  it.each([
    ["", /empty/],
    ["abcdefghijklmnopq", /at most 16 characters/],
    ["9lives", /cannot begin with a number/],
    ["test", /cannot begin with the string “test”/],
    ["testing1", /“test”/],
    ["Acme", /only lowercase letters and digits/],
    ["ac_me", /only lowercase letters and digits/],
    ["ac.me", /only lowercase letters and digits/],
    ["nobody", /reserved/],
  ])("refuses %j", (user, problem) => {
    expect(usernameProblem(user)).toMatch(problem);
  });
});

describe("firstEightClash", () => {
  it("finds another name with the same first 8 characters, not the name itself", () => {
    expect(firstEightClash("acmecorp2", ["acmecorp1", "other"])).toBe("acmecorp1");
    expect(firstEightClash("acmecorp", ["acmecorpx"])).toBe("acmecorpx");
    expect(firstEightClash("acmecorp1", ["acmecorp1"])).toBeUndefined();
    expect(firstEightClash("acmecor", ["acmecorp"])).toBeUndefined();
  });
});
