/**
 * The plan document: a versioned, serialisable record of what apply will do, built by the
 * planner and written with `plan -o`. Apply runs a saved plan only when re-deriving it from the
 * current inventory and a fresh read gives the same ops; the rest is for people and for saying
 * why a plan no longer matches. Types only.
 */
import type { OpAction, Op } from "./op.js";

/**
 * 3: ops name their kind, targets are neutral (id and name), deletion guards are requirements
 * and paid actions are counted. (2 added the options and the inventory's file digests.)
 */
export const PLAN_FORMAT_VERSION = 3;

export interface PlanServer {
  name: string;
  /** The server's provider (`apiscp`). */
  provider: string;
  /** sha256 of the observed state (the collected fields of every resource), or null when the server could not be read. */
  fingerprint: string | null;
  /** Per kind, the fields collected. */
  fields: Readonly<Record<string, readonly string[]>>;
  /** Resources the server reported. */
  observed: number;
  /** Resources on the server the inventory does not name (reported, not touched unless pruned). */
  unmanaged: readonly { kind: string; id: string; name: string }[];
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
  /** `--allow-paid N` at plan time; null when not given. */
  allowPaid: number | null;
  /** `--target`: the plan covers only these resources and what they wait for; absent when not narrowed. */
  targets?: readonly string[];
}

/** Ops per action; every core action is present, a kind's own only when used. */
export type ActionCounts = Readonly<Record<OpAction, number>>;

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
  /** `paid`: ops whose action costs money, across every server. */
  summary: { total: number; paid: number; byAction: ActionCounts; byServer: Readonly<Record<string, ActionCounts>> };
}
