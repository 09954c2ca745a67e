/**
 * The working copy of one mutating call. Sites are copied on first write, so a call that
 * faults half-way (or runs with `dry-run`) leaves the state exactly as it was: the caller
 * commits only on success. Copying per site, not the whole state, and keeping the name
 * index up to date on commit, keep calls cheap on servers with thousands of sites.
 */
import type { EmulatorState, SiteRecord } from "../api.js";
import type { Plans } from "./plans.js";
import type { NameIndex } from "./uniqueness.js";

export class Draft {
  sites: SiteRecord[];
  nextSiteId: number;
  readonly plans: Plans;
  /** Each site this call touched, with its record before the call (null: added by it). */
  private readonly originals = new Map<number, SiteRecord | null>();

  constructor(
    private readonly state: EmulatorState,
    private readonly index: NameIndex,
  ) {
    this.sites = [...state.sites];
    this.nextSiteId = state.nextSiteId;
    this.plans = state.plans;
  }

  /** This call's private copy of the site, safe to change. */
  edit(site: SiteRecord): SiteRecord {
    const position = this.sites.findIndex((s) => s.id === site.id);
    const current = this.sites[position];
    if (current === undefined) throw new Error(`site${site.id} is not in the draft`);
    if (this.originals.has(site.id)) return current;
    const copy = structuredClone(current);
    this.sites[position] = copy;
    this.originals.set(site.id, current);
    return copy;
  }

  add(site: SiteRecord): void {
    this.sites.push(site);
    this.originals.set(site.id, null);
  }

  remove(id: number): void {
    const current = this.sites.find((s) => s.id === id);
    if (current !== undefined && !this.originals.has(id)) this.originals.set(id, current);
    this.sites = this.sites.filter((s) => s.id !== id);
  }

  /** Faults when a site this call added or changed takes a name another site holds. */
  assertUnique(): void {
    const changed = this.sites.filter((site) => this.originals.has(site.id));
    this.index.assertUnique(changed, new Set(this.originals.keys()));
  }

  commit(): void {
    const byId = new Map(this.sites.filter((s) => this.originals.has(s.id)).map((s) => [s.id, s]));
    for (const [id, original] of this.originals) {
      if (original !== null) this.index.remove(original);
      const now = byId.get(id);
      if (now !== undefined) this.index.add(now);
    }
    this.state.sites = this.sites;
    this.state.nextSiteId = this.nextSiteId;
  }
}
