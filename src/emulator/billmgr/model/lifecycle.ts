/**
 * `<itemtype>.suspend`, `.resume` and `.delete`, each on one service or several (`elid=1, 2`):
 * every id is checked before any is touched, so a bad id changes nothing. Each passes the
 * service through status 5 and lands on 3, 2 or 4. Suspending a suspended service or resuming an
 * active one succeeds and changes nothing [I]. Deleting needs no suspension first; a deleted
 * service stays listed with status 4 [I]. Every change is written to the history with the user
 * and the time, which a client re-reads before deleting.
 */
import type { CallContext, DocAnswer } from "./answer.js";
import { dateTimeOf } from "./dates.js";
import type { Itemtype } from "./functions.js";
import { checkActionable } from "./guard.js";
import type { Params } from "./params.js";
import { startProcessing } from "./processing.js";
import type { BillmgrStore } from "./store.js";

type Verb = "suspend" | "resume" | "delete";

const EFFECT = {
  suspend: { from: 2, to: 3, reason: "suspend", action: "suspend" },
  resume: { from: 3, to: 2, reason: "resume", action: "resume" },
  delete: { from: undefined, to: 4, reason: "close", action: "close" },
} as const;

export function lifecycle(store: BillmgrStore, itemtype: Itemtype, verb: Verb, params: Params, ctx: CallContext): DocAnswer {
  const services = [...new Set(params.elids())].map((id) => store.service(id, itemtype));
  for (const s of services) checkActionable(s);
  const effect = EFFECT[verb];
  for (const s of services) {
    if (effect.from !== undefined && s.item_status !== effect.from) continue;
    startProcessing(s, ctx.processingSteps, effect.reason, effect.to);
    s.history.push({ date: dateTimeOf(ctx.now), user: ctx.user, action: effect.action });
  }
  return { ok: true };
}
