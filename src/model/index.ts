/**
 * The shared vocabulary of siteform's layers: types only, no behaviour.
 */
export type { Diagnostic, DiagnosticCode, Severity } from "./diagnostic.js";
export type { SourceRef } from "./source-ref.js";
export type { BillingRole, DesiredSite, LifecycleState, ParamValue, ServiceValues } from "./desired-site.js";
export type { DesiredGroup } from "./desired-group.js";
export type { RepoPlan } from "./repo-plan.js";
export type { ProviderKind, ServerConfig } from "./server-config.js";
export type { Policy } from "./policy.js";
export type { Inventory } from "./inventory.js";
export type { ObservedServer, ObservedSite, ObservedValue } from "./observed-site.js";
export type { FieldChange, FieldValue, Op, OpAction, OpFlags, OpTarget, Precondition } from "./op.js";
export { OP_ACTIONS } from "./op.js";
export type { ActionCounts, Plan, PlanDiagnostic, PlanInventory, PlanOptions, PlanServer } from "./plan.js";
export { PLAN_FORMAT_VERSION } from "./plan.js";
