/**
 * `--site` for a BILLmanager server: which services and licences a selector names (the service
 * id, its remoteid or the provider's name for it, or its domain without regard to case), and
 * what to report for a selector that names none or names one already in git. Pure.
 */
import type { ImportSkip } from "../../module.js";
import type { NamedServices } from "./named-services.js";
import type { ServiceView } from "./service-view.js";

export function selects(service: ServiceView, selector: string): boolean {
  return (
    service.id === selector ||
    service.remoteid === selector ||
    service.label === selector ||
    (service.domain !== null && service.domain === selector.toLowerCase())
  );
}

/** The skips a selection adds by itself: selectors matching nothing, and selected services already in the inventory. */
export function selectionSkips(select: readonly string[], services: ReadonlyArray<{ view: ServiceView; named: NamedServices }>): ImportSkip[] {
  const out: ImportSkip[] = [];
  const reported = new Set<string>();
  for (const selector of select) {
    const found = services.filter((s) => selects(s.view, selector));
    if (found.length === 0) out.push({ id: null, name: selector, reason: "no service or licence on this server has this id, remoteid or domain" });
    for (const { view, named } of found) {
      const entry = named.find(view.id);
      if (entry === null || reported.has(view.id)) continue;
      reported.add(view.id);
      out.push({ id: view.id, name: view.label, reason: `it is already in the inventory (${entry.source.file})` });
    }
  }
  return out;
}
