/**
 * Beside each op that costs money, what its panel says it will cost and buy (a tariff, a
 * period, a price, a new expiry), asked with the panel's free previews before anything is
 * charged: a reviewer approves an amount, not just an action. The lines go into the op's notes,
 * which people read and the stale-plan check ignores (a price can change between plan and apply
 * without the plan meaning anything else; the money cap still counts the ops).
 */
import pLimit from "p-limit";
import type { Op } from "../model/op.js";
import type { Plan } from "../model/plan.js";
import type { Provider } from "../providers/provider.js";

/** Previews asked at once on one run: a handful of paid ops is the norm. */
const QUOTE_PARALLELISM = 4;

export async function withQuotes(plan: Plan, providers: ReadonlyMap<string, Provider>): Promise<Plan> {
  const limit = pLimit(QUOTE_PARALLELISM);
  const ops = await Promise.all(
    plan.ops.map((op) => {
      const provider = providers.get(op.server);
      if (op.paid !== true || provider?.quote === undefined) return op;
      const quote = provider.quote.bind(provider);
      return limit(async (): Promise<Op> => ({ ...op, notes: [...op.notes, ...(await quoteLines(quote, op))] }));
    }),
  );
  return { ...plan, ops };
}

async function quoteLines(quote: (op: Op) => Promise<readonly string[]>, op: Op): Promise<readonly string[]> {
  try {
    return await quote(op);
  } catch (err) {
    // The preview is for people; without it the plan is still right, only less informative.
    return [`no price preview: ${err instanceof Error ? err.message : String(err)}`];
  }
}
