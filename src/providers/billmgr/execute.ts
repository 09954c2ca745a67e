/**
 * Carries out one Op on a BILLmanager. Each op other than an order first finds the service as
 * it is now (by its id, else by the remoteid siteform ordered it with), in the list of its item
 * type when an earlier read told which, else in every list of its kind.
 *
 * An order is placed once: a service of the kind already holding the name (an earlier order
 * whose answer was lost) is taken as the result instead of ordering again, and a lost answer
 * stays an unknown outcome for the applier to read back by name. A renewal is skipped when the
 * service is already paid far enough (a retry must not pay twice), previews first (old and new
 * expiry, price: nothing charged), is refused when that would fall short of the wanted date, and
 * then commits for the same months. A
 * deletion re-reads the service and its history right before the call (deletion-guard.ts),
 * since BILLmanager checks nothing itself.
 */
import type { Op } from "../../model/op.js";
import type { ExecuteResult } from "../provider.js";
import type { BillmgrClient } from "./client.js";
import { deletionRefusal } from "./deletion-guard.js";
import type { ItemType } from "./functions.js";
import { LICENSE_KIND, SERVICE_KIND } from "./kinds.js";
import { itemtypesOf, remoteName } from "./observe.js";
import { OpShapeError, editCall, orderCall, monthsToRenew, remoteidOf, renewTarget } from "./op-calls.js";
import type { ServiceRow } from "./results.js";

/** The provider refused to carry out a deletion its requirement does not allow; nothing was called. */
export class DeletionRefusal extends Error {
  override readonly name = "DeletionRefusal";
}

/** A renewal by the service's period would not reach the wanted date; nothing was charged. */
export class RenewalShort extends Error {
  override readonly name = "RenewalShort";
}

/** The op's service is not on the server. */
export class ServiceMissing extends Error {
  override readonly name = "ServiceMissing";
}

export interface ExecuteContext {
  client: BillmgrClient;
  /** The user siteform logs in as: a suspension by this user is siteform's. */
  apiUser: string;
  /** Milliseconds: the provider's clock for the deletion's age check. */
  now: () => number;
  /** Item types of services seen so far, by id, so a lookup reads one list instead of all of its kind. */
  known: Map<string, ItemType>;
  /** How long to wait for a new order to leave "ordered"/"processing" (milliseconds); 0: do not wait. */
  settleWaitMs?: number;
  /** Fires on an interrupt: the wait ends at once. */
  signal?: AbortSignal;
  /** Told what a wait is for, on each read while it lasts. */
  progress?: (message: string) => void;
}

export async function executeOp(ctx: ExecuteContext, op: Op): Promise<ExecuteResult> {
  if (op.kind !== SERVICE_KIND && op.kind !== LICENSE_KIND) throw new OpShapeError(`${op.id}: BILLmanager has no ${op.kind}`);
  switch (op.action) {
    case "create":
      return order(ctx, op);
    case "update":
      return update(ctx, op);
    case "suspend": {
      const row = await locate(ctx, op);
      await ctx.client.suspend(row.itemtype, row.id);
      return { id: row.id };
    }
    case "activate": {
      const row = await locate(ctx, op);
      await ctx.client.resume(row.itemtype, row.id);
      return { id: row.id };
    }
    case "renew":
      return renew(ctx, op);
    case "delete":
      return remove(ctx, op);
    default:
      throw new OpShapeError(`${op.id}: BILLmanager services have no action ${JSON.stringify(op.action)}`);
  }
}

async function order(ctx: ExecuteContext, op: Op): Promise<ExecuteResult> {
  const call = orderCall(op);
  const remoteid = remoteidOf(op);
  // Never ordered twice: a live service already holding the name is the one an earlier,
  // unanswered order placed (or someone else's with siteform's name: not ours to duplicate).
  for (const itemtype of itemtypesOf(op.kind)) {
    const held = (await ctx.client.services(itemtype)).find((r) => remoteName(r) === remoteid && r.itemStatus !== 4);
    if (held !== undefined) {
      ctx.known.set(held.id, held.itemtype);
      return { id: held.id, note: `service ${held.id} (${held.itemtype}) already holds the name ${remoteid}; it was not ordered again` };
    }
  }
  const id = "service" in call ? await ctx.client.orderService(call.service) : await ctx.client.orderLicense(call.license);
  ctx.known.set(id, call.itemtype);
  return { id, note: `ordered as service ${id}: ${await settled(ctx, call.itemtype, id, "setting up")}` };
}

/**
 * After an order (or a renewal, or an edit that reconfigures) BILLmanager shows the service as
 * ordered (1) or processing (5) until it is done: wait for that, bounded, telling `progress` on
 * each read, and say how it ended, so the report tells "active" from "failed" from "still
 * processing" (the next plan then proposes nothing for it until it settles). Reading cannot
 * charge anything, and a failed read ends the wait: the op itself is done.
 */
async function settled(ctx: ExecuteContext, itemtype: ItemType, id: string, doing: string): Promise<string> {
  const started = Date.now();
  const deadline = started + (ctx.settleWaitMs ?? 0);
  let row: ServiceRow | undefined;
  for (let read = 0; ; read++) {
    try {
      row = (await ctx.client.services(itemtype)).find((r) => r.id === id);
    } catch {
      return "its status could not be read afterwards; the next plan reads it again";
    }
    const status = row?.itemStatus ?? null;
    if (status !== 1 && status !== 5) return outcome(status, row?.statusMsg ?? null);
    if (Date.now() >= deadline || ctx.signal?.aborted === true) break;
    const seconds = Math.round((Date.now() - started) / 1000);
    ctx.progress?.(`BILLmanager is still ${doing} service ${id}: ${pending(status)}, ${seconds} s so far (waiting at most ${Math.round((ctx.settleWaitMs ?? 0) / 1000)} s)`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** read, 5_000, Math.max(0, deadline - Date.now()))));
  }
  return `BILLmanager is still ${pending(row?.itemStatus ?? null)}; the next plan waits for it to settle`;
}

function pending(status: number | null): string {
  return status === 1 ? "registering the order (item_status 1)" : "processing it (item_status 5)";
}

function outcome(status: number | null, message: string | null): string {
  const said = message === null || message.trim() === "" ? "" : ` (BILLmanager says: ${message.trim()})`;
  switch (status) {
    case 2:
      return "active";
    case 3:
      return `suspended${said}`;
    case 4:
      return `failed: BILLmanager deleted the service while setting it up${said}`;
    default:
      return `failed: the service is no longer listed${said}`;
  }
}

async function update(ctx: ExecuteContext, op: Op): Promise<ExecuteResult> {
  const call = editCall(op);
  const row = await locate(ctx, op);
  const note = call.notes.length === 0 ? {} : { note: call.notes.join("; ") };
  if (call.empty) return { id: row.id, ...note };
  await ctx.client.edit(row.itemtype, row.id, call.changes);
  return { id: row.id, ...note };
}

async function renew(ctx: ExecuteContext, op: Op): Promise<ExecuteResult> {
  const target = renewTarget(op);
  const row = await locate(ctx, op);
  // Already paid far enough (BILLmanager's auto-renewal, or this renewal sent before with its
  // answer lost): charging again would pay twice for the same promise.
  if (row.expiredate !== null && row.expiredate >= target) return { id: row.id, note: `already paid until ${row.expiredate}, at least ${target}; not renewed` };
  const months = monthsToRenew(row, target);
  // The preview charges nothing; it says what the commit will do, for the report, and whether it is enough.
  const preview = await ctx.client.prolongPreview(row.id, months);
  if (preview.newexpiredate < target) {
    throw new RenewalShort(
      `renewing service ${row.id} for ${months} months would take it from ${preview.expiredate} only to ${preview.newexpiredate}, short of ${target}; nothing was charged (a renewal that falls short would be bought again by every plan): lower renew_ahead_days or lengthen the period`,
    );
  }
  const result = await ctx.client.prolong(row.id, months);
  const reached = result.newexpiredate ?? preview.newexpiredate;
  const price = preview.price === null ? "" : ` for ${preview.price}`;
  const state = await settled(ctx, row.itemtype, row.id, "renewing");
  return { id: row.id, note: `renewed for ${months} months${price}: paid until ${preview.expiredate} → ${reached}; ${state}` };
}

async function remove(ctx: ExecuteContext, op: Op): Promise<ExecuteResult> {
  const requirement = op.flags.deletion;
  if (requirement === undefined) throw new DeletionRefusal("a deletion without siteform's requirement (suspended long enough, by siteform) is refused");
  // This reading is the check: BILLmanager itself deletes whatever it is asked to.
  const row = await locate(ctx, op);
  const history = await ctx.client.history(row.id);
  const refusal = deletionRefusal(row, history, requirement, ctx.apiUser, ctx.now());
  if (refusal !== null) throw new DeletionRefusal(refusal);
  await ctx.client.delete(row.itemtype, row.id);
  return { id: null };
}

/** The item types to look in: the one an earlier read saw the service in first, then the rest of the kind's. */
function candidates(ctx: ExecuteContext, kind: string, id: string | null): ItemType[] {
  const all = itemtypesOf(kind);
  const seen = id === null ? undefined : ctx.known.get(id);
  return seen === undefined || !all.includes(seen) ? [...all] : [seen, ...all.filter((t) => t !== seen)];
}

/** The row of a service among rows: by id, else the live one holding the name as its remoteid. */
export function findRow(rows: readonly ServiceRow[], id: string | null, name: string): ServiceRow | undefined {
  if (id !== null) return rows.find((r) => r.id === id);
  const named = rows.filter((r) => remoteName(r) === name);
  return named.find((r) => r.itemStatus !== 4) ?? named[0];
}

/** The op's service as it is now: by its id, else by the remoteid it was ordered with. */
export async function locate(ctx: ExecuteContext, op: Op): Promise<ServiceRow> {
  for (const itemtype of candidates(ctx, op.kind, op.target.id)) {
    const row = findRow(await ctx.client.services(itemtype), op.target.id, op.target.name);
    if (row !== undefined) {
      ctx.known.set(row.id, row.itemtype);
      return row;
    }
  }
  throw new ServiceMissing(op.target.id === null ? `no service has the remoteid ${op.target.name}` : `no service has the id ${op.target.id} (it was ${op.target.name} when planned)`);
}
