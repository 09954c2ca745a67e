/**
 * Operation counts and the phrases that say them ("2 to delete, 1 to update"), shared by
 * every renderer so that text, markdown and JSON readers see the same numbers. Counts are
 * taken from the ops themselves, which are what apply runs.
 */
import { OP_ACTIONS, type ActionCounts, type Op, type OpAction } from "../model/index.js";

export function emptyCounts(): ActionCounts {
  return { delete: 0, suspend: 0, update: 0, create: 0, activate: 0 };
}

export function countActions(ops: readonly Op[]): ActionCounts {
  const counts = emptyCounts();
  for (const op of ops) counts[op.action] += 1;
  return counts;
}

/** `3 servers`, `1 error`. */
export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}

/** `2 to delete, 1 to suspend` in review order; zero counts left out unless `withZeros`. Empty string when nothing counts. */
export function actionPhrase(counts: ActionCounts, options: { withZeros?: boolean } = {}): string {
  return OP_ACTIONS.filter((action: OpAction) => options.withZeros === true || counts[action] > 0)
    .map((action) => `${counts[action]} to ${action}`)
    .join(", ");
}
