/**
 * SITEFORM_THREADS and when work goes to the helper thread: never without the worker's code (a
 * program run from the sources), never with 1, always with 2 or more, and for large work only
 * when unset or `auto`.
 */
import { availableParallelism } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { helperWanted, parseThreadPolicy, useHelperThreads } from "../../../src/threads/helper-thread.js";

const ENTRY = new URL("file:///nowhere/worker.js");

afterEach(() => useHelperThreads(null, "auto"));

describe("SITEFORM_THREADS", () => {
  it("reads unset, empty and `auto` as automatic, 1 as never, 2 or more as always", () => {
    expect([undefined, "", "auto"].map(parseThreadPolicy)).toEqual(["auto", "auto", "auto"]);
    expect(parseThreadPolicy("1")).toBe("never");
    expect(["2", "4", "16"].map(parseThreadPolicy)).toEqual(["always", "always", "always"]);
  });

  it("refuses anything else", () => {
    for (const bad of ["0", "-1", "two", "1.5", " 2", "auto2", "yes"]) expect(parseThreadPolicy(bad), bad).toBeNull();
  });
});

describe("helperWanted", () => {
  it("is false without the worker's code, whatever the policy and size", () => {
    for (const policy of ["auto", "never", "always"] as const) {
      useHelperThreads(null, policy);
      expect(helperWanted(true)).toBe(false);
    }
  });

  it("follows the policy when the worker's code is there", () => {
    useHelperThreads(ENTRY, "never");
    expect(helperWanted(true)).toBe(false);
    useHelperThreads(ENTRY, "always");
    expect(helperWanted(false)).toBe(true);
    useHelperThreads(ENTRY, "auto");
    expect(helperWanted(false)).toBe(false);
    expect(helperWanted(true)).toBe(availableParallelism() >= 2);
  });
});
