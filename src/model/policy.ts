/**
 * The safety policy from siteform.yaml, defaults applied. Types only.
 */
export interface Policy {
  /** Most deletions one plan may make on one server without `--allow-deletes`. */
  maxDeletes: number;
  /** Days from `cancelled_on` to deletion. */
  deletionGraceDays: number;
  /** `service.param` or `service` entries the planner never diffs. */
  ignore: readonly string[];
}
