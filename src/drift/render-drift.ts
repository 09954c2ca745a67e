/**
 * Picks the drift renderer for a `--format` value.
 */
import type { DriftReport } from "./drift-report.js";
import { renderDriftJson } from "./render-json.js";
import { renderDriftMarkdown } from "./render-markdown.js";
import { renderDriftText } from "./render-text.js";

export function renderDrift(report: DriftReport, format: "text" | "markdown" | "json"): string {
  if (format === "json") return renderDriftJson(report);
  return format === "markdown" ? renderDriftMarkdown(report) : renderDriftText(report);
}
