/**
 * The ApisCP emulator's state on disk (`--state FILE`): the EmulatorState JSON, validated by the
 * model on load. Reading, atomic writing and coalesced saving are the shared mechanics
 * (emulator/shared/statefile.ts); this file only says which state and which validator.
 */
import type { EmulatorState } from "../api.js";
import { validateEmulatorState } from "../model/index.js";
import { loadJsonState, saveJsonState } from "../../shared/statefile.js";

export { StateFileError, StateSaver } from "../../shared/statefile.js";

/** The state in `path`, or undefined when there is no such file. Throws StateFileError when it is unusable. */
export function loadStateFile(path: string): Promise<EmulatorState | undefined> {
  return loadJsonState(path, validateEmulatorState, "emulator state");
}

/** Writes `state` to `path` atomically. */
export function saveStateFile(path: string, state: EmulatorState): Promise<void> {
  return saveJsonState(path, state);
}
