/**
 * The BILLmanager emulator's state on disk (`--state FILE`): the BillmgrState JSON, validated by
 * the model on load; the reading, atomic writing and coalesced saving are the shared mechanics.
 */
import { loadJsonState } from "../shared/statefile.js";
import { validateBillmgrState, type BillmgrState } from "./model/index.js";

/** The state in `path`, or undefined when there is no such file. Throws StateFileError when it is unusable. */
export function loadBillmgrStateFile(path: string): Promise<BillmgrState | undefined> {
  return loadJsonState(path, validateBillmgrState, "BILLmanager emulator state");
}
