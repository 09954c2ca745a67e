/**
 * The ApisCP importer as `siteform import` calls it through the provider module: reads every
 * site on the server with every field the schema can write, reads the defaults of each server
 * plan the sites are on, and hands both to `importSites`. Reads only; writes nothing. On an
 * interrupt it throws the signal's reason between reads (a read cut off by it is not reported
 * as the server's failure).
 */
import type { Inventory } from "../../../model/inventory.js";
import type { ServerConfig } from "../../../model/server-config.js";
import type { ImportOptions, ImportOutcome, Importer } from "../../module.js";
import type { Provider } from "../../provider.js";
import { SITE_KIND } from "../kinds.js";
import { importSites } from "./import-sites.js";
import type { ServiceMap } from "./overrides.js";
import { SITE_MODEL, siteViews } from "./site-view.js";

/** Every non-secret `service.param` of the schema: the importer writes whatever differs from the plan. */
export function importFields(): string[] {
  return SITE_MODEL.knownFields().filter((field) => field.includes(".") && !SITE_MODEL.isSecret(field));
}

export const importApiscp: Importer = async (
  inventory: Inventory,
  server: ServerConfig,
  provider: Provider,
  options: ImportOptions,
): Promise<ImportOutcome> => {
  const { signal } = options;
  signal?.throwIfAborted();
  const observed = await provider.collect({ fields: { [SITE_KIND]: importFields() } });
  // An interrupt closes the connection, so the collect fails: that is not the server's fault.
  signal?.throwIfAborted();
  if (!observed.ok) return { ok: false, error: observed.error };
  const sites = siteViews(observed.resources, server.name);
  const planDefaults = await readPlanDefaults(provider, sites.map((s) => s.plan), options);
  signal?.throwIfAborted();
  const result = importSites({
    inventory,
    server: server.name,
    observed: observed.resources,
    planDefaults,
    ...(options.select === undefined ? {} : { select: options.select }),
    date: options.date,
    exists: options.exists,
  });
  return { ok: true, kind: SITE_KIND, files: result.files, skipped: result.skipped };
};

/** Each server plan's defaults; one that cannot be read is left out (the importer then writes every value, and says so). */
async function readPlanDefaults(provider: Provider, plans: ReadonlyArray<string | null>, options: ImportOptions): Promise<Record<string, ServiceMap>> {
  const out: Record<string, ServiceMap> = {};
  for (const plan of [...new Set(plans)].sort()) {
    if (plan === null) continue;
    options.signal?.throwIfAborted();
    try {
      out[plan] = await provider.templateDefaults(SITE_KIND, plan);
    } catch (err) {
      // Cut off by an interrupt: stop quietly instead of warning about a server that is fine.
      options.signal?.throwIfAborted();
      options.warn(`${err instanceof Error ? err.message : String(err)}; sites on plan ${plan} get every value written`);
    }
  }
  return out;
}
