/**
 * What the applier tells the outside world while it runs (like a Terraform hook): progress,
 * the journal and the logs all listen to these; the core itself never prints.
 */
import type { OpAction } from "../model/op.js";
import type { ApplyReport, OpResult } from "./report.js";

export interface OpRef {
  id: string;
  server: string;
  action: OpAction;
  name: string;
}

export type ApplyEvent =
  | {
      type: "apply-started";
      at: number;
      planCreatedAt: string;
      inventoryCommit: string | null;
      fingerprints: Record<string, string | null>;
      /** Ops per server, for progress totals. */
      opsByServer: Record<string, number>;
    }
  | { type: "op-started"; at: number; op: OpRef; attempt: number }
  | { type: "op-retrying"; at: number; op: OpRef; attempt: number; delayMs: number; message: string }
  /** The provider is waiting for the panel to finish what the op started (a service being set up). */
  | { type: "op-waiting"; at: number; op: OpRef; message: string }
  | { type: "op-read-back"; at: number; op: OpRef; outcome: "took-effect" | "not-taken" | "undecided"; message: string }
  | { type: "op-finished"; at: number; result: OpResult }
  | { type: "apply-interrupted"; at: number }
  | { type: "apply-finished"; at: number; report: ApplyReport };

export type ApplyEventSink = (event: ApplyEvent) => void;

/** One sink that feeds several (progress, journal, log); a failing sink must not stop the others. */
export function fanOut(...sinks: readonly ApplyEventSink[]): ApplyEventSink {
  return (event) => {
    let first: unknown = null;
    for (const sink of sinks) {
      try {
        sink(event);
      } catch (err) {
        first ??= err;
      }
    }
    if (first !== null) throw first;
  };
}
