/**
 * What every emulator shares: the fault knobs and their CLI spelling, the seeded dice, the call
 * counter, the loopback certificate, where it may listen, the listener's lifecycle, and the
 * state file's mechanics. Nothing here knows a panel's names or protocol.
 */
export * from "./calllog.js";
export * from "./faults.js";
export * from "./host.js";
export * from "./knobs.js";
export * from "./listener.js";
export * from "./random.js";
export * from "./response.js";
export * from "./statefile.js";
export * from "./tls.js";
export * from "./launch.js";
export * from "./knob-text.js";
