/**
 * Drift: a plan read as the differences between the servers and git, with text, markdown and
 * JSON renderers and the exit code. `siteform drift` plans, then calls these with the
 * inventory's catalogue of kinds.
 */
export { classifyDrift } from "./classify.js";
export {
  DRIFT_CLASSES,
  DRIFT_FORMAT_VERSION,
  UNREADABLE,
  type DriftClass,
  type DriftCounts,
  type DriftEntry,
  type DriftKind,
  type DriftProblem,
  type DriftReport,
  type DriftServer,
  type SiteCondition,
} from "./drift-report.js";
export { driftExitCode } from "./exit-code.js";
export { renderDriftJson } from "./render-json.js";
export { renderDriftMarkdown } from "./render-markdown.js";
export { renderDriftText } from "./render-text.js";
export { renderDrift } from "./render-drift.js";
