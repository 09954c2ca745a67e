/**
 * Who may take a name when. A kind's unique keys (an ApisCP site's domains, aliases and admin
 * users) are unique on a server, so a rename or create that takes a name must wait for the op
 * that frees it (a rename away or a deletion), and a name nobody frees is an error before
 * anything runs, naming both resources. Keys the server does not keep unique (ApisCP's
 * invoices) are ordered the same way, but one another resource keeps is not refused here:
 * that is the server's call.
 */
import type { PlanDiagnostic } from "../model/plan.js";
import { currentNames, finalNames, isUniqueName, opOf, type ResourcePlan } from "./resource-plan.js";

export interface NameEdges {
  /** [op id, the op id it waits for]. */
  edges: Array<[string, string]>;
  problems: PlanDiagnostic[];
}

export function label(resource: ResourcePlan): string {
  const o = resource.observed;
  const d = resource.desired;
  if (d !== null) return `${d.name} (${d.source.file}:${d.source.line})`;
  return o === null ? resource.handle : `${o.id} (${o.name})`;
}

/** The resources of one server (names are per server). */
export function nameEdges(server: string, resources: readonly ResourcePlan[]): NameEdges {
  const holders = new Map<string, ResourcePlan>();
  for (const resource of resources) for (const name of currentNames(resource)) holders.set(`${resource.kind.id}\0${name}`, resource);
  const edges: Array<[string, string]> = [];
  const problems: PlanDiagnostic[] = [];
  for (const resource of resources) {
    const taker = opOf(resource, "create") ?? opOf(resource, "update");
    if (taker === undefined) continue;
    const had = currentNames(resource);
    for (const name of finalNames(resource)) {
      if (had.has(name)) continue;
      const holder = holders.get(`${resource.kind.id}\0${name}`);
      if (holder === undefined || holder === resource) continue;
      const freer = finalNames(holder).has(name) ? undefined : (opOf(holder, "delete") ?? opOf(holder, "update"));
      if (freer === undefined) {
        if (!isUniqueName(resource, name)) continue;
        const d = resource.desired;
        problems.push({
          severity: "error",
          code: "name-taken",
          server,
          message: `${label(resource)} needs the ${name}, which ${label(holder)} holds on ${server} and keeps`,
          hint: `free the name first (rename or cancel the other ${holder.kind.noun}), or choose another name`,
          ...(d === null ? {} : { file: d.source.file, line: d.source.line }),
        });
        continue;
      }
      edges.push([taker.id, freer.id]);
    }
  }
  return { edges, problems };
}
