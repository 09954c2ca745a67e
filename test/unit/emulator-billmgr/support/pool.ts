/**
 * BILLmanager emulators for one test file, all stopped after it: call `billmgrPool()` once at the
 * top level of the file (it registers `afterAll`), then start emulators with what it returns.
 */
import { afterAll } from "vitest";
import { startBillmgrEmulator, type BillmgrEmulatorOptions, type RunningBillmgrEmulator } from "../../../../src/emulator/billmgr/index.js";

export function billmgrPool(): (options?: BillmgrEmulatorOptions) => Promise<RunningBillmgrEmulator> {
  const started: RunningBillmgrEmulator[] = [];
  afterAll(async () => {
    await Promise.all(started.map((e) => e.stop()));
  });
  return async (options = {}) => {
    const e = await startBillmgrEmulator(options);
    started.push(e);
    return e;
  };
}

/** 2026-03-10 12:00:00 UTC: a fixed clock so dates in assertions are known. */
export const NOON = Date.UTC(2026, 2, 10, 12) / 1000;
