/**
 * The planner's public surface: what to collect, how to fingerprint what was collected, and
 * the plan itself. Pure functions only; the plan document's bytes are plan-file.ts, its file I/O engine/plan-file-io.ts.
 */
export { buildPlan, type BuildOptions } from "./build.js";
export { managedFields, isIgnored } from "./fields.js";
export { fingerprintOf } from "./fingerprint.js";
export { sameValue, satisfies, normalized } from "./normalize.js";
export { CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX, DEFAULT_SUSPEND_REASON, addDays } from "./lifecycle.js";
