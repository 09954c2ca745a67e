/**
 * The shared knob parsing as the WHM emulator uses it: entries must name WHM functions (or *),
 * messages give a WHM example, and the tables and CLI spelling are the ApisCP emulator's.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_KNOBS, knobsFromFlags, mergeKnobs, parseFail } from "../../../src/emulator/shared/knobs.js";
import { WHM_KNOB_METHODS } from "../../../src/emulator/whm/knob-methods.js";

describe("shared knobs with WHM's functions", () => {
  it("accepts WHM function names and *, and refuses others with a WHM example", () => {
    expect(mergeKnobs(DEFAULT_KNOBS, { latencyMs: { listaccts: 5, "*": 1 } }, WHM_KNOB_METHODS).latencyMs).toEqual({ listaccts: 5, "*": 1 });
    expect(() => mergeKnobs(DEFAULT_KNOBS, { dropAfterWork: { admin_add_site: 1 } }, WHM_KNOB_METHODS)).toThrow(
      "dropAfterWork: unknown method 'admin_add_site' (use a wire name such as createacct, or *)",
    );
    expect(() => parseFail("createacct", WHM_KNOB_METHODS)).toThrow(/METHOD=VALUE \(for example createacct=50% or \*=0\.1\)/);
  });

  it("builds knobs from the CLI's flags", () => {
    expect(
      knobsFromFlags({ latency: ["*=10"], fail: ["createacct=25%:fault"], drop: ["removeacct=100%"], null: ["modifyacct=1%"], adminDisabled: true }, WHM_KNOB_METHODS),
    ).toEqual({
      latencyMs: { "*": 10 },
      failProbability: { createacct: 0.25 },
      failForm: { createacct: "fault" },
      dropAfterWork: { removeacct: 1 },
      returnNull: { modifyacct: 0.01 },
      adminDisabled: true,
    });
  });
});
