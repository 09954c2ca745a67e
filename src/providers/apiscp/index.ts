/**
 * The ApisCP provider's public surface: the typed client, its connection settings, its errors
 * and the method table. The SOAP codec is exported separately from ./wire/index.js.
 */
export { ApiscpClient } from "./client.js";
export type { AddSiteFlags, CollectQuery, DeactivateSiteFlags, DeleteSiteFlags, EditSiteFlags } from "./client.js";
export type { BandwidthUsage, CollectedSite, StorageUsage } from "./results.js";
export type { ApiscpConnection } from "./transport.js";
export { normalizeApiKey } from "./transport.js";
export { ApiscpError, AuthError, ProtocolError, SoapFaultError, TransportError, UnknownOutcomeError } from "./errors.js";
export type { ApiscpErrorKind } from "./errors.js";
export { APISCP_NAMESPACE, METHODS, isMethodName } from "./methods.js";
export type { MethodName, MethodSpec } from "./methods.js";
