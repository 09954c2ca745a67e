import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { parseDuration } from "../../src/cli/options.js";

describe("--lock-timeout durations", () => {
  it("reads seconds and minutes as milliseconds; 0 means do not wait", () => {
    expect(parseDuration("0")).toBe(0);
    expect(parseDuration("90")).toBe(90_000);
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("10m")).toBe(600_000);
  });

  it("refuses anything else, saying what it takes", () => {
    for (const bad of ["5h", "-1", "1.5m", "", "m"]) {
      expect(() => parseDuration(bad), bad).toThrow(InvalidArgumentError);
      expect(() => parseDuration(bad), bad).toThrow(/seconds \(90, 90s\) or minutes \(10m\)/);
    }
  });
});
