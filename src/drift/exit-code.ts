/**
 * The exit code of `siteform drift`, as DESIGN.md gives it for `plan`: 1 when the report is
 * incomplete or wrong (a server could not be read, the plan has errors); with
 * `--detailed-exitcode` 2 for drift and 3 for drift whose fix deletes a site (a cancelled
 * site past its grace period, or a pruned unmanaged one); otherwise 0.
 */
import type { DriftReport } from "./drift-report.js";

export function driftExitCode(report: DriftReport, detailed: boolean): 0 | 1 | 2 | 3 {
  if (report.problems.some((p) => p.severity === "error")) return 1;
  if (!detailed || report.total === 0) return 0;
  return report.deletions > 0 ? 3 : 2;
}
