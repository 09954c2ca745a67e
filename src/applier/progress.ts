/**
 * Turns applier events into what an operator watches: on a terminal, one live line per server
 * rewritten in place (problems printed above it as they happen); in CI, a plain timestamped
 * line per op start, retry and finish. Writes only through the `write` it is given.
 */
import type { ApplyEventSink, OpRef } from "./events.js";
import type { OpResult } from "./report.js";
import { safeText } from "../render/format-value.js";

export interface ProgressOptions {
  isTTY: boolean;
  write: (text: string) => void;
  now: () => number;
  /** Least time between two redraws of the live lines. */
  redrawMs?: number;
}

interface ServerTally {
  total: number;
  running: number;
  done: number;
  failed: number;
  conflict: number;
  unknown: number;
  skipped: number;
}

export function createProgress(options: ProgressOptions): ApplyEventSink {
  return options.isTTY ? liveProgress(options) : lineProgress(options);
}

function stamp(at: number): string {
  return new Date(at).toISOString();
}

function opText(op: OpRef | OpResult): string {
  return `${safeText(op.server)} ${op.action} ${safeText(op.name)}`;
}

/** A server's or provider's words: one line, no terminal control. */
function said(text: string | null): string {
  return safeText(text ?? "");
}

function finishedLine(r: OpResult): string {
  const took = `(${(r.durationMs / 1000).toFixed(1)} s)`;
  switch (r.status) {
    case "done":
      return `done ${opText(r)} ${took}${r.resourceId === null ? "" : ` [${said(r.resourceId)}]`}${r.note === null ? "" : `: ${said(r.note)}`}`;
    case "skipped":
      return `skipped ${opText(r)}: ${said(r.message)}`;
    default:
      return `${r.status} ${opText(r)} ${took}: ${said(r.message)}`;
  }
}

/** CI: every line stands alone, so logs read well when interleaved or truncated. */
function lineProgress({ write }: ProgressOptions): ApplyEventSink {
  return (event) => {
    const at = stamp(event.at);
    switch (event.type) {
      case "apply-started": {
        const total = Object.values(event.opsByServer).reduce((a, b) => a + b, 0);
        write(`${at} applying ${total} op${total === 1 ? "" : "s"} on ${Object.keys(event.opsByServer).length} server(s)\n`);
        return;
      }
      case "op-started":
        return write(`${at} start ${opText(event.op)}\n`);
      case "op-retrying":
        return write(`${at} retry ${opText(event.op)} (attempt ${event.attempt} in ${event.delayMs} ms): ${said(event.message)}\n`);
      case "op-read-back":
        return write(`${at} read back ${opText(event.op)}: ${said(event.message)}\n`);
      case "op-waiting":
        return write(`${at} waiting ${opText(event.op)}: ${said(event.message)}\n`);
      case "op-finished":
        return write(`${at} ${finishedLine(event.result)}\n`);
      case "apply-interrupted":
        return write(`${at} interrupted: no new ops will start; waiting for the ones in flight\n`);
      case "apply-finished":
        return write(`${at} finished: ${event.report.totals.done}/${event.report.totals.total} done\n`);
    }
  };
}

function tallyText(server: string, t: ServerTally): string {
  const extra = (["failed", "conflict", "unknown", "skipped", "running"] as const).filter((k) => t[k] > 0).map((k) => `${t[k]} ${k}`);
  return `${server} ▸ ${t.done}/${t.total} done${extra.length === 0 ? "" : `, ${extra.join(", ")}`}`;
}

/** Terminal: a block of one line per server, redrawn in place with ANSI cursor moves. */
function liveProgress({ write, now, redrawMs = 100 }: ProgressOptions): ApplyEventSink {
  const tallies = new Map<string, ServerTally>();
  // An op in conflict ends without having started (it was never sent).
  const started = new Set<string>();
  let drawn = 0;
  let lastDraw = Number.NEGATIVE_INFINITY;

  const draw = (above: string | null): void => {
    let out = drawn > 0 ? `\x1b[${drawn}A` : "";
    if (above !== null) out += `\r\x1b[2K${above}\n`;
    for (const [server, t] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) out += `\r\x1b[2K${tallyText(server, t)}\n`;
    drawn = tallies.size;
    lastDraw = now();
    write(out);
  };

  return (event) => {
    if (event.type === "apply-started") {
      for (const [server, total] of Object.entries(event.opsByServer)) tallies.set(server, { total, running: 0, done: 0, failed: 0, conflict: 0, unknown: 0, skipped: 0 });
      return draw(null);
    }
    if (event.type === "op-started" && !started.has(event.op.id)) {
      started.add(event.op.id);
      adjust(tallies, event.op.server, "running", 1);
    }
    if (event.type === "op-finished") {
      const r = event.result;
      if (started.delete(r.id)) adjust(tallies, r.server, "running", -1);
      adjust(tallies, r.server, r.status, 1);
      // Failures stay on screen above the live lines; the live lines only count them.
      if (r.status === "failed" || r.status === "unknown" || r.status === "conflict") return draw(`✗ ${finishedLine(r)}`);
    }
    // A long wait shows above the live lines, so a terminal is never silent while it lasts.
    if (event.type === "op-waiting") return draw(`… ${opText(event.op)}: ${said(event.message)}`);
    if (event.type === "apply-interrupted") return draw("interrupted: no new ops will start; waiting for the ones in flight");
    if (event.type === "apply-finished" || now() - lastDraw >= redrawMs) draw(null);
  };
}

function adjust(tallies: Map<string, ServerTally>, server: string, key: keyof ServerTally, by: number): void {
  const t = tallies.get(server);
  if (t !== undefined) t[key] += by;
}
