import { describe, expect, it } from "vitest";
import {
  DEFAULT_KNOBS,
  KnobError,
  knobFor,
  knobsFromFlags,
  mergeKnobs,
  parseFail,
  parseLatency,
  parseProbability,
} from "../../../src/emulator/apiscp/server/knobs.js";

describe("knob lookup", () => {
  it("prefers the method's own entry, then *, then nothing", () => {
    const table = { admin_add_site: 5, "*": 1 };
    expect(knobFor(table, "admin_add_site")).toBe(5);
    expect(knobFor(table, "admin_collect")).toBe(1);
    expect(knobFor({ admin_add_site: 5 }, "admin_collect")).toBeUndefined();
  });
});

describe("mergeKnobs", () => {
  it("replaces the named tables whole and keeps the rest", () => {
    const a = mergeKnobs(DEFAULT_KNOBS, { latencyMs: { "*": 10 }, returnNull: { admin_add_site: 0.5 } });
    const b = mergeKnobs(a, { latencyMs: { admin_collect: 3 } });
    expect(b.latencyMs).toEqual({ admin_collect: 3 });
    expect(b.returnNull).toEqual({ admin_add_site: 0.5 });
    expect(b.adminDisabled).toBe(false);
  });

  it.each([
    [{ failProbability: { admin_add_site: 1.5 } }, /between 0 and 1/],
    [{ latencyMs: { "*": -1 } }, /milliseconds/],
    [{ dropAfterWork: { admin_add_sit: 0.1 } }, /unknown method 'admin_add_sit'/],
    [{ failForm: { "*": "explode" as never } }, /one of http503, reset, fault/],
  ])("refuses %j", (patch, message) => {
    expect(() => mergeKnobs(DEFAULT_KNOBS, patch)).toThrow(message);
  });
});

describe("CLI spelling", () => {
  it("parses METHOD=VALUE entries", () => {
    expect(parseLatency("admin_add_site=50")).toEqual(["admin_add_site", 50]);
    expect(parseProbability("*=10%", "--drop")).toEqual(["*", 0.1]);
    expect(parseProbability("*=0.1", "--drop")).toEqual(["*", 0.1]);
    expect(parseProbability("admin_collect=2.5%", "--null")).toEqual(["admin_collect", 0.025]);
    expect(parseFail("admin_add_site=50%")).toEqual(["admin_add_site", 0.5, undefined]);
    expect(parseFail("admin_add_site=0.5")).toEqual(["admin_add_site", 0.5, undefined]);
    expect(parseFail("*=100%:reset")).toEqual(["*", 1, "reset"]);
    expect(parseFail("*=1:reset")).toEqual(["*", 1, "reset"]);
  });

  it.each([
    ["admin_add_site", /METHOD=VALUE/],
    ["=5", /METHOD=VALUE/],
    ["admin_add_site=", /METHOD=VALUE/],
    ["admin_add_site=fast", /not a number/],
    ["nope=5", /unknown method 'nope'/],
  ])("refuses latency %s", (entry, message) => {
    expect(() => parseLatency(entry)).toThrow(message);
  });

  it("refuses a value outside 0..1 or 0%..100% and an unknown failure form", () => {
    expect(() => parseProbability("*=150%", "--drop")).toThrow(KnobError);
    expect(() => parseProbability("*=150", "--drop")).toThrow(/150 is not a probability from 0 to 1/);
    expect(() => parseProbability("*=-1", "--drop")).toThrow(/neither a probability from 0 to 1 \(0\.5\) nor a percentage/);
    expect(() => parseFail("*=5%:boom")).toThrow(/failure form 'boom'/);
  });

  it("builds knobs from repeated flags, the later entry winning", () => {
    const knobs = knobsFromFlags({
      latency: ["*=10", "admin_add_site=50", "admin_add_site=60"],
      fail: ["admin_edit_site=25%:fault"],
      drop: ["admin_delete_site=100%"],
      null: ["admin_activate_site=1%"],
      adminDisabled: true,
    });
    expect(knobs).toEqual({
      latencyMs: { "*": 10, admin_add_site: 60 },
      failProbability: { admin_edit_site: 0.25 },
      failForm: { admin_edit_site: "fault" },
      dropAfterWork: { admin_delete_site: 1 },
      returnNull: { admin_activate_site: 0.01 },
      adminDisabled: true,
    });
  });
});
