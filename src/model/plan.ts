/**
 * The plan document: a versioned, serialisable record of what apply will do, built by the
 * planner and written with `plan -o`. Apply runs a saved plan only when re-deriving it from the
 * current inventory and a fresh read gives the same ops; the rest is for people and for saying
 * why a plan no longer matches. Types only.
 */
import type { OpAction, Op } from "./op.js";

/** 2: the plan records the options it was made with and the inventory's file digests, so apply can re-derive it. */
export const PLAN_FORMAT_VERSION = 2;

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

export interface PlanInventory {
  commit: string | null;
  dirty: boolean;
  dir: string;
  files: Readonly<Record<string, string>>;
}

export interface PlanOptions {
  /** `--allow-deletes N` at plan time; null when not given. Apply needs its own flag to run more deletions than the policy allows. */
  allowDeletes: number | null;
  /** `--reset`: a change of server plan also resets the site's settings to the plan's defaults. */
  reset: boolean;
}

export type ActionCounts = Record<OpAction, number>;

export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  /** ISO 8601, passed in by the caller (the planner never reads the clock). */
  createdAt: string;
  /**
   * The inventory the plan was made from: its git commit (null outside a repository; `dirty`
   * when files differ from it), the absolute directory it was read from, and a digest of each
   * file read (relative path → sha256 prefix). Apply uses the last two only to say why a saved
   * plan no longer matches (the inventory changed, or the file comes from another inventory).
   */
  inventory: PlanInventory;
  /** How the plan was made: apply re-derives it with the same options. */
  options: PlanOptions;
  servers: readonly PlanServer[];
  /** In an order that respects dependsOn (a valid sequential execution). */
  ops: readonly Op[];
  diagnostics: readonly PlanDiagnostic[];
  summary: { total: number; byAction: ActionCounts; byServer: Readonly<Record<string, ActionCounts>> };
}
