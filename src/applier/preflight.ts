/**
 * The re-read right before an op is sent: its own target is read and its preconditions checked,
 * so a site someone changed since the plan (support in the panel, another tool) is reported as
 * a conflict for that op instead of being overwritten. The plan-wide check before the run
 * cannot catch a change made while the run is under way; this one narrows that window to one
 * read. Reading is safe to retry; sending is never done here.
 *
 * A create is not re-read: its precondition (its domain and admin user are free) is checked by
 * the server itself, atomically, when it creates, which a read just before could only repeat
 * less reliably; a name taken since the plan ends the create as refused by the server.
 */
import type { Op } from "../model/op.js";
import { preconditionKey } from "../planner/fields.js";
import type { Provider } from "../providers/provider.js";
import { existingSiteProblem } from "./preconditions.js";
import { withRetry, type RetryClock, type RetryPolicy } from "./retry.js";
import type { SiteReads } from "./site-reads.js";

export type PreflightVerdict = { kind: "clear" } | { kind: "conflict"; message: string } | { kind: "unreadable"; message: string };

/**
 * Per op, the precondition keys that other ops of the same plan change on the same site: they
 * are expected to differ from the plan's reading by the time this op runs (a rename before an
 * activation on one site), so checking them would report this run's own work as a conflict.
 */
export function sameSiteChanges(ops: readonly Op[]): Map<string, ReadonlySet<string>> {
  const bySite = new Map<string, Op[]>();
  for (const op of ops) {
    const site = `${op.server}\0${op.target.siteId ?? `new:${op.target.domain.toLowerCase()}`}`;
    const list = bySite.get(site);
    if (list === undefined) bySite.set(site, [op]);
    else list.push(op);
  }
  const out = new Map<string, ReadonlySet<string>>();
  for (const group of bySite.values()) {
    for (const op of group) {
      const keys = new Set<string>();
      for (const other of group) {
        if (other === op) continue;
        for (const change of other.changes) keys.add(preconditionKey(change.field));
        if (other.action === "suspend" || other.action === "activate") keys.add("active");
      }
      out.set(op.id, keys);
    }
  }
  return out;
}

export async function preflight(
  op: Op,
  provider: Provider,
  context: { ignore: ReadonlySet<string>; retry: RetryPolicy; clock: RetryClock & { sleep: (ms: number) => Promise<void> }; reads: SiteReads },
): Promise<PreflightVerdict> {
  // A create is checked by the server (above); an op on a site this run creates (a create's
  // follow-up suspend) has no reading to compare with.
  if (op.action === "create" || op.target.siteId === null) return { kind: "clear" };
  // The fields it compares: the `service.param` preconditions, and the fields of its changes
  // (an identity precondition such as `adminUser` is read from its change's field).
  const compared = [...Object.keys(op.preconditions.fields).filter((key) => key.includes(".")), ...op.changes.filter((c) => c.secret !== true).map((c) => c.field)];
  const fields = [...new Set(compared)].filter((field) => !context.ignore.has(field)).sort();
  const request = { siteId: op.target.siteId, domain: op.target.domain, fields };
  let site;
  try {
    site = await withRetry(() => context.reads.read(provider, request), context.retry, context.clock);
  } catch (err) {
    return { kind: "unreadable", message: `not sent: the site could not be re-read before changing it (${err instanceof Error ? err.message : String(err)})` };
  }
  const problem = existingSiteProblem(op, site, { ignore: context.ignore });
  if (problem === null) return { kind: "clear" };
  return { kind: "conflict", message: `not sent: the site changed since the plan (${problem}); siteform does not overwrite it: plan again` };
}
