/** The call counter now lives with every emulator's shared parts; this path is kept for its importers. */
export { CallCounter, type CallLog } from "../../shared/calllog.js";
