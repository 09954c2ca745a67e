/**
 * The drift report as JSON for tools: the DriftReport itself, versioned by `formatVersion`.
 * Secrets were redacted by the planner before the report existed.
 */
import type { DriftReport } from "./drift-report.js";

export function renderDriftJson(report: DriftReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
