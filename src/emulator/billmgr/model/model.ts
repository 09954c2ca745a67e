/**
 * The BILLmanager emulator's semantics behind one entry point: a function and its parameters in,
 * DocAnswer out or BillmgrRefusal thrown. It owns the account (BillmgrStore) and knows nothing
 * of HTTP, sessions, envelopes or knobs; `auth` is the server's business and never reaches it.
 */
import type { CallContext, DocAnswer } from "./answer.js";
import { edit } from "./edit.js";
import type { BillmgrFunction } from "./functions.js";
import { history } from "./history.js";
import { lifecycle } from "./lifecycle.js";
import { filter, list } from "./listing.js";
import { order } from "./order.js";
import type { Params } from "./params.js";
import { prolong } from "./prolong.js";
import { fromCents } from "./money.js";
import type { BillmgrOrderRecord, BillmgrServiceRecord, BillmgrState } from "./state.js";
import { BillmgrStore } from "./store.js";

export class BillmgrModel {
  private readonly store: BillmgrStore;

  /** `state` must be valid (validateBillmgrState); the model works on its own copy. */
  constructor(state: BillmgrState) {
    this.store = new BillmgrStore(state);
  }

  invoke(fn: Exclude<BillmgrFunction, { kind: "auth" }>, params: Params, ctx: CallContext): DocAnswer {
    switch (fn.kind) {
      case "list":
        return list(this.store, fn.itemtype, params, ctx);
      case "filter":
        return filter(fn.itemtype, params, ctx);
      case "order":
        return order(this.store, fn.itemtype, params, ctx);
      case "edit":
        return edit(this.store, fn.itemtype, params, ctx);
      case "suspend":
      case "resume":
      case "delete":
        return lifecycle(this.store, fn.itemtype, fn.kind, params, ctx);
      case "prolong":
        return prolong(this.store, params, ctx);
      case "history":
        return history(this.store, params);
    }
  }

  /** A deep copy of the state, JSON-serialisable (for `--state FILE`). */
  snapshot(): BillmgrState {
    return this.store.snapshot();
  }

  services(): readonly BillmgrServiceRecord[] {
    return structuredClone(this.store.services());
  }

  orders(): readonly BillmgrOrderRecord[] {
    return structuredClone(this.store.orders());
  }

  /** Currency units. */
  balance(): number {
    return fromCents(this.store.balance);
  }
}
