import { describe, expect, it } from "vitest";
import { parseSince } from "../../../src/emulator/apiscp/model/since.js";

const NOW = 1_700_000_000; // 2023-11-14T22:13:20Z

describe("the since flag", () => {
  it.each([
    ["now", NOW],
    ["NOW", NOW],
    ["30 days ago", NOW - 30 * 86400],
    ["1 day ago", NOW - 86400],
    ["2 weeks ago", NOW - 14 * 86400],
    ["12 hours ago", NOW - 12 * 3600],
    ["90 minutes ago", NOW - 90 * 60],
    ["45 seconds ago", NOW - 45],
    ["1 fortnight ago", NOW - 14 * 86400],
    [" 7 Days Ago ", NOW - 7 * 86400],
    [1_600_000_000, 1_600_000_000],
    ["1600000000", 1_600_000_000],
    [0, 0],
  ])("reads %j", (given, expected) => {
    expect(parseSince(given, NOW)).toBe(expected);
  });

  it("counts months and years on the UTC calendar", () => {
    expect(parseSince("1 month ago", NOW)).toBe(Date.UTC(2023, 9, 14, 22, 13, 20) / 1000);
    expect(parseSince("2 years ago", NOW)).toBe(Date.UTC(2021, 10, 14, 22, 13, 20) / 1000);
  });

  it.each([["30 days"], ["yesterday"], ["2023-01-01"], ["-5"], [""], [1.5], [-1], [true], [null], [["now"]]])(
    "refuses %j",
    (given) => {
      expect(() => parseSince(given, NOW)).toThrow(/^invalid since .*: expected "now", a relative time/);
    },
  );
});
