/**
 * Structured logs of an apply: a pino logger writing JSON lines to the stream it is given
 * (stderr, or a --log-file), with secret-looking fields censored at any of the first three
 * levels, and an adapter that logs applier events. Messages come from ProviderErrors, which
 * are already redacted; this is the second line of defence for structured fields.
 */
import { pino, type DestinationStream, type Level, type Logger } from "pino";
import { secretFields } from "../inventory/catalogue.js";
import type { ApplyEvent, ApplyEventSink } from "./events.js";

/** Field names that hold secrets: the usual names of keys and passwords, and every parameter the service schema marks x-secret. */
const SECRET_NAMES = [
  ...new Set([
    "key",
    "apiKey",
    "api_key",
    "password",
    "passwd",
    "secret",
    "token",
    "authorization",
    ...secretFields().map((field) => field.slice(field.indexOf(".") + 1)),
  ]),
];

export const LOG_REDACT_PATHS: readonly string[] = SECRET_NAMES.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]);
export const LOG_CENSOR = "[REDACTED]";

export function createApplyLogger(stream: DestinationStream, options: { level?: Level } = {}): Logger {
  return pino({ level: options.level ?? "info", base: { name: "siteform" }, redact: { paths: [...LOG_REDACT_PATHS], censor: LOG_CENSOR } }, stream);
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
