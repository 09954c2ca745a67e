/**
 * The BILLmanager importer as `siteform import` calls it through the provider module: reads
 * every service and licence on the account with every field an entry can set, and hands them
 * to `importServices`. Reads only; writes nothing. On an interrupt it throws the signal's
 * reason (a read cut off by it is not reported as the server's failure).
 */
import type { Inventory } from "../../../model/inventory.js";
import type { ServerConfig } from "../../../model/server-config.js";
import type { ImportOptions, ImportOutcome, Importer } from "../../module.js";
import type { Provider } from "../../provider.js";
import { LICENSE_KIND, SERVICE_KIND } from "../kinds.js";
import { ADDONS_GROUP } from "../observe.js";
import { importServices } from "./import-services.js";
import { LICENSE_ENTRY_FIELDS, SERVICE_ENTRY_FIELDS } from "./service-view.js";

/**
 * The highest add-on id asked for. The provider reports only the add-ons a read names, and a
 * read cannot name "every add-on"; the ids are BILLmanager's price list ids. Reading them costs
 * no extra call (the edit form that holds them is read for the datacenter anyway). An add-on
 * with a higher id is not written, and so stays unmanaged: the plan shows no change for it.
 */
export const MAX_ADDON_ID = 9999;

/** Every field an entry can write or names the service by: the entry's own fields, the name, and the add-ons. */
export function importFields(): Record<string, string[]> {
  const addons = Array.from({ length: MAX_ADDON_ID }, (_, i) => `${ADDONS_GROUP}.addon_${i + 1}`);
  return {
    [SERVICE_KIND]: ["service.name", ...SERVICE_ENTRY_FIELDS.map(([, path]) => path), ...addons],
    [LICENSE_KIND]: ["license.name", ...LICENSE_ENTRY_FIELDS.map(([, path]) => path)],
  };
}

export const importBillmgr: Importer = async (inventory: Inventory, server: ServerConfig, provider: Provider, options: ImportOptions): Promise<ImportOutcome> => {
  const { signal } = options;
  signal?.throwIfAborted();
  const observed = await provider.collect({ fields: importFields() });
  // An interrupt closes the connection, so the collect fails: that is not the server's fault.
  signal?.throwIfAborted();
  if (!observed.ok) return { ok: false, error: observed.error };
  const result = importServices({
    inventory,
    server: server.name,
    observed: observed.resources,
    ...(options.select === undefined ? {} : { select: options.select }),
    date: options.date,
    exists: options.exists,
  });
  // One kind names the resources in the CLI's messages; a licence is a service BILLmanager sells too.
  return { ok: true, kind: SERVICE_KIND, files: result.files, skipped: result.skipped };
};
