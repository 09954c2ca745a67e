/**
 * Who may take a name when. Domains, aliases and admin users are unique on a server, so a
 * rename or create that takes a name must wait for the op that frees it (a rename away or a
 * deletion), and a name nobody frees is an error before anything runs, naming both sites.
 * Invoices are ordered the same way (a group whose parent changes hands its invoice from the
 * old parent to the new one, and a server that keeps invoices unique refuses the new parent
 * first), but an invoice another site keeps is not refused here: ApisCP does not document
 * invoices as unique, so that is the server's call.
 */
import type { PlanDiagnostic } from "../model/plan.js";
import { currentNames, finalNames, isInvoiceName, opOf, type SitePlan } from "./site-plan.js";

export interface NameEdges {
  /** [op id, the op id it waits for]. */
  edges: Array<[string, string]>;
  problems: PlanDiagnostic[];
}

function label(site: SitePlan): string {
  const o = site.observed;
  const d = site.desired;
  if (d !== null) return `${d.domain} (${d.source.file}:${d.source.line})`;
  return o === null ? site.handle : `${o.id} (${o.domain})`;
}

export function nameEdges(server: string, sites: readonly SitePlan[]): NameEdges {
  const holders = new Map<string, SitePlan>();
  for (const site of sites) for (const name of currentNames(site.observed)) holders.set(name, site);
  const edges: Array<[string, string]> = [];
  const problems: PlanDiagnostic[] = [];
  for (const site of sites) {
    const taker = opOf(site, "create") ?? opOf(site, "update");
    if (taker === undefined) continue;
    const had = currentNames(site.observed);
    for (const name of finalNames(site)) {
      if (had.has(name)) continue;
      const holder = holders.get(name);
      if (holder === undefined || holder === site) continue;
      const freer = finalNames(holder).has(name) ? undefined : (opOf(holder, "delete") ?? opOf(holder, "update"));
      if (freer === undefined) {
        if (isInvoiceName(name)) continue;
        const d = site.desired;
        problems.push({
          severity: "error",
          code: "name-taken",
          server,
          message: `${label(site)} needs the ${name}, which ${label(holder)} holds on ${server} and keeps`,
          hint: "free the name first (rename or cancel the other site), or choose another name",
          ...(d === null ? {} : { file: d.source.file, line: d.source.line }),
        });
        continue;
      }
      edges.push([taker.id, freer.id]);
    }
  }
  return { edges, problems };
}
