/**
 * The WHM emulator's semantics behind one entry point: a function name and its parameters in,
 * WhmAnswer out or WhmRefusal thrown. It owns the state (WhmStore) and knows nothing of HTTP,
 * authentication, envelopes or knobs.
 */
import type { CallContext, Params, WhmAnswer } from "./call.js";
import { createacct } from "./create.js";
import type { WhmFunction } from "./functions.js";
import { accountsummary, listaccts } from "./listing.js";
import { modifyacct } from "./modify.js";
import { changepackage, listpkgs } from "./packages.js";
import { editquota, limitbw, showbw } from "./quotas.js";
import { removeacct } from "./remove.js";
import type { WhmAccountRecord, WhmPackageRecord, WhmState } from "./state.js";
import { WhmStore } from "./store.js";
import { listsuspended, suspendacct, unsuspendacct } from "./suspension.js";

/** What `version` reports: a cPanel & WHM release of the shape 11.x.y.z. */
export const WHM_VERSION = "11.126.0.10";

type Handler = (store: WhmStore, params: Params, ctx: CallContext) => WhmAnswer;

const HANDLERS: Record<WhmFunction, Handler> = {
  createacct,
  removeacct,
  suspendacct,
  unsuspendacct,
  changepackage,
  modifyacct,
  editquota,
  limitbw,
  listaccts,
  accountsummary,
  listpkgs,
  showbw,
  listsuspended,
  version: () => ({ reason: "OK", data: { version: WHM_VERSION } }),
};

export class WhmModel {
  private readonly store: WhmStore;

  /** `state` must be valid (validateWhmState); the model works on its own copy. */
  constructor(state: WhmState) {
    this.store = new WhmStore(state);
  }

  invoke(fn: WhmFunction, params: Params, ctx: CallContext): WhmAnswer {
    return HANDLERS[fn](this.store, params, ctx);
  }

  /** A deep copy of the state, JSON-serialisable (for `--state FILE`). */
  snapshot(): WhmState {
    return this.store.snapshot();
  }

  accounts(): readonly WhmAccountRecord[] {
    return structuredClone(this.store.allAccounts());
  }

  packages(): readonly WhmPackageRecord[] {
    return structuredClone(this.store.allPackages());
  }
}
