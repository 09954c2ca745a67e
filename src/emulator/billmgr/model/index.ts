/** The BILLmanager emulator's model: state, the semantics of each function, and the in-band refusal. */
export type { CallContext, DocAnswer, Filter, Slist } from "./answer.js";
export { BILLMGR_FUNCTION_NAMES, ITEMTYPES, isBillmgrFunction, needsAdmin, parseFunction, type BillmgrFunction, type Itemtype } from "./functions.js";
export { BillmgrModel } from "./model.js";
export { Params } from "./params.js";
export { BillmgrRefusal, type BillmgrErrorType } from "./refusal.js";
export {
  BillmgrStateError,
  defaultBillmgrState,
  validateBillmgrState,
  type BillmgrAddon,
  type BillmgrDatacenter,
  type BillmgrHistoryEvent,
  type BillmgrOrderRecord,
  type BillmgrOsTemplate,
  type BillmgrServiceInput,
  type BillmgrServiceRecord,
  type BillmgrState,
  type BillmgrStateInput,
  type BillmgrTariff,
  type ItemStatus,
} from "./state.js";
