/**
 * The clean-up stack of a test file: what a test starts (an emulator, a client, a temporary
 * directory) registers how to stop it, and after each test everything registered is stopped,
 * the last started first.
 */
import { afterEach } from "vitest";

export type Cleanups = Array<() => Promise<void> | void>;

/** A fresh stack, emptied after each test of the calling file. */
export function cleanupsAfterEach(): Cleanups {
  const cleanups: Cleanups = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return cleanups;
}
