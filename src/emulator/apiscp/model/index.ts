/**
 * ApisCP's admin API semantics as a pure, in-memory state machine: the emulator's model.
 * No I/O, no clock (time comes with each call), no randomness beyond what is injected.
 * The transport (../server) decodes SOAP and calls `invoke`; nothing else is public.
 */
export { createAdminApi } from "./admin.js";
export type { AdminApiOptions, EmulatorAdminApi } from "./admin.js";
export { defaultEmulatorState } from "./defaults.js";
export { validateEmulatorState } from "./state.js";
export type { Gate, HijackSession } from "./sessions.js";
