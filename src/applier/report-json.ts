/**
 * The apply report as JSON for machines: the ApplyReport itself under a kind and version, so
 * readers can refuse a shape they do not know.
 */
import type { ApplyReport } from "./report.js";

/** 2: the `conflict` status, `forced` and `refused`. */
export const APPLY_REPORT_FORMAT_VERSION = 2;

export function renderApplyJson(report: ApplyReport): string {
  return `${JSON.stringify({ kind: "siteform-apply-report", formatVersion: APPLY_REPORT_FORMAT_VERSION, ...report }, null, 2)}\n`;
}
