/**
 * `service.history`: the events of one service (`elid`), oldest first [I], each with its date
 * (UTC), the user who did it and the action (`open`, `edit`, `suspend`, `resume`, `prolong`,
 * `close`), so a client can re-check who suspended a service and since when before deleting it.
 */
import type { DocAnswer } from "./answer.js";
import type { Params } from "./params.js";
import type { BillmgrStore } from "./store.js";

export function history(store: BillmgrStore, params: Params): DocAnswer {
  const service = store.service(params.elid());
  const elems = service.history.map((e, i) => ({
    id: String(i + 1),
    date: e.date,
    user: e.user,
    action: e.action,
    ...(e.desc !== undefined && { desc: e.desc }),
  }));
  return { elems, fields: { elid: String(service.id), p_elems: String(elems.length) } };
}
