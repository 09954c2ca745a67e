/**
 * Re-reads the servers a saved plan touches, with the same fields the plan collected, so the
 * stale check compares like with like. Reads only; one collect per server, in parallel but
 * bounded like the planner's own reads.
 */
import pLimit from "p-limit";
import type { ObservedServer } from "../model/observed-site.js";
import type { Plan } from "../model/plan.js";
import type { Provider } from "../providers/provider.js";

export async function recollect(plan: Plan, providers: ReadonlyMap<string, Provider>, parallelism = 8): Promise<ObservedServer[]> {
  const limit = pLimit(parallelism);
  const names = [...new Set(plan.ops.map((op) => op.server))].sort();
  return Promise.all(
    names.map((name) =>
      limit(async (): Promise<ObservedServer> => {
        const provider = providers.get(name);
        if (provider === undefined) return { server: name, ok: false, error: `no provider for server '${name}' (is it still in siteform.yaml?)` };
        const fields = plan.servers.find((s) => s.name === name)?.fields ?? [];
        try {
          return await provider.collect({ fields });
        } catch (err) {
          // collect() reports failures as data; a throw is a provider bug, reported for this server only.
          return { server: name, ok: false, error: err instanceof Error ? err.message : String(err) };
        }
      }),
    ),
  );
}
