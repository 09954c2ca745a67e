/**
 * Running the inventory's long pure work (parsing, checking) written as generators that yield
 * between slices: to the end at once for the synchronous API, or with a turn of the event loop
 * about every SLICE_MS so that a signal's handler runs and the signal can stop it. Without the
 * turns a large inventory keeps the process deaf to Ctrl-C and SIGTERM until it is done.
 */
import { setImmediate as nextTurn } from "node:timers/promises";

/** How long work runs between two turns of the event loop: short enough to feel immediate. */
const SLICE_MS = 25;

export function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** runToEnd, letting the event loop in between slices; a fired `signal` rejects with its reason. */
export async function runInterruptibly<T>(steps: Generator<void, T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  let since = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    if (performance.now() - since < SLICE_MS) continue;
    await nextTurn();
    signal?.throwIfAborted();
    since = performance.now();
  }
}
