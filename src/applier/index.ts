/**
 * The applier's public surface: check a plan document (format; whether it is what siteform would
 * do now), enforce the deletion rules, run it against
 * providers, and turn what happened into a journal, progress, logs and a report. The CLI
 * wires these together; nothing here reads flags or prints.
 */
export { checkFormat, type FormatCheck } from "./format.js";
export { checkProposal, differingParts, type OpDifference, type ProposalCheck, type ProposalInput } from "./proposal.js";
export { deletionRefusals, deletionRulesFor, type DeletionRules } from "./deletion-rules.js";
export { paidRefusals, paidRulesFor, type PaidRules } from "./paid-rules.js";
export { applyPlan, FAIL_FAST_REASON, FORCED_MESSAGE, INTERRUPTED_REASON, type ApplyOptions } from "./run.js";
export type { ConcurrencyLimits } from "./schedule.js";
export { DEFAULT_RETRY_POLICY, backoffDelay, isRetryable, type RetryPolicy } from "./retry.js";
export { READ_BACK_NOTE, judgeReadBack, type ReadBackVerdict } from "./readback.js";
export { fanOut, type ApplyEvent, type ApplyEventSink, type OpRef } from "./events.js";
export { OP_STATUSES, type ApplyReport, type OpResult, type OpStatus, type StatusCounts } from "./report.js";
export { Journal, journalRecord, type JournalRecord } from "./journal.js";
export { createProgress, type ProgressOptions } from "./progress.js";
export { LOG_CENSOR, createApplyLogger, logRedactPaths, logApplyEvents, logFileDestination } from "./log.js";
export { renderApplyText } from "./report-text.js";
export { renderApplyMarkdown } from "./report-markdown.js";
export { APPLY_REPORT_FORMAT_VERSION, renderApplyJson } from "./report-json.js";
