/** The WHM emulator's model: state, semantics of each function, and the in-band refusal. */
export { Params, type CallContext, type WhmAnswer, type WhmOutput, type WireStyle } from "./call.js";
export { WHM_FUNCTIONS, isWhmFunction, type WhmFunction } from "./functions.js";
export { BYTES_PER_MB, UNLIMITED, type Limit } from "./limit.js";
export { WHM_VERSION, WhmModel } from "./model.js";
export { WhmRefusal } from "./refusal.js";
export { APP_LINKS, PREAUTH_SECONDS, THEME, type LoginOutcome } from "./sessions.js";
export { DEFAULT_MIN_STRENGTH, passwordStrength, type WhmPasswordRecord } from "./password.js";
export {
  FIRST_UID,
  SHARED_IP,
  WhmStateError,
  defaultWhmState,
  validateWhmState,
  type WhmAccountInput,
  type WhmAccountRecord,
  type WhmLimits,
  type WhmPackageInput,
  type WhmPackageRecord,
  type WhmState,
  type WhmStateInput,
} from "./state.js";
