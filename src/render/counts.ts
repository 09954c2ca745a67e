/**
 * Operation counts and the phrases that say them ("2 to delete, 1 to update"), shared by
 * every renderer so that text, markdown and JSON readers see the same numbers. Counts are
 * taken from the ops themselves, which are what apply runs. The core's actions are always
 * counted; a kind's own (`renew`) only when some op has it, read after update.
 */
import { OP_ACTIONS, type ActionCounts, type Op, type OpAction } from "../model/index.js";

export function emptyCounts(): Record<OpAction, number> {
  return Object.fromEntries(OP_ACTIONS.map((a) => [a, 0])) as Record<OpAction, number>;
}

export function countActions(ops: readonly Op[]): ActionCounts {
  const counts = emptyCounts();
  for (const op of ops) counts[op.action] = (counts[op.action] ?? 0) + 1;
  return counts;
}

function isCore(action: OpAction): boolean {
  return (OP_ACTIONS as readonly string[]).includes(action);
}

/** Where an action is read: the core's in their order, a kind's own right after update, before creates and activations. */
export function actionRank(action: OpAction): number {
  const core = OP_ACTIONS.indexOf(action as (typeof OP_ACTIONS)[number]);
  if (core === -1) return OP_ACTIONS.indexOf("update") + 0.5;
  return core;
}

/** The actions of a count in review order: every core action, then a kind's own by name, after update. */
export function actionsOf(counts: Readonly<Record<string, number>>): OpAction[] {
  const own = Object.keys(counts)
    .filter((a) => !isCore(a))
    .sort();
  return [...OP_ACTIONS, ...own].sort((a, b) => actionRank(a) - actionRank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** `3 servers`, `1 error`. */
export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}

/**
 * `2 to delete, 1 to suspend` in review order; zero counts left out unless `withZeros` (a
 * kind's own action is shown with a zero only when the counts list it). Empty string when
 * nothing counts.
 */
export function actionPhrase(counts: ActionCounts, options: { withZeros?: boolean } = {}): string {
  return actionsOf(counts)
    .filter((action) => options.withZeros === true || (counts[action] ?? 0) > 0)
    .map((action) => `${counts[action] ?? 0} to ${action}`)
    .join(", ");
}

/** `; 2 cost money` when some ops cost money, else empty: appended to a total. */
export function paidPhrase(ops: readonly Op[]): string {
  const paid = ops.filter((op) => op.paid === true).length;
  return paid === 0 ? "" : `; ${paid} ${paid === 1 ? "costs" : "cost"} money`;
}
