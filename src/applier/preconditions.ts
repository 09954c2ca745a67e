/**
 * Whether an op's preconditions (the observed values it was planned against) still hold on a
 * resource as read now. Pure, and the one place that decides it: the re-read right before each
 * mutation and the explanation of why a saved plan no longer matches both ask it.
 */
import type { Catalogue } from "../kinds/catalogue.js";
import { comparable, keyValues } from "../kinds/values.js";
import type { FieldValue, Op } from "../model/op.js";
import type { ObservedResource } from "../model/resource.js";
import { formatValue } from "../render/format-value.js";
import { fieldValue, sameValue } from "./field-value.js";

export interface PreconditionOptions {
  /**
   * Precondition keys not to check: values that other ops of the same run change on the same
   * resource (a rename before an activation), which are expected to differ from the plan's reading.
   */
  ignore?: ReadonlySet<string>;
}

/**
 * For an op on an existing resource: what no longer holds on `resource` (null when everything
 * does). `resource` is the op's target as read now, null when it is gone.
 */
export function existingProblem(op: Op, resource: ObservedResource | null, catalogue: Catalogue, options: PreconditionOptions = {}): string | null {
  const pre = op.preconditions;
  const kind = catalogue.kind(op.kind);
  if (resource === null) return `${kind.noun} ${pre.id ?? op.target.id ?? op.target.name} no longer exists`;
  const changed = Object.entries(pre.fields)
    .filter(([field]) => options.ignore?.has(field) !== true)
    .filter(([field, expected]) => !sameValue(kind, field, expected, fieldValue(resource, field)))
    .map(([field, expected]) => `${field} was ${show(expected)} when planned, is now ${show(fieldValue(resource, field))}`);
  return changed.length === 0 ? null : changed.join("; ");
}

/** For a create: which of the names it must find free are held, and by which resource (null when all are free). */
export function freeNameProblem(op: Op, resources: readonly ObservedResource[], catalogue: Catalogue): string | null {
  const kind = catalogue.kind(op.kind);
  const problems: string[] = [];
  for (const free of op.preconditions.free ?? []) {
    const keys = kind.keys().filter((k) => k.namespace === free.namespace);
    const holder = resources.find((r) => r.kind === op.kind && keys.some((k) => keyValues(k, r.fields).includes(comparable(k, free.value))));
    if (holder !== undefined) problems.push(`${free.key} ${free.value} is now taken by ${holder.id} (${holder.name})`);
  }
  return problems.length === 0 ? null : problems.join("; ");
}

/** A value for a one-line message, as plans show values (control characters escaped), cut at 60 characters. */
export function show(value: FieldValue | undefined): string {
  return value === undefined ? "absent" : formatValue(value, 60);
}
