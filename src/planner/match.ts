/**
 * Which observed site each desired site is, on one server. Identity is tried in a fixed
 * order (id pin, admin user, domain, alias) so that a changed domain or admin user is found
 * by the other and becomes a rename, never a delete and a create. Anything ambiguous is an
 * error naming both sides: guessing here would edit the wrong customer's site.
 */
import type { DesiredSite } from "../model/desired-site.js";
import type { ObservedSite } from "../model/observed-site.js";
import type { PlanDiagnostic } from "../model/plan.js";

export type MatchedBy = "pin" | "admin user" | "domain" | "alias";

export interface SiteMatch {
  desired: DesiredSite;
  observed: ObservedSite;
  by: MatchedBy;
}

export interface ServerMatch {
  pairs: SiteMatch[];
  /** Desired sites the server does not have. */
  missing: DesiredSite[];
  /** Observed sites no desired site names, in id order. */
  unmanaged: ObservedSite[];
  problems: PlanDiagnostic[];
}

const lower = (name: string): string => name.toLowerCase();

function where(site: DesiredSite): string {
  return `${site.source.file}:${site.source.line}`;
}

function problem(site: DesiredSite, code: string, message: string, hint: string): PlanDiagnostic {
  return { severity: "error", code, server: site.server, message, hint, file: site.source.file, line: site.source.line };
}

/** Built once per step over the sites still free, so matching stays linear in the fleet's size. */
type Finder = (free: readonly ObservedSite[]) => (site: DesiredSite) => ObservedSite[];

function indexBy(free: readonly ObservedSite[], keys: (o: ObservedSite) => readonly string[]): Map<string, ObservedSite[]> {
  const index = new Map<string, ObservedSite[]>();
  for (const o of free) {
    for (const key of new Set(keys(o))) {
      const list = index.get(key);
      if (list === undefined) index.set(key, [o]);
      else list.push(o);
    }
  }
  return index;
}

const FINDERS: ReadonlyArray<[MatchedBy, Finder]> = [
  [
    "admin user",
    (free) => {
      const index = indexBy(free, (o) => (o.adminUser === null ? [] : [o.adminUser]));
      return (d) => index.get(d.adminUser) ?? [];
    },
  ],
  [
    "domain",
    (free) => {
      const index = indexBy(free, (o) => [lower(o.domain)]);
      return (d) => index.get(lower(d.domain)) ?? [];
    },
  ],
  [
    "alias",
    (free) => {
      const byAlias = indexBy(free, (o) => o.aliases.map(lower));
      const byDomain = indexBy(free, (o) => [lower(o.domain)]);
      const position = new Map(free.map((o, i) => [o, i]));
      return (d) => {
        const found = new Set(byAlias.get(lower(d.domain)) ?? []);
        for (const alias of d.aliases ?? []) for (const o of byDomain.get(lower(alias)) ?? []) found.add(o);
        return [...found].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
      };
    },
  ],
];

export function matchServer(desired: readonly DesiredSite[], observed: readonly ObservedSite[]): ServerMatch {
  const pairs: SiteMatch[] = [];
  const problems: PlanDiagnostic[] = [];
  const claimed = new Map<string, SiteMatch>();
  let waiting = [...desired];

  const take = (d: DesiredSite, o: ObservedSite, by: MatchedBy): void => {
    const match = { desired: d, observed: o, by };
    pairs.push(match);
    claimed.set(o.id, match);
  };

  // Pins first: an id is the one identity a rename of both names cannot change.
  const unpinned: DesiredSite[] = [];
  const gone: DesiredSite[] = [];
  for (const d of waiting) {
    if (d.pinnedId === null) {
      unpinned.push(d);
      continue;
    }
    const o = observed.find((s) => s.id === d.pinnedId); // pins are rare
    if (o === undefined && d.state === "cancelled") {
      // A cancelled site's pin outlives the site: once deleted, it is simply missing (and stays so).
      gone.push(d);
      continue;
    }
    if (o === undefined) {
      problems.push(
        problem(
          d,
          "pinned-site-missing",
          `${d.domain} (${where(d)}) is pinned to ${d.pinnedId}, which ${d.server} does not have`,
          `if the site was deleted on purpose, remove \`id\` so it is created anew; otherwise check the server`,
        ),
      );
      continue;
    }
    take(d, o, "pin");
  }
  waiting = unpinned;

  const byId = new Map(observed.map((o) => [o.id, o]));
  for (const [by, finder] of FINDERS) {
    const free = observed.filter((o) => !claimed.has(o.id));
    const find = finder(free);
    const wanted = new Map<string, DesiredSite[]>();
    const next: DesiredSite[] = [];
    for (const d of waiting) {
      const found = find(d);
      if (found.length > 1) {
        problems.push(
          problem(
            d,
            "ambiguous-match",
            `${d.domain} (${where(d)}) matches ${found.length} sites on ${d.server} by ${by}: ${found.map((o) => `${o.id} (${o.domain})`).join(", ")}`,
            "pin the right one with `id: siteN` in the site's entry",
          ),
        );
        continue;
      }
      const o = found[0];
      if (o === undefined) {
        next.push(d);
        continue;
      }
      wanted.set(o.id, [...(wanted.get(o.id) ?? []), d]);
    }
    for (const [id, claimants] of wanted) {
      const o = byId.get(id) as ObservedSite;
      const first = claimants[0] as DesiredSite;
      if (claimants.length > 1) {
        problems.push(
          problem(
            first,
            "ambiguous-match",
            `${claimants.map((d) => `${d.domain} (${where(d)})`).join(" and ")} all match ${o.id} (${o.domain}) on ${o.server} by ${by}`,
            "make the names distinct, or pin the right site with `id: siteN`",
          ),
        );
        continue;
      }
      take(first, o, by);
    }
    waiting = next;
  }

  return { pairs, missing: [...gone, ...waiting], unmanaged: observed.filter((o) => !claimed.has(o.id)), problems };
}
