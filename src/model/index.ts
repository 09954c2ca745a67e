/**
 * The shared vocabulary of siteform's layers: types only, no behaviour.
 */
export type { Diagnostic, DiagnosticCode, Severity } from "./diagnostic.js";
export type { SourceRef } from "./source-ref.js";
export type { DesiredResource, FieldValues, LifecycleState, ObservedResource, ObservedServer, ObservedValue, ParamValue } from "./resource.js";
export type { CoreAction, KindDeclaration, KeyDeclaration, MatchStep, RelationDeclaration, ResourceState } from "./kind.js";
export type { RepoPlan } from "./repo-plan.js";
export type { ServerConfig } from "./server-config.js";
export type { Policy } from "./policy.js";
export type { Inventory } from "./inventory.js";
export type { DeletionRequirement, FieldChange, FieldValue, FreeName, Op, OpAction, OpFlags, OpTarget, Precondition } from "./op.js";
export { OP_ACTIONS } from "./op.js";
export type { ActionCounts, Plan, PlanDiagnostic, PlanInventory, PlanOptions, PlanServer } from "./plan.js";
export { PLAN_FORMAT_VERSION } from "./plan.js";
