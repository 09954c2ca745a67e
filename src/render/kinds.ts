/**
 * How the renderers call resources of a kind (a plan file may come from a siteform with other
 * providers, and is still shown, so an unknown kind is a `resource`). The catalogue is passed
 * in; nothing here reads a schema.
 */
import type { Catalogue } from "../kinds/catalogue.js";
import type { Plan } from "../model/index.js";

/** `site`; `resource` for a kind the catalogue does not know. */
export function nounOf(catalogue: Catalogue, kind: string): string {
  return catalogue.find(kind)?.noun ?? "resource";
}

/** `sites`, `licences`, `addresses`. */
export function pluralNoun(noun: string): string {
  return /(?:s|x|z|ch|sh)$/.test(noun) ? `${noun}es` : `${noun}s`;
}

/**
 * One plural for resources of these kinds: the kinds' noun when they share one (`sites`),
 * otherwise `resources`; `fallback` (plural) when there are no kinds at all.
 */
export function commonNoun(catalogue: Catalogue, kinds: Iterable<string>, fallback = "resources"): string {
  const list = [...kinds];
  return list.length === 0 ? fallback : pluralNoun(sharedNoun(catalogue, list));
}

/** The kinds' noun when they share one, otherwise `resource`. */
export function sharedNoun(catalogue: Catalogue, kinds: Iterable<string>): string {
  const nouns = new Set([...kinds].map((k) => nounOf(catalogue, k)));
  const [only] = nouns;
  return nouns.size === 1 && only !== undefined ? only : "resource";
}

/** `1 site`, `3 sites`, `2 resources` (kinds with different nouns). */
export function countOf(catalogue: Catalogue, kinds: Iterable<string>, count: number): string {
  const noun = sharedNoun(catalogue, kinds);
  return `${count} ${count === 1 ? noun : pluralNoun(noun)}`;
}

/** Every kind a plan concerns: its ops', its unmanaged resources', and its servers' providers'. */
export function planKinds(plan: Plan, catalogue: Catalogue): string[] {
  const kinds = new Set<string>();
  for (const server of plan.servers) {
    for (const k of catalogue.kindsOf(server.provider)) kinds.add(k.id);
    for (const u of server.unmanaged) kinds.add(u.kind);
  }
  for (const op of plan.ops) kinds.add(op.kind);
  return [...kinds];
}
