/**
 * What an op means to a reviewer, beyond its field list: whether it renames the resource (a
 * key the kind declares as renaming changes in place), whether it moves the resource to another
 * server-side template, and what its flags ask the server to check or store. Everything about
 * fields comes from the op's kind (null when the catalogue does not know it: no renames are
 * named, the template is called "template"). Shared by the text and markdown renderers;
 * returns plain, already-safe text and no markup.
 */
import type { KindModel } from "../kinds/catalogue.js";
import type { FieldChange, Op } from "../model/index.js";
import { plural } from "./counts.js";
import { formatValue, safeText } from "./format-value.js";

export interface Rename {
  /** The key's label (`domain`, `admin user`). */
  what: string;
  from: string;
  to: string;
}

export interface TemplateChange {
  /** The kind's name for its templates (`server plan`). */
  label: string;
  /** The template before; null when only the flags say where the resource moves to. */
  from: string | null;
  to: string;
}

function visible(op: Op, field: string): FieldChange | undefined {
  return op.changes.find((c) => c.secret !== true && c.field === field);
}

/** The in-place renames an update makes (never a delete and create), in the order the kind declares its keys. */
export function renamesOf(op: Op, kind: KindModel | null): Rename[] {
  if (op.action !== "update" || kind === null) return [];
  return kind.keys().flatMap((key) => {
    if (!key.renames) return [];
    const change = visible(op, key.field);
    if (change === undefined || change.before === null) return [];
    return [{ what: safeText(key.label), from: formatValue(change.before), to: formatValue(change.after) }];
  });
}

function templateLabel(kind: KindModel | null): string {
  return safeText(kind?.declaration.template?.label ?? "template");
}

/** `basic → premium` when an update moves the resource to another server-side template. */
export function templateChangeOf(op: Op, kind: KindModel | null): TemplateChange | null {
  if (op.action !== "update") return null;
  const field = kind?.declaration.template?.field;
  const change = field === undefined ? undefined : visible(op, field);
  if (change !== undefined) return { label: templateLabel(kind), from: formatValue(change.before), to: formatValue(change.after) };
  return op.flags.template === undefined ? null : { label: templateLabel(kind), from: null, to: formatValue(op.flags.template) };
}

/** One line for a template change: `server plan: basic → premium`, or `moves to server plan premium` when only the flags say so. */
export function templateChangeText(change: TemplateChange): string {
  return change.from === null ? `moves to ${change.label} ${change.to}` : `${change.label}: ${change.from} → ${change.to}`;
}

/** One sentence per flag that changes what the server does or checks. */
export function flagPhrases(op: Op, kind: KindModel | null): string[] {
  const { flags } = op;
  const phrases: string[] = [];
  if (op.action === "create" && flags.template !== undefined) phrases.push(`on ${templateLabel(kind)} ${formatValue(flags.template)}`);
  if (flags.reset === true) phrases.push(`resets the ${safeText(kind?.noun ?? "resource")}'s settings to its plan's defaults`);
  if (flags.reason !== undefined) phrases.push(`suspension reason: ${formatValue(flags.reason)}`);
  if (flags.deletion !== undefined) {
    const { suspendedDays, ownerTag } = flags.deletion;
    phrases.push(`deleted only if suspended at least ${plural(suspendedDays, "day")} with a reason starting with "${safeText(ownerTag)}"`);
  }
  return phrases;
}

export function reasonText(op: Op): string {
  return safeText(op.reason);
}
