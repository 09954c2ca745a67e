/**
 * Which servers the helper thread reads when a run is large: decoding a large server's answer
 * is most of a read's time, so the servers are shared between the two threads by how many
 * resources git puts on each, largest first, and each thread decodes its own. The helper opens
 * its own provider for each of its servers; what comes back is what the provider here would
 * have returned, already fingerprinted (the planner's hash of a reading, worked out on the
 * thread that holds it). With a test's own provider factory (it cannot cross to another
 * thread), or in a small run, every server is read here.
 */
import type { Inventory } from "../model/inventory.js";
import type { Provider } from "../providers/provider.js";
import { rememberFingerprint } from "../planner/fingerprint.js";
import { catalogueOf } from "../providers/registry.js";
import { helperWanted, onHelper } from "../threads/helper-thread.js";
import type { ObservedServer } from "../model/resource.js";
import type { ReadElsewhere, ReadThread } from "./observe.js";

/**
 * From this many resources in scope, a second thread decoding half of the answers pays for
 * itself. Measured with plan (helper for the reads only): 10,000 sites no faster, 30,000 sites
 * 4.0 s to 3.8 s, 100,000 clearly.
 */
export const READ_ASIDE_FROM = 20_000;

export function readAside(
  inventory: Inventory,
  providers: ReadonlyMap<string, Provider>,
  env: Readonly<Record<string, string | undefined>>,
  signal: AbortSignal | undefined,
): ReadElsewhere {
  const counts = new Map<string, number>([...providers.keys()].map((name) => [name, 0]));
  for (const resource of inventory.resources) {
    const count = counts.get(resource.server);
    if (count !== undefined) counts.set(resource.server, count + 1);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (providers.size < 2 || !helperWanted(total >= READ_ASIDE_FROM)) return () => null;
  const aside = new Set<string>();
  let here = 0;
  let there = 0;
  for (const [name, count] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    // Ties stay here: this thread also receives the helper's results, which costs it a little.
    if (there < here) {
      aside.add(name);
      there += count;
    } else {
      here += count;
    }
  }
  return (name, request) => {
    const server = inventory.servers.find((s) => s.name === name);
    const provider = providers.get(name);
    if (!aside.has(name) || server === undefined || provider === undefined) return null;
    let thread: ReadThread = "helper";
    const fallback = async (): Promise<{ observed: ObservedServer; fingerprint: null }> => {
      thread = "main";
      return { observed: await provider.collect(request), fingerprint: null };
    };
    return onHelper("collect", { server, env, request }, fallback, signal).then(({ observed, fingerprint }) => {
      // The helper fingerprints under the shipped providers' catalogue: kept only when the plan uses that one.
      if (fingerprint !== null && inventory.catalogue === catalogueOf()) rememberFingerprint(observed, inventory.catalogue, fingerprint);
      return { observed, thread };
    });
  };
}
