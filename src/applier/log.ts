/**
 * Structured logs of an apply: a pino logger writing JSON lines to the stream it is given
 * (stderr, or a --log-file), with secret-looking fields censored at any of the first three
 * levels, and an adapter that logs applier events. Messages come from ProviderErrors, which
 * are already redacted; this is the second line of defence for structured fields.
 */
import { pino, type DestinationStream, type Level, type Logger } from "pino";
import type { Catalogue } from "../kinds/catalogue.js";
import type { ApplyEvent, ApplyEventSink } from "./events.js";

/** The usual names of keys and passwords. */
const USUAL_SECRET_NAMES = ["key", "apiKey", "api_key", "password", "passwd", "secret", "token", "authorization"];

/** Field names that hold secrets: the usual ones, and every field the catalogue's kinds mark x-secret. */
export function logRedactPaths(catalogue: Catalogue): string[] {
  const names = new Set([...USUAL_SECRET_NAMES, ...catalogue.secretFields().map((field) => field.slice(field.indexOf(".") + 1))]);
  return [...names].flatMap((name) => [name, `*.${name}`, `*.*.${name}`]);
}

export const LOG_CENSOR = "[REDACTED]";

export function createApplyLogger(stream: DestinationStream, options: { level?: Level; catalogue: Catalogue }): Logger {
  return pino({ level: options.level ?? "info", base: { name: "siteform" }, redact: { paths: logRedactPaths(options.catalogue), censor: LOG_CENSOR } }, stream);
}

/** A synchronous file destination for --log-file: lines reach the file even if the process dies. */
export function logFileDestination(path: string): DestinationStream {
  return pino.destination({ dest: path, sync: true, append: true, mkdir: true });
}

/** An ApplyEventSink that logs each event at a level matching how much it needs attention. */
export function logApplyEvents(logger: Logger): ApplyEventSink {
  return (event: ApplyEvent) => {
    switch (event.type) {
      case "apply-started":
        return logger.info({ event: event.type, planCreatedAt: event.planCreatedAt, inventoryCommit: event.inventoryCommit, opsByServer: event.opsByServer }, "apply started");
      case "op-started":
        return logger.info({ event: event.type, ...event.op, attempt: event.attempt }, "op started");
      case "op-retrying":
        return logger.warn({ event: event.type, ...event.op, attempt: event.attempt, delayMs: event.delayMs, error: event.message }, "op will be retried");
      case "op-waiting":
        return logger.info({ event: event.type, ...event.op, detail: event.message }, "waiting for the server to finish");
      case "op-read-back":
        return logger.warn({ event: event.type, ...event.op, outcome: event.outcome, detail: event.message }, "lost answer resolved by reading back");
      case "op-finished": {
        const { status } = event.result;
        const level = status === "done" ? "info" : status === "skipped" ? "warn" : "error";
        return logger[level]({ event: event.type, ...event.result }, `op ${status}`);
      }
      case "apply-interrupted":
        return logger.warn({ event: event.type }, "apply interrupted: no new ops start");
      case "apply-finished":
        return logger.info({ event: event.type, ok: event.report.ok, interrupted: event.report.interrupted, totals: event.report.totals }, "apply finished");
    }
  };
}
