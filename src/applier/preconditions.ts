/**
 * Whether an op's preconditions (the observed values it was planned against) still hold on a
 * site as read now. Pure, and the one place that decides it: the re-read right before each
 * mutation and the explanation of why a saved plan no longer matches both ask it.
 */
import type { ObservedSite } from "../model/observed-site.js";
import type { FieldValue, Op } from "../model/op.js";
import { formatValue } from "../render/format-value.js";
import { fieldValue, sameValue } from "./field-value.js";

export interface PreconditionOptions {
  /**
   * Precondition keys not to check: values that other ops of the same run change on the same
   * site (a rename before an activation), which are expected to differ from the plan's reading.
   */
  ignore?: ReadonlySet<string>;
}

/**
 * For an op on an existing site: what no longer holds on `site` (null when everything does).
 * `site` is the op's target as read now, null when it is gone.
 */
export function existingSiteProblem(op: Op, site: ObservedSite | null, options: PreconditionOptions = {}): string | null {
  const pre = op.preconditions;
  if (site === null) return `site ${pre.siteId ?? op.target.siteId ?? op.target.domain} no longer exists`;
  const changed = Object.entries(pre.fields)
    .filter(([field]) => options.ignore?.has(field) !== true)
    .filter(([field, expected]) => !sameValue(field, expected, fieldValue(site, field)))
    .map(([field, expected]) => `${field} was ${show(expected)} when planned, is now ${show(fieldValue(site, field))}`);
  return changed.length === 0 ? null : changed.join("; ");
}

/** For a create: which of the names it must find free are held, and by which site (null when all are free). */
export function freeNameProblem(op: Op, sites: readonly ObservedSite[]): string | null {
  const problems: string[] = [];
  const domain = op.preconditions.freeDomain ?? (op.action === "create" ? op.target.domain : undefined);
  if (domain !== undefined) {
    const wanted = domain.toLowerCase();
    const holder = sites.find((s) => s.domain.toLowerCase() === wanted || s.aliases.some((a) => a.toLowerCase() === wanted));
    if (holder !== undefined) problems.push(`domain ${domain} is now taken by ${holder.id} (${holder.domain})`);
  }
  const user = op.preconditions.freeAdminUser;
  if (user !== undefined) {
    const holder = sites.find((s) => s.adminUser === user);
    if (holder !== undefined) problems.push(`admin user ${user} is now taken by ${holder.id} (${holder.domain})`);
  }
  return problems.length === 0 ? null : problems.join("; ");
}

/** A value for a one-line message, as plans show values (control characters escaped), cut at 60 characters. */
export function show(value: FieldValue | undefined): string {
  return value === undefined ? "absent" : formatValue(value, 60);
}
