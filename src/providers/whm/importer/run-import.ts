/**
 * The WHM importer as `siteform import` calls it through the provider module: reads every
 * account on the server with every field an account file can set, reads the defaults of the
 * packages the accounts to import are on, and hands both to `importAccounts`. Reads only;
 * writes nothing. On an interrupt it throws the signal's reason between reads (a read cut off
 * by it is not reported as the server's failure).
 */
import type { Inventory } from "../../../model/inventory.js";
import type { ServerConfig } from "../../../model/server-config.js";
import type { ImportOptions, ImportOutcome, Importer } from "../../module.js";
import type { Provider } from "../../provider.js";
import { ACCOUNT_KIND } from "../kinds.js";
import { ACCOUNT_MODEL } from "./account-view.js";
import { accountsToImport, importAccounts } from "./import-accounts.js";
import type { Defaults } from "./overrides.js";

/** Every field an account file can write or names the account by: the entry's own and the settable ones (never a read-only or secret one). */
export function importFields(): string[] {
  return ACCOUNT_MODEL.knownFields().filter((field) => {
    const marks = field.includes(".") ? ACCOUNT_MODEL.fieldMarks(field) : null;
    return marks !== null && !marks.secret && !marks.readOnly;
  });
}

export const importWhm: Importer = async (inventory: Inventory, server: ServerConfig, provider: Provider, options: ImportOptions): Promise<ImportOutcome> => {
  const { signal } = options;
  signal?.throwIfAborted();
  const observed = await provider.collect({ fields: { [ACCOUNT_KIND]: importFields() } });
  // An interrupt closes the connection, so the collect fails: that is not the server's fault.
  signal?.throwIfAborted();
  if (!observed.ok) return { ok: false, error: observed.error };
  const packages = observed.templates[ACCOUNT_KIND] ?? [];
  const select = options.select === undefined ? {} : { select: options.select };
  const wanted = accountsToImport({ inventory, server: server.name, observed: observed.resources, ...select });
  const needed = wanted.flatMap((a) => (a.pkg !== null && packages.includes(a.pkg) ? [a.pkg] : []));
  const packageDefaults = await readPackageDefaults(provider, needed, options);
  signal?.throwIfAborted();
  const result = importAccounts({
    inventory,
    server: server.name,
    observed: observed.resources,
    packages,
    packageDefaults,
    ...select,
    date: options.date,
    exists: options.exists,
  });
  return { ok: true, kind: ACCOUNT_KIND, files: result.files, skipped: result.skipped };
};

/** Each package's defaults; one that cannot be read is left out (its accounts then get every limit written, and the file says so). */
async function readPackageDefaults(provider: Provider, packages: readonly string[], options: ImportOptions): Promise<Record<string, Defaults>> {
  const out: Record<string, Defaults> = {};
  for (const pkg of [...new Set(packages)].sort()) {
    options.signal?.throwIfAborted();
    try {
      out[pkg] = await provider.templateDefaults(ACCOUNT_KIND, pkg);
    } catch (err) {
      // Cut off by an interrupt: stop quietly instead of warning about a server that is fine.
      options.signal?.throwIfAborted();
      options.warn(`${err instanceof Error ? err.message : String(err)}; accounts on package ${pkg} get every limit written`);
    }
  }
  return out;
}
