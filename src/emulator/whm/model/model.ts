/**
 * The WHM emulator's semantics behind one entry point: a function name and its parameters in,
 * WhmAnswer out or WhmRefusal thrown. It owns the state (WhmStore) and knows nothing of HTTP,
 * authentication, envelopes or knobs. Besides the API it answers the one-time logins that
 * `create_user_session` hands out, and lets tests set what accounts have used.
 */
import type { CallContext, Params, WhmAnswer } from "./call.js";
import { createacct } from "./create.js";
import type { WhmFunction } from "./functions.js";
import { accountsummary, listaccts } from "./listing.js";
import { modifyacct } from "./modify.js";
import { passwd, passwordMatches } from "./password.js";
import { changepackage, listpkgs } from "./packages.js";
import { editquota, limitbw, showbw } from "./quotas.js";
import { removeacct } from "./remove.js";
import { create_user_session, type LoginOutcome } from "./sessions.js";
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
  passwd,
  create_user_session,
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

  /** The first GET of a login URL (`/cpsessNNNNNNNNNN/login/?session=…`): logs in once. */
  login(token: string, session: string, now: number): LoginOutcome {
    return this.store.sessions.login(token, session, now, (user) => {
      const account = this.store.findUser(user);
      return account !== undefined && !account.suspended;
    });
  }

  /** The user a panel page's session cookie belongs to, while the account can still log in. */
  loggedIn(cookie: string | undefined): string | undefined {
    const user = this.store.sessions.cookieUser(cookie);
    const account = user === undefined ? undefined : this.store.findUser(user);
    return account === undefined || account.suspended ? undefined : account.user;
  }

  /** Sets what an account has used (disk in MB, this month's bandwidth in bytes); refuses a user it does not have. */
  setUsage(user: string, usage: Partial<WhmAccountRecord["usage"]>): void {
    const account = this.store.account(user);
    const given = Object.entries(usage).filter(([, value]) => value !== undefined);
    for (const [key, value] of given) {
      if (!Number.isInteger(value) || (value as number) < 0) throw new TypeError(`usage.${key} must be an integer ≥ 0, got ${String(value)}`);
    }
    account.usage = { ...account.usage, ...Object.fromEntries(given) };
  }

  /** Whether `password` is the account's current password (by its hash). */
  passwordIs(user: string, password: string): boolean {
    const account = this.store.findUser(user);
    return account !== undefined && passwordMatches(account.password.hash, password);
  }
}
