/**
 * The WHM provider's public surface: the module, the provider and its typed client, the
 * connection settings, the errors, and the limit conversions.
 */
export { WHM } from "./module.js";
export { WhmProvider } from "./provider.js";
export type { WhmProviderOptions } from "./provider.js";
export { WhmClient } from "./client.js";
export type { AccountChanges, AccountQuery, NewAccount } from "./client.js";
export type { AccountRow, BandwidthRow, PackageRow } from "./results.js";
export type { WhmConnection } from "./transport.js";
export { normalizeToken } from "./transport.js";
export { WhmAuthError, WhmError, WhmProtocolError, WhmRejectedError, WhmTransportError, WhmUnknownOutcomeError } from "./errors.js";
export type { WhmErrorKind } from "./errors.js";
export { FUNCTIONS, isWhmFunction } from "./functions.js";
export type { WhmFunction } from "./functions.js";
export { ACCOUNT, ACCOUNT_KIND, KINDS, WHM_PROVIDER } from "./kinds.js";
export { LIMITS, UNLIMITED } from "./limits.js";
export type { Limit } from "./limits.js";
