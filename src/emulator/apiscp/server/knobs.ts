/**
 * The ApisCP emulator's view of the shared knobs (emulator/shared/knobs.ts): the same tables,
 * checked against ApisCP's wire method names. For ApisCP, `returnNull` answers `xsi:nil` after
 * the work, `adminDisabled` refuses admin_* calls as `[auth] admin_api = false` does, and the
 * `fault` failure form is a SOAP-ENV:Server fault. Names and signatures are kept from when the
 * knobs lived here, so callers need no change.
 */
import { isMethodName } from "../../../providers/apiscp/methods.js";
import {
  knobsFromFlags as sharedKnobsFromFlags,
  mergeKnobs as sharedMergeKnobs,
  parseFail as sharedParseFail,
  parseLatency as sharedParseLatency,
  parseProbability as sharedParseProbability,
  type FailForm,
  type KnobFlags,
  type KnobMethods,
  type Knobs,
} from "../../shared/knobs.js";

export { ANY_METHOD, DEFAULT_KNOBS, FAIL_FORMS, KnobError, knobFor } from "../../shared/knobs.js";
export type { FailForm, KnobFlags, Knobs, MethodTable } from "../../shared/knobs.js";

/** ApisCP's wire methods, for refusing knob entries that name none of them. */
export const APISCP_KNOB_METHODS: KnobMethods = { isMethod: isMethodName, example: "admin_add_site" };

/** See the shared mergeKnobs; entries must name ApisCP methods. Throws KnobError. */
export function mergeKnobs(base: Knobs, patch: Partial<Knobs>): Knobs {
  return sharedMergeKnobs(base, patch, APISCP_KNOB_METHODS);
}

/** `"admin_add_site=250"` → `["admin_add_site", 250]` (milliseconds). */
export function parseLatency(text: string): [string, number] {
  return sharedParseLatency(text, APISCP_KNOB_METHODS);
}

/** `"*=0.1"` or `"*=10%"` → `["*", 0.1]`: a probability, or a percentage written with `%`. */
export function parseProbability(text: string, knob: string): [string, number] {
  return sharedParseProbability(text, knob, APISCP_KNOB_METHODS);
}

/** `"admin_add_site=0.5"`, `"admin_add_site=50%"` or `"admin_add_site=50%:reset"` → method, probability and failure form. */
export function parseFail(text: string): [string, number, FailForm | undefined] {
  return sharedParseFail(text, APISCP_KNOB_METHODS);
}

/** Turns the CLI's flags into knobs; a later entry for the same method wins. Throws KnobError. */
export function knobsFromFlags(flags: KnobFlags): Knobs {
  return sharedKnobsFromFlags(flags, APISCP_KNOB_METHODS);
}
