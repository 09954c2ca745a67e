/**
 * Emulators for one test file, all stopped after it: call `emulatorPool()` once at the top
 * level of the file (it registers `afterAll`), then start emulators with what it returns.
 */
import { afterAll } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/apiscp/server/index.js";

export function emulatorPool(): (options?: Parameters<typeof startEmulator>[0]) => Promise<RunningEmulator> {
  const started: RunningEmulator[] = [];
  afterAll(async () => {
    await Promise.all(started.map((e) => e.stop()));
  });
  return async (options = {}) => {
    const e = await startEmulator(options);
    started.push(e);
    return e;
  };
}
