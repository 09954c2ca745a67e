/**
 * WHM emulators for one test file, all stopped after it: call `whmPool()` once at the top level
 * of the file (it registers `afterAll`), then start emulators with what it returns.
 */
import { afterAll } from "vitest";
import { startWhmEmulator, type RunningWhmEmulator, type WhmEmulatorOptions } from "../../../../src/emulator/whm/index.js";

export function whmPool(): (options?: WhmEmulatorOptions) => Promise<RunningWhmEmulator> {
  const started: RunningWhmEmulator[] = [];
  afterAll(async () => {
    await Promise.all(started.map((e) => e.stop()));
  });
  return async (options = {}) => {
    const e = await startWhmEmulator(options);
    started.push(e);
    return e;
  };
}
