/**
 * The safety policy from siteform.yaml, defaults applied. Types only.
 */
export interface Policy {
  /** Most deletions one plan may make on one server without `--allow-deletes`. */
  maxDeletes: number;
  /** Days from `cancelled_on` to deletion. */
  deletionGraceDays: number;
  /** Most ops whose action costs money one run may carry, across servers, without `--allow-paid`. */
  maxPaidOps: number;
  /** `group.field` or `group` entries the planner never diffs. */
  ignore: readonly string[];
}
