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
import type { Catalogue } from "../kinds/catalogue.js";
import type { Op } from "../model/op.js";
import type { ObservedResource } from "../model/resource.js";
import type { Provider } from "../providers/provider.js";
import { existingProblem } from "./preconditions.js";
import { readBackDelay } from "./readback.js";
import type { ResourceReads } from "./resource-reads.js";
import { withRetry, type RetryClock, type RetryPolicy } from "./retry.js";

export type PreflightVerdict = { kind: "clear" } | { kind: "conflict"; message: string } | { kind: "unreadable"; message: string };

/**
 * Per op, the precondition keys that other ops of the same plan change on the same site: they
 * are expected to differ from the plan's reading by the time this op runs (a rename before an
 * activation on one site), so checking them would report this run's own work as a conflict.
 */
export function sameTargetChanges(ops: readonly Op[]): Map<string, ReadonlySet<string>> {
  const bySite = new Map<string, Op[]>();
  for (const op of ops) {
    const site = `${op.server}\0${op.kind}\0${op.target.id ?? `new:${op.target.name.toLowerCase()}`}`;
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
        for (const change of other.changes) keys.add(change.field);
        if (other.action === "suspend" || other.action === "activate") keys.add("state");
      }
      out.set(op.id, keys);
    }
  }
  return out;
}

export async function preflight(
  op: Op,
  provider: Provider,
  context: { ignore: ReadonlySet<string>; retry: RetryPolicy; clock: RetryClock & { sleep: (ms: number) => Promise<void> }; reads: ResourceReads; catalogue: Catalogue },
): Promise<PreflightVerdict> {
  // A create is checked by the server (above).
  if (op.action === "create") return { kind: "clear" };
  const kind = context.catalogue.kind(op.kind);
  const settles = Object.values(kind.declaration.states).includes("transitional");
  // An op on a resource this run creates (a create's follow-up suspend) has no reading to
  // compare with; it only waits, on a kind whose panel sets resources up in the background.
  if (op.target.id === null && !settles) return { kind: "clear" };
  // The fields it compares: the `group.field` preconditions, and the fields of its changes.
  const compared = [...Object.keys(op.preconditions.fields).filter((key) => key.includes(".")), ...op.changes.filter((c) => c.secret !== true).map((c) => c.field)];
  const fields = op.target.id === null ? [] : [...new Set(compared)].filter((field) => !context.ignore.has(field)).sort();
  const request = { kind: op.kind, id: op.target.id, name: op.target.name, fields };
  const read = (): Promise<ObservedResource | null> => withRetry(() => context.reads.read(provider, request), context.retry, context.clock);
  let found: ObservedResource | null;
  try {
    found = await read();
    // Being set up by the panel: wait for it (as long as one call may take), never act on it mid-way.
    const deadline = context.clock.now() + provider.callTimeoutMs;
    for (let reads = 1; found?.state === "transitional" && context.clock.now() < deadline; reads++) {
      await context.clock.sleep(Math.min(readBackDelay(context.retry, reads), Math.max(1, deadline - context.clock.now())));
      found = await read();
    }
  } catch (err) {
    return { kind: "unreadable", message: `not sent: the target could not be re-read before changing it (${err instanceof Error ? err.message : String(err)})` };
  }
  if (found?.state === "transitional") {
    return { kind: "conflict", message: `not sent: the ${kind.noun} is still being set up by the panel (waited ${Math.round(provider.callTimeoutMs / 1000)} s); plan again once it settles` };
  }
  if (op.target.id === null) return { kind: "clear" };
  const problem = existingProblem(op, found, context.catalogue, { ignore: context.ignore });
  if (problem === null) return { kind: "clear" };
  return { kind: "conflict", message: `not sent: the ${kind.noun} changed since the plan (${problem}); siteform does not overwrite it: plan again` };
}
