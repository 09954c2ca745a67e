/**
 * The drift report: every way the servers differ from git, one entry per resource and class,
 * as data the renderers and the exit code read. Types only; classify.ts builds it.
 *
 * Classes:
 * - `missing`: in git, not on the server (the plan would create it).
 * - `state`: suspended on one side, active on the other; also a cancelled resource whose grace
 *   period is over (git wants it gone, the server still has it suspended).
 * - `server-plan`: the resource is on another server-side template (an ApisCP plan) than git
 *   says; kinds without templates never have it.
 * - `modified`: field values differ, renames included, and a kind's own actions (a renewal).
 * - `unmanaged`: on the server, not in git (left alone, or pruned when the server says so).
 */
import type { FieldChange, OpAction } from "../model/index.js";

export type DriftClass = "missing" | "state" | "server-plan" | "modified" | "unmanaged";

/** Report order: what is most likely to hurt a customer first. */
export const DRIFT_CLASSES: readonly DriftClass[] = ["missing", "state", "server-plan", "modified", "unmanaged"];

export type DriftCounts = Record<DriftClass, number>;

export type SiteCondition = "active" | "suspended" | "absent" | "deleted";

export interface DriftEntry {
  class: DriftClass;
  server: string;
  /** The resource's kind (`apiscp/site`); `DriftReport.kinds` says how to call it. */
  kind: string;
  /** The panel's id; null for a resource missing from the server. */
  resourceId: string | null;
  /** The resource's name (an ApisCP site's domain). */
  name: string;
  /** DesiredResource.key when git names the resource. */
  key: string | null;
  /** Where git writes the resource. */
  source: { file: string; line: number } | null;
  /** `modified` and `server-plan`: each field as the server has it (before) and as git wants it (after); secrets already redacted. */
  changes: readonly FieldChange[];
  /** `state`, `missing` and `unmanaged`: the resource on the server and in git. */
  observed: SiteCondition | null;
  desired: SiteCondition | null;
  /** The op of the plan that would remove this difference, and its action; null when nothing would (an unmanaged resource left alone). */
  opId: string | null;
  action: OpAction | null;
  /** Why, in the planner's words (the op's reason), for people. */
  reason: string;
}

export interface DriftServer {
  name: string;
  /** Whether the server could be read; when not, its resources are not in the report. */
  read: boolean;
  error: string | null;
  /** Resources the server reported, of every kind. */
  observed: number;
  counts: DriftCounts;
}

export interface DriftProblem {
  severity: "error" | "warning";
  /** `unreadable-server`, or the plan diagnostic's code. */
  code: string;
  server: string | null;
  message: string;
  hint?: string;
}

/** 2: entries name their kind, `resourceId` and `name` (were `siteId` and `domain`); servers count `observed` (was `observedSites`); `kinds`. */
export const DRIFT_FORMAT_VERSION = 2;

/** How the report's people-facing text calls a kind: its noun, and its templates' label when it has templates. */
export interface DriftKind {
  noun: string;
  template: string | null;
}

/** The problem code of a server that could not be read. */
export const UNREADABLE = "unreadable-server";

export interface DriftReport {
  formatVersion: typeof DRIFT_FORMAT_VERSION;
  /** The plan's creation time: when the servers were read. */
  createdAt: string;
  inventory: { commit: string | null; dirty: boolean };
  servers: readonly DriftServer[];
  /** Every kind the report concerns (its entries' and its servers' providers'), by id. */
  kinds: Readonly<Record<string, DriftKind>>;
  /** By server (in the plan's order), then class, then name. */
  entries: readonly DriftEntry[];
  counts: DriftCounts;
  total: number;
  /** Entries whose fix deletes a resource (a plan op `delete`): what makes the exit code 3. */
  deletions: number;
  /** Unreadable servers and the plan's errors and warnings. */
  problems: readonly DriftProblem[];
}

export function emptyCounts(): DriftCounts {
  return { missing: 0, state: 0, "server-plan": 0, modified: 0, unmanaged: 0 };
}
