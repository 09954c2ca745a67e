/**
 * Carries out one Op on a WHM server. Most ops are several calls, so each first finds the
 * account as it is now (by its domain, else by its uid), and leaves out what it already has:
 * an op tried again after a failure part-way picks up where it stopped instead of renaming
 * twice. A create is `createacct` and then the account's own limits; an update renames and
 * re-addresses with `modifyacct`, moves package with `changepackage` and then sets the limits
 * again (a package change rewrites them); a delete checks, on that fresh reading, that siteform
 * suspended the account long enough ago before `removeacct`, since WHM checks nothing itself.
 * Failures after some calls succeeded say which were done (PartlyDoneError).
 */
import type { Op } from "../../model/op.js";
import type { ExecuteResult } from "../provider.js";
import type { WhmClient } from "./client.js";
import { WhmError, WhmRejectedError, type WhmErrorKind } from "./errors.js";
import { hasLimits, accountWork, createCall, identityChanges, OpShapeError, type LimitCalls } from "./op-calls.js";
import type { AccountRow } from "./results.js";
import { deletionRefusal } from "./deletion-guard.js";
import { contactEmail } from "./observe.js";


/** The fields a lookup needs: enough to name, address and check the suspension of an account. */
const LOOKUP_WANT = ["uid", "user", "domain", "email", "suspended", "suspendreason", "suspendtime"];

/** A call failed after others of the same op had succeeded. */
export class PartlyDoneError extends Error {
  override readonly name = "PartlyDoneError";

  constructor(
    /** What was done, for the reader (`createacct acme`). */
    readonly done: readonly string[],
    readonly failure: WhmError,
    /** The kind to report instead of the failure's own (a create whose account exists must not be sent again). */
    readonly kind: WhmErrorKind,
    readonly advice: string,
    /** The op must not be sent again whatever the failure was (a create: its createacct is done). */
    readonly final: boolean,
  ) {
    super(`${done.join(", ")} done, then ${failure.message}`, { cause: failure });
  }
}

/** The provider refused to carry out a deletion its requirement does not allow; nothing was called. */
export class DeletionRefusal extends Error {
  override readonly name = "DeletionRefusal";
}

/** The op's account is not on the server. */
export class AccountMissing extends Error {
  override readonly name = "AccountMissing";
}

export interface ExecuteContext {
  client: WhmClient;
  /** Milliseconds: the provider's clock for the deletion's age check. */
  now: () => number;
}

/** Runs calls in order, remembering what succeeded so a later failure can say so. */
class Steps {
  readonly done: string[] = [];

  constructor(private readonly failedAfterWork: (failure: WhmError) => { kind: WhmErrorKind; advice: string; final: boolean }) {}

  async run(label: string, call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (err) {
      if (this.done.length === 0 || !(err instanceof WhmError)) throw err;
      const { kind, advice, final } = this.failedAfterWork(err);
      throw new PartlyDoneError([...this.done], err, kind, advice, final);
    }
    this.done.push(label);
  }
}

export async function executeOp(ctx: ExecuteContext, op: Op): Promise<ExecuteResult> {
  switch (op.action) {
    case "create":
      return create(ctx, op);
    case "update":
      return update(ctx, op);
    case "suspend": {
      const account = await locate(ctx.client, op);
      await ctx.client.suspendacct(account.user, op.flags.reason);
      return { id: account.uid };
    }
    case "activate": {
      const account = await locate(ctx.client, op);
      await ctx.client.unsuspendacct(account.user);
      return { id: account.uid };
    }
    case "delete":
      return remove(ctx, op);
    default:
      throw new OpShapeError(`${op.id}: WHM accounts have no action ${JSON.stringify(op.action)}`);
  }
}

async function create(ctx: ExecuteContext, op: Op): Promise<ExecuteResult> {
  const call = createCall(op);
  // The account exists once createacct answered: sending the create again would be refused, so a
  // later failure is reported as final and the next plan sets what is missing.
  const steps = new Steps(() => ({ kind: "rejected", advice: "the account exists; plan again to set what is missing", final: true }));
  try {
    await steps.run(`createacct ${call.username}`, () =>
      ctx.client.createacct({ username: call.username, domain: call.domain, plan: call.plan, contactemail: call.contactemail }),
    );
  } catch (err) {
    // The answer was lost: one read settles it when the account is there by now, so its own
    // limits still go with this op instead of waiting for the next plan. Not there (yet): the
    // outcome stays unknown and the applier reads back; createacct is never sent twice.
    if (!(err instanceof WhmError) || err.kind !== "unknown-outcome" || !(await created(ctx.client, call.username, call.domain))) throw err;
    steps.done.push(`createacct ${call.username} (its answer was lost; found by reading back)`);
  }
  await setLimits(ctx.client, steps, call.username, call.limits);
  // createacct does not say which uid it gave the account.
  try {
    const [row] = await ctx.client.accountsummary({ user: call.username });
    if (row !== undefined) return { id: row.uid };
    return { id: null, note: `the server created ${call.username} but did not report it when asked` };
  } catch (err) {
    return { id: null, note: `the account was created; looking up its uid failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Whether the account a create asked for is on the server: that user, with that domain. A failed read says no. */
async function created(client: WhmClient, user: string, domain: string): Promise<boolean> {
  try {
    const rows = await client.listaccts({ search: user, searchtype: "user", searchmethod: "exact", want: LOOKUP_WANT });
    return rows.some((row) => row.user === user && row.domain.toLowerCase() === domain.toLowerCase());
  } catch {
    return false;
  }
}

async function update(ctx: ExecuteContext, op: Op): Promise<ExecuteResult> {
  const work = accountWork(op);
  const account = await locate(ctx.client, op);
  // Everything here can be sent again: a retry finds the account by its uid and leaves out what it has.
  const steps = new Steps((failure) => ({ kind: failure.kind, advice: "", final: false }));
  const identity = identityChanges(work, { user: account.user, domain: account.domain, email: emailOf(account) });
  const user = typeof identity.newuser === "string" ? identity.newuser : account.user;
  if (work.package === undefined) {
    // One modifyacct carries the rename and the counts together.
    const changes = { ...identity, ...work.limits.modify };
    if (Object.keys(changes).length > 0) await steps.run(`modifyacct ${account.user}`, () => ctx.client.modifyacct(account.user, changes));
    await setLimits(ctx.client, steps, user, { modify: {}, quotaMb: work.limits.quotaMb, bandwidthMb: work.limits.bandwidthMb });
    return { id: account.uid };
  }
  if (Object.keys(identity).length > 0) await steps.run(`modifyacct ${account.user}`, () => ctx.client.modifyacct(account.user, identity));
  const pkg = work.package;
  await steps.run(`changepackage ${user} ${pkg}`, () => ctx.client.changepackage(user, pkg));
  // changepackage rewrote the limits with the package's: the account's own go back on.
  await setLimits(ctx.client, steps, user, work.limits);
  return { id: account.uid };
}

async function setLimits(client: WhmClient, steps: Steps, user: string, limits: LimitCalls): Promise<void> {
  if (!hasLimits(limits)) return;
  if (Object.keys(limits.modify).length > 0) await steps.run(`modifyacct ${user} limits`, () => client.modifyacct(user, limits.modify));
  const quota = limits.quotaMb;
  if (quota !== undefined) await steps.run(`editquota ${user}`, () => client.editquota(user, quota));
  const bandwidth = limits.bandwidthMb;
  if (bandwidth !== undefined) await steps.run(`limitbw ${user}`, () => client.limitbw(user, bandwidth));
}

async function remove(ctx: ExecuteContext, op: Op): Promise<ExecuteResult> {
  const requirement = op.flags.deletion;
  if (requirement === undefined) throw new DeletionRefusal("a deletion without siteform's requirement (suspended long enough, with its reason) is refused");
  // This reading is the check: WHM itself deletes whatever it is asked to.
  const account = await locate(ctx.client, op);
  const refusal = deletionRefusal(account, requirement, ctx.now());
  if (refusal !== null) throw new DeletionRefusal(refusal);
  await ctx.client.removeacct(account.user);
  return { id: null };
}

function emailOf(account: AccountRow): string | null {
  return contactEmail(account.raw.email);
}

/**
 * The op's account as it is now: by the domain it had when planned (one small call), else,
 * when that domain is gone or now someone else's, by its uid among all accounts.
 */
export async function locate(client: WhmClient, op: Op): Promise<AccountRow> {
  const id = op.target.id;
  const name = op.target.name.toLowerCase();
  const fits = (row: AccountRow): boolean => (id !== null ? row.uid === id : row.domain.toLowerCase() === name);
  let rows: AccountRow[] = [];
  try {
    rows = await client.accountsummary({ domain: op.target.name });
  } catch (err) {
    // WHM refuses a summary of a domain no account has; that is what the uid search is for.
    if (!(err instanceof WhmRejectedError)) throw err;
  }
  const byDomain = rows.find(fits);
  if (byDomain !== undefined) return byDomain;
  if (id === null) throw new AccountMissing(`no account has the domain ${op.target.name}`);
  const all = await client.listaccts({ want: LOOKUP_WANT });
  const byUid = all.find(fits);
  if (byUid === undefined) throw new AccountMissing(`no account has the uid ${id} (it was ${op.target.name} when planned)`);
  return byUid;
}
