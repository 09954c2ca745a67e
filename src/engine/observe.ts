/**
 * Reads every server in scope, in parallel but bounded, one collect per server. A server that
 * fails is reported by name in its ObservedServer; it never stops the others.
 */
import pLimit from "p-limit";
import type { ObservedServer } from "../model/resource.js";
import type { Provider } from "../providers/provider.js";

/** Servers read at once: enough to hide latency, few enough not to look like an attack. */
export const COLLECT_PARALLELISM = 8;

export async function observeServers(
  providers: ReadonlyMap<string, Provider>,
  fieldsOf: (server: string) => Readonly<Record<string, readonly string[]>>,
  parallelism = COLLECT_PARALLELISM,
): Promise<ObservedServer[]> {
  const limit = pLimit(parallelism);
  const names = [...providers.keys()].sort();
  return Promise.all(
    names.map((name) =>
      limit(async (): Promise<ObservedServer> => {
        const provider = providers.get(name);
        if (provider === undefined) return { server: name, ok: false, error: "no provider" };
        try {
          return await provider.collect({ fields: fieldsOf(name) });
        } catch (err) {
          // collect() reports failures as data; a throw here is a bug, but one server's bug must not hide the others' plans.
          return { server: name, ok: false, error: err instanceof Error ? err.message : String(err) };
        }
      }),
    ),
  );
}
