/**
 * The plan document: a versioned, serialisable record of what apply will do, built by the
 * planner and written with `plan -o`. Apply depends only on `formatVersion`, `servers[].fingerprint`
 * and `ops`; everything else is for people. Types only.
 */
import type { OpAction, Op } from "./op.js";

export const PLAN_FORMAT_VERSION = 1;

export interface PlanServer {
  name: string;
  /** sha256 of the observed state (the collected fields of every site), or null when the server could not be read. */
  fingerprint: string | null;
  /** The fields collected, so apply can re-collect the same ones. */
  fields: readonly string[];
  /** Sites the server reported. */
  observedSites: number;
  /** Sites on the server the inventory does not name (reported, not touched unless pruned). */
  unmanaged: readonly { siteId: string; domain: string }[];
  /** Why the server has no plan (unreachable, key refused, …); null when it was read. */
  error: string | null;
}

/** A problem found while planning, as data. `error` refuses the plan. */
export interface PlanDiagnostic {
  severity: "error" | "warning";
  code: string;
  server: string | null;
  message: string;
  hint?: string;
  /** The inventory file and line concerned, when there is one. */
  file?: string;
  line?: number;
}

export type ActionCounts = Record<OpAction, number>;

export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  /** ISO 8601, passed in by the caller (the planner never reads the clock). */
  createdAt: string;
  /** The inventory's git commit, null outside a repository; `dirty` when files differ from it. */
  inventory: { commit: string | null; dirty: boolean };
  servers: readonly PlanServer[];
  /** In an order that respects dependsOn (a valid sequential execution). */
  ops: readonly Op[];
  diagnostics: readonly PlanDiagnostic[];
  summary: { total: number; byAction: ActionCounts; byServer: Readonly<Record<string, ActionCounts>> };
}
