/**
 * The WHM emulator's state on disk (`--state FILE`): the WhmState JSON, validated by the model
 * on load; the reading, atomic writing and coalesced saving are the shared mechanics.
 */
import { loadJsonState } from "../shared/statefile.js";
import { validateWhmState, type WhmState } from "./model/index.js";

/** The state in `path`, or undefined when there is no such file. Throws StateFileError when it is unusable. */
export function loadWhmStateFile(path: string): Promise<WhmState | undefined> {
  return loadJsonState(path, validateWhmState, "WHM emulator state");
}
