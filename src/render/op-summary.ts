/**
 * What an op means to a reviewer, beyond its field list: whether it renames the site (its
 * domain or admin user change in place), whether it moves the site to another server-side
 * plan, and what its flags ask the server to check or store. Shared by the text and markdown
 * renderers; returns plain, already-safe text and no markup.
 */
import type { FieldChange, Op } from "../model/index.js";
import { RENAMING_FIELDS } from "../inventory/catalogue.js";
import { siteFieldOf } from "./field-catalogue.js";
import { formatValue, safeText } from "./format-value.js";

export interface Rename {
  /** `domain` or `admin user`. */
  what: string;
  from: string;
  to: string;
}


function changeBy(op: Op, siteField: string): FieldChange | undefined {
  return op.changes.find((c) => c.secret !== true && siteFieldOf(c.field) === siteField);
}

/** The in-place renames an update makes (never a delete and create). */
export function renamesOf(op: Op): Rename[] {
  if (op.action !== "update") return [];
  return [...RENAMING_FIELDS].flatMap((siteField) => {
    const change = changeBy(op, siteField);
    if (change === undefined || change.before === null) return [];
    return [{ what: siteField.replace("_", " "), from: formatValue(change.before), to: formatValue(change.after) }];
  });
}

/** `basic → premium` when an update moves the site to another server-side plan. */
export function planChangeOf(op: Op): { from: string; to: string } | null {
  if (op.action !== "update") return null;
  const change = changeBy(op, "plan");
  if (change !== undefined) return { from: formatValue(change.before), to: formatValue(change.after) };
  return op.flags.plan === undefined ? null : { from: "(unchanged)", to: formatValue(op.flags.plan) };
}

/** One sentence per flag that changes what the server does or checks. */
export function flagPhrases(op: Op): string[] {
  const { flags } = op;
  const phrases: string[] = [];
  if (op.action === "create" && flags.plan !== undefined) phrases.push(`on server plan ${formatValue(flags.plan)}`);
  if (flags.reset === true) phrases.push("resets the site's settings to its plan's defaults");
  if (flags.reason !== undefined) phrases.push(`suspension reason: ${formatValue(flags.reason)}`);
  if (flags.since !== undefined || flags.match !== undefined) {
    const checks = [
      flags.since === undefined ? null : `suspended since ${formatValue(flags.since)}`,
      flags.match === undefined ? null : `suspension reason matching ${formatValue(flags.match)}`,
    ].filter((c): c is string => c !== null);
    phrases.push(`the server checks before deleting: ${checks.join(", ")}`);
  }
  return phrases;
}

export function reasonText(op: Op): string {
  return safeText(op.reason);
}
