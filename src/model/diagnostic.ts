/**
 * A problem found in the inventory (or, later, while planning), reported as data. Types only:
 * the builders live in src/inventory/diagnostics.ts. An expected problem is never thrown.
 */
import type { SourceRef } from "./source-ref.js";

export type Severity = "error" | "warning";

/**
 * Stable identifiers of the kinds of problem, for tools and tests; the message is for people
 * and may change wording.
 */
export type DiagnosticCode =
  // files and YAML
  | "missing-config"
  | "unreadable-file"
  | "wrong-extension"
  | "bad-file-name"
  | "yaml-syntax"
  | "duplicate-key"
  | "empty-file"
  | "invalid-utf8"
  // limits (docs/inventory.md, "Limits")
  | "file-too-large"
  | "limit-exceeded"
  | "too-many-problems"
  // schema
  | "unknown-field"
  | "missing-field"
  | "wrong-type"
  | "bad-format"
  | "bad-value"
  | "out-of-range"
  | "duplicate-item"
  | "secret"
  | "set-elsewhere"
  // references between files
  | "unknown-server"
  | "unknown-provider"
  | "unknown-kind"
  | "unknown-plan"
  | "plan-kind-mismatch"
  | "unknown-ignore-field"
  | "group-server-mismatch"
  // uniqueness
  | "duplicate-domain"
  | "duplicate-admin-user"
  | "duplicate-site-id"
  | "duplicate-invoice"
  | `duplicate-${string}`
  // lifecycle
  | "cancelled-without-date"
  | "date-without-cancelled"
  | "reason-without-suspension"
  | "protected-cancelled"
  | "cancelled-parent"
  // connection prerequisites
  | "missing-key-env"
  | "missing-user-env"
  | "missing-ca-file";

export interface Diagnostic extends SourceRef {
  severity: Severity;
  code: DiagnosticCode;
  /** One line saying what is wrong. Never contains a secret's value. */
  message: string;
  /** What to do about it, when there is something specific to say. */
  hint?: string;
}
