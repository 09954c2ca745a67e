/**
 * Carries out one Op on an ApisCP server: the mutating call, then the one look that makes the
 * result useful (the id a create got; whether a filtered delete was kept by the server's own
 * since/match check). Errors of the mutating call propagate as the client's typed errors for
 * the provider to word; once the mutation has succeeded, a failed follow-up look becomes a
 * note, never an error, so the applier does not repeat work that was done.
 */
import type { Op } from "../../model/op.js";
import type { ExecuteResult } from "../provider.js";
import type { ApiscpClient, DeleteSiteFlags, EditSiteFlags } from "./client.js";
import { isNoSuchSite } from "./provider-error.js";
import { OpShapeError, addSiteCall, deleteFilterText, deleteFilters, siteArgument, siteOpts } from "./op-calls.js";

export async function executeOp(client: ApiscpClient, op: Op): Promise<ExecuteResult> {
  switch (op.action) {
    case "create":
      return create(client, op);
    case "update":
      return update(client, op);
    case "suspend":
      await client.deactivateSite(siteArgument(op), op.flags.reason === undefined ? undefined : { reason: op.flags.reason });
      return { id: op.target.id };
    case "activate":
      await client.activateSite(siteArgument(op));
      return { id: op.target.id };
    case "delete":
      return remove(client, op);
    default:
      throw new OpShapeError(`${op.id}: ApisCP sites have no action ${JSON.stringify(op.action)}`);
  }
}

async function create(client: ApiscpClient, op: Op): Promise<ExecuteResult> {
  const call = addSiteCall(op);
  await client.addSite(call.domain, call.adminUser, call.opts, call.plan === undefined ? undefined : { plan: call.plan });
  // admin_add_site does not say which id it gave the site.
  try {
    const id = await client.getSiteIdFromDomain(call.domain);
    if (id !== null) return { id: `site${id}` };
    return { id: null, note: `the server created ${call.domain} but did not find its id when asked` };
  } catch (err) {
    return { id: null, note: `the site was created; looking up its id failed: ${errorText(err)}` };
  }
}

async function update(client: ApiscpClient, op: Op): Promise<ExecuteResult> {
  const flags: EditSiteFlags = {};
  if (op.flags.template !== undefined) flags.plan = op.flags.template;
  if (op.flags.reset === true) flags.reset = true;
  await client.editSite(siteArgument(op), siteOpts(op), Object.keys(flags).length === 0 ? undefined : flags);
  return { id: op.target.id };
}

async function remove(client: ApiscpClient, op: Op): Promise<ExecuteResult> {
  const flags: DeleteSiteFlags = deleteFilters(op);
  const filtered = Object.keys(flags).length > 0;
  const site = siteArgument(op);
  await client.deleteSite(site, filtered ? flags : undefined);
  if (!filtered) return { id: null };
  // ApisCP answers true even when its since/match check kept the site: look.
  try {
    const kept = await stillThere(client, site, op.target.id);
    if (!kept) return { id: null };
    return {
      id: op.target.id,
      note: `the server kept the site: it was not suspended by siteform, or not long enough (${deleteFilterText(op)})`,
    };
  } catch (err) {
    return { id: null, note: `the server accepted the deletion; checking that the site is gone failed: ${errorText(err)}` };
  }
}

async function stillThere(client: ApiscpClient, site: string, siteId: string | null): Promise<boolean> {
  try {
    const rows = await client.collect([], null, [site]);
    return siteId === null ? Object.keys(rows).length > 0 : Object.hasOwn(rows, siteId);
  } catch (err) {
    if (isNoSuchSite(err)) return false;
    throw err;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
