/**
 * The apply journal: one JSON line per op start and finish (plus a header and a footer),
 * written synchronously as each event happens so a crash loses nothing already done.
 * Records carry ids, statuses and the providers' already-redacted messages; a finish also says
 * what the op changed, with secrets masked as the plan masks them.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { ApplyEvent } from "./events.js";
import type { OpStatus } from "./report.js";

export type JournalRecord =
  | { record: "header"; time: string; planCreatedAt: string; inventoryCommit: string | null; fingerprints: Record<string, string | null> }
  | {
      record: "start" | "retry" | "finish";
      time: string;
      op: string;
      server: string;
      action: string;
      status: "running" | "retrying" | OpStatus;
      attempt: number;
      message: string | null;
      resourceId: string | null;
      note: string | null;
      /** Finish records only: what the op changed (`diskquota.quota: 20 → 40`). */
      changes?: readonly string[];
    }
  | { record: "footer"; time: string; ok: boolean; interrupted: boolean; forced: boolean; refused: readonly string[]; totals: Record<string, number> }
  | { record: "interrupted"; time: string };

/** The journal's reading of an event; null for events it does not keep (read-back details go to the log). */
export function journalRecord(event: ApplyEvent): JournalRecord | null {
  const time = new Date(event.at).toISOString();
  switch (event.type) {
    case "apply-started":
      return { record: "header", time, planCreatedAt: event.planCreatedAt, inventoryCommit: event.inventoryCommit, fingerprints: event.fingerprints };
    case "op-started":
      return { record: "start", time, op: event.op.id, server: event.op.server, action: event.op.action, status: "running", attempt: event.attempt, message: null, resourceId: null, note: null };
    case "op-retrying":
      return { record: "retry", time, op: event.op.id, server: event.op.server, action: event.op.action, status: "retrying", attempt: event.attempt, message: event.message, resourceId: null, note: null };
    case "op-finished": {
      const r = event.result;
      return { record: "finish", time, op: r.id, server: r.server, action: r.action, status: r.status, attempt: r.attempts, message: r.message, resourceId: r.resourceId, note: r.note, changes: r.changes };
    }
    case "apply-interrupted":
      return { record: "interrupted", time };
    case "apply-finished":
      return { record: "footer", time, ok: event.report.ok, interrupted: event.report.interrupted, forced: event.report.forced, refused: event.report.refused, totals: { ...event.report.totals } };
    case "op-read-back":
    case "op-waiting":
      return null;
  }
}

export class Journal {
  private fd: number | null;

  /** Opens (appending to) the journal file; throws if it cannot be created, before anything runs. */
  constructor(readonly path: string) {
    this.fd = openSync(path, "a", 0o600);
  }

  /** An ApplyEventSink: writes the event's record at once with a synchronous write. */
  readonly write = (event: ApplyEvent): void => {
    const record = journalRecord(event);
    if (record === null) return;
    if (this.fd === null) throw new Error(`the journal ${this.path} is already closed`);
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  };

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}
