/**
 * The knobs in words, for `siteform emulator` to print when it starts: an operator who asked
 * for `--fail admin_edit_site=0.5` sees "admin_edit_site fails 50 % of calls" and knows at once
 * whether the emulator understood what was meant. Describing only; parsing and checking are
 * knobs.ts's, and the dispatchers act on the knobs (faults.ts).
 */
import { ANY_METHOD, knobFor, knobsFromFlags, type FailForm, type KnobFlags, type KnobMethods, type Knobs, type MethodTable } from "./knobs.js";
import { DEFAULT_SEED } from "./random.js";

const FORM_TEXT: Readonly<Record<FailForm, string>> = {
  http503: "HTTP 503",
  reset: "connection reset",
  fault: "the panel's own 'unavailable' error",
};

/** `0.5` → `50 %`, `0.025` → `2.5 %`. */
export function percentText(p: number): string {
  return `${Number((p * 100).toFixed(4))} %`;
}

interface Entry<T> {
  method: string;
  /** The method, or `*` as "every method" / "every other method". */
  who: string;
  value: T;
}

/** The table's entries, named methods first (sorted), then `*`. */
function entries<T>(table: MethodTable<T>): Array<Entry<T>> {
  const named = Object.keys(table)
    .filter((m) => m !== ANY_METHOD)
    .sort();
  const out: Array<Entry<T>> = named.map((method) => ({ method, who: method, value: table[method] as T }));
  if (Object.hasOwn(table, ANY_METHOD)) {
    out.push({ method: ANY_METHOD, who: named.length === 0 ? "every method" : "every other method", value: table[ANY_METHOD] as T });
  }
  return out;
}

/**
 * One line per active knob, in the order a call meets them (latency, failure, then what happens
 * after the work); `["none"]` when the emulator behaves. `seed` is said only when some knob
 * rolls dice, since only then does it change anything.
 */
export function describeKnobs(knobs: Knobs, seed: number = DEFAULT_SEED): string[] {
  const lines: string[] = [];
  for (const { who, value } of entries(knobs.latencyMs)) lines.push(`${who} answers ${value} ms late`);
  for (const { method, who, value } of entries(knobs.failProbability)) {
    const form = knobFor(knobs.failForm, method) ?? "http503";
    lines.push(`${who} fails ${percentText(value)} of calls without doing the work (${FORM_TEXT[form]})`);
  }
  for (const { who, value } of entries(knobs.dropAfterWork)) {
    lines.push(`${who}: ${percentText(value)} of calls are done, then the connection is dropped unanswered`);
  }
  for (const { who, value } of entries(knobs.returnNull)) lines.push(`${who}: ${percentText(value)} of calls are done, then answered with nothing`);
  if (knobs.adminDisabled) lines.push("the credentials lack administrative privileges");
  const dice = [knobs.failProbability, knobs.dropAfterWork, knobs.returnNull].some((table) => Object.values(table).some((p) => p > 0 && p < 1));
  if (dice) lines.push(`random choices seeded with ${seed} (the same seed and calls misbehave the same way again)`);
  return lines.length === 0 ? ["none"] : lines;
}

/** Any method name: the flags were already checked against the emulator's own methods when it started. */
const ANY_NAME: KnobMethods = { isMethod: () => true, example: "METHOD" };

/** describeKnobs for the CLI's flags as given (they must already have passed the emulator's own check). */
export function describeKnobFlags(flags: KnobFlags, seed?: number): string[] {
  return describeKnobs(knobsFromFlags(flags, ANY_NAME), seed);
}
