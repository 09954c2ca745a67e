/**
 * The BILLmanager provider's public surface: the module, the provider and the kinds, and the
 * wire layer under them: the typed client, its connection settings, the operation table (what
 * mutates, what costs money), the typed rows and the errors.
 */
export { BillmgrClient, FILTER_FIELDS } from "./client.js";
export type { Addons, Autoprolong, LicenseOrder, ServiceChanges, ServiceFilter, ServiceOrder } from "./client.js";
export { STANDARD_PATH, withStandardPath } from "./endpoint.js";
export {
  BillmgrAuthError,
  BillmgrError,
  BillmgrProtocolError,
  BillmgrRejectedError,
  BillmgrTransportError,
  BillmgrUnknownOutcomeError,
  Secrets,
} from "./errors.js";
export type { BillmgrErrorKind } from "./errors.js";
export { ITEMTYPES, LICENSE_ITEMTYPE, OPERATIONS, SERVICE_ITEMTYPES, functionName, isItemType, isServiceItemType } from "./functions.js";
export type { Cost, ItemType, LicenseItemType, Operation, OperationFacts, ServiceItemType } from "./functions.js";
export { ITEM_STATUS } from "./results.js";
export type { EditForm, HistoryRow, ItemStatus, ProlongPreview, ServiceRow } from "./results.js";
export type { BillmgrConnection } from "./transport.js";
export { BILLMGR } from "./module.js";
export { BillmgrProvider } from "./provider.js";
export type { BillmgrProviderOptions } from "./provider.js";
export { BILLMGR_PROVIDER, KINDS, LICENSE, LICENSE_KIND, SERVICE, SERVICE_KIND } from "./kinds.js";
