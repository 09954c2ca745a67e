/**
 * The knobs' effect on one call, in the one order every emulator follows so that a seed means the
 * same misbehaviour everywhere: wait out the latency, roll for a failure (the work is then NOT
 * done), let the emulator do the work, then roll for a dropped answer and, failing that, for an
 * empty one. Each roll draws from the dice only when its knob is set for the method. Deciding
 * only: each emulator turns the verdicts into its own protocol's answers.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { knobFor, type FailForm, type Knobs } from "./knobs.js";
import type { Random } from "./random.js";

/**
 * Sleeps the method's latency (rejecting with an AbortError if `signal` fires meanwhile), then
 * returns the form of failure to answer with instead of doing the work, or undefined to go on.
 */
export async function beforeWork(knobs: Knobs, random: Random, method: string, signal: AbortSignal): Promise<FailForm | undefined> {
  const latency = knobFor(knobs.latencyMs, method) ?? 0;
  if (latency > 0) await sleep(latency, undefined, { signal });
  if (random.chance(knobFor(knobs.failProbability, method) ?? 0)) return knobFor(knobs.failForm, method) ?? "http503";
  return undefined;
}

/** After the work: `drop` the connection unanswered, answer `null` (nothing), or undefined to answer normally. */
export function afterWork(knobs: Knobs, random: Random, method: string): "drop" | "null" | undefined {
  if (random.chance(knobFor(knobs.dropAfterWork, method) ?? 0)) return "drop";
  if (random.chance(knobFor(knobs.returnNull, method) ?? 0)) return "null";
  return undefined;
}
