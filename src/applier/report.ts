/**
 * The apply report: what became of every op of the plan, as data. Built once at the end of a
 * run from the per-op results; the renderers (report-text/markdown/json) only format it.
 */
import type { OpAction } from "../model/op.js";

/** `conflict`: not sent, because the op's target changed on the server since the plan (the re-read before each mutation). */
export type OpStatus = "done" | "failed" | "conflict" | "skipped" | "unknown";
/** The order a reader needs them: problems first. */
export const OP_STATUSES: readonly OpStatus[] = ["failed", "conflict", "unknown", "skipped", "done"];

export interface OpResult {
  id: string;
  server: string;
  action: OpAction;
  name: string;
  status: OpStatus;
  /** failed: the server's (redacted) message; conflict: what changed; skipped: why; unknown: what could not be decided; done: null. */
  message: string | null;
  /** The site's id after the op (the new id after a create); null when unknown or deleted. */
  resourceId: string | null;
  /** Calls to execute made (0 for a skipped op). */
  attempts: number;
  durationMs: number;
  /** A remark for the reader (confirmed by read-back, the server kept a site, …). */
  note: string | null;
  /** What the op changes, as people read it (`diskquota.quota: 20 → 40`), secrets masked. */
  changes: readonly string[];
}

export type StatusCounts = Record<OpStatus, number>;

export interface ApplyReport {
  /** ISO 8601. */
  startedAt: string;
  finishedAt: string;
  /** True only when every op is done. */
  ok: boolean;
  /** The run was stopped (Ctrl-C) before every op could start. */
  interrupted: boolean;
  /** Stopped a second time: ops in flight were not waited for and are reported `unknown`. */
  forced: boolean;
  /** Why nothing was started, when the applier refused the plan as a whole (its own deletion rules). */
  refused: readonly string[];
  totals: StatusCounts & { total: number };
  byServer: Record<string, StatusCounts>;
  /** In plan order. */
  ops: OpResult[];
}

export function emptyCounts(): StatusCounts {
  return { done: 0, failed: 0, conflict: 0, skipped: 0, unknown: 0 };
}

export function buildReport(
  ops: readonly OpResult[],
  times: { startedAt: number; finishedAt: number },
  stop: { interrupted: boolean; forced?: boolean; refused?: readonly string[] },
): ApplyReport {
  const totals = { ...emptyCounts(), total: ops.length };
  const byServer: Record<string, StatusCounts> = {};
  for (const op of ops) {
    totals[op.status] += 1;
    (byServer[op.server] ??= emptyCounts())[op.status] += 1;
  }
  return {
    startedAt: new Date(times.startedAt).toISOString(),
    finishedAt: new Date(times.finishedAt).toISOString(),
    ok: totals.done === ops.length && (stop.refused ?? []).length === 0,
    interrupted: stop.interrupted,
    forced: stop.forced ?? false,
    refused: [...(stop.refused ?? [])],
    totals,
    byServer,
    ops: [...ops],
  };
}
