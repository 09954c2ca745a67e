/**
 * The name an imported service or licence gets: its remoteid when it has one that can be a
 * name (siteform ordered it, or someone gave it one), else one made from its domain or licence
 * name (or its id) that no entry and no other service of the kind holds, and whether the entry
 * must pin the service's id because the kind's match steps could not find it otherwise (a
 * licence is matched by name only; a service also by its domain, when no other has it).
 * Pure; one chooser per kind and import.
 */
import { fitsName } from "./schema-check.js";
import type { ServiceView } from "./service-view.js";
import type { NamedServices } from "./named-services.js";

/** The name pattern allows 63 characters; a derived name leaves room for a `-N` suffix. */
const DERIVED_MAX = 56;

export type NameChoice =
  | { name: string; adopted: false }
  /** A name BILLmanager does not know the service by; `pin` says whether the entry pins its id. */
  | { name: string; adopted: true; pin: boolean; why: string }
  | { reason: string };

export function derivedBase(view: ServiceView): string {
  const from = view.domain ?? view.licname ?? "";
  const cleaned = from
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, "-")
    .slice(0, DERIVED_MAX)
    .replace(/^-+|-+$/gu, "");
  return cleaned === "" ? `${view.kind === "billmgr/license" ? "license" : "service"}-${view.id}` : cleaned;
}

export class NameChooser {
  private readonly taken = new Set<string>();
  private readonly domains = new Map<string, number>();

  constructor(
    private readonly named: NamedServices,
    /** Every service of the kind on the server (not gone), imported or not. */
    all: readonly ServiceView[],
  ) {
    for (const view of all) {
      if (view.remoteid !== null) this.taken.add(view.remoteid);
      if (view.domain !== null) this.domains.set(view.domain, (this.domains.get(view.domain) ?? 0) + 1);
    }
  }

  choose(view: ServiceView): NameChoice {
    const remoteid = view.remoteid;
    if (remoteid !== null && fitsName(remoteid)) {
      const holder = this.named.holder(remoteid);
      if (holder !== null) {
        return {
          reason: `its remoteid ${JSON.stringify(remoteid)} is already the name of the entry in ${holder.source.file}, which the plan does not match to this service (\`siteform plan\` shows why): fix that file, then import again`,
        };
      }
      return { name: remoteid, adopted: false };
    }
    const base = derivedBase(view);
    let name = base;
    for (let n = 2; this.taken.has(name) || this.named.holder(name) !== null; n += 1) name = `${base}-${n}`;
    this.taken.add(name);
    const byDomain = view.domain !== null && this.domains.get(view.domain) === 1;
    const why = remoteid === null ? "it has no remoteid" : `its remoteid ${JSON.stringify(remoteid)} cannot be a siteform name`;
    return { name, adopted: true, pin: !byDomain, why };
  }
}
