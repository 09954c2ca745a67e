/**
 * `siteform import --server NAME [--site ID|DOMAIN ...]`: writes YAML for the sites on a server
 * that the inventory does not name yet (all of them, or the ones --site names), so that a plan
 * right after shows no changes for them. Reads the server only; never overwrites a file (one
 * that exists refuses the whole import before anything is written).
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { withProviders } from "../engine/providers.js";
import { importSites, writeImport, type ImportResult, type ServiceMap } from "../importer/index.js";
import { loadInventory, renderText as renderInventoryText } from "../inventory/index.js";
import { catalogueFields } from "../inventory/catalogue.js";
import { isSecretField } from "../planner/index.js";
import type { Provider } from "../providers/provider.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode, ExitError, InterruptedError, stopIfInterrupted } from "./exit.js";
import type { CliIO } from "./io.js";
import { collect } from "./options.js";

interface ImportFlags {
  dir: string;
  server: string;
  site?: string[];
}

export const registerImport: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  program
    .command("import")
    .description(
      "Write YAML (sites/, and plans/ when needed) for a server's sites that the inventory does not name yet. Never overwrites a file.",
    )
    .requiredOption("--server <name>", "the server to import from (as named in siteform.yaml)")
    .option("--site <id|domain>", "import only this site: its id (site12), domain or alias (repeatable)", collect)
    .option("--dir <dir>", "the inventory directory", ".")
    .action(async (flags: ImportFlags) => {
      result.exitCode = await runImport(flags, io);
    });
};

/** Every non-secret `service.param` of the catalogue: the importer writes whatever differs from the plan. */
export function importFields(): string[] {
  return catalogueFields().filter((field) => field.includes(".") && !isSecretField(field));
}

/** What an interrupted import leaves: it stops before writing, never between two files. */
const NOTHING_WRITTEN = "nothing was written";

async function runImport(flags: ImportFlags, io: CliIO): Promise<number> {
  const dir = resolve(io.cwd, flags.dir);
  const signal = io.interrupted;
  const loaded = await interruptible(signal, () => loadInventory(dir, { env: io.env, requireKeys: [flags.server], signal }));
  stopIfInterrupted(signal, NOTHING_WRITTEN);
  if (!loaded.ok) {
    io.stderr(renderInventoryText({ ok: false, inventory: null, diagnostics: loaded.diagnostics, files: [] }, { color: false }));
    io.stderr("error: the inventory is not valid (see above); nothing was imported.\n");
    return ExitCode.error;
  }
  const inventory = loaded.inventory;
  const known = inventory.servers.map((s) => s.name);
  if (!known.includes(flags.server)) {
    throw new ExitError(`unknown server '${flags.server}' in --server: siteform.yaml defines ${known.join(", ")}; add the server there first`);
  }
  const imported = await withOneProvider(inventory, flags.server, io, async (provider) => {
    const observed = await provider.collect({ fields: importFields() });
    // An interrupt closes the connection, so the collect fails: that is not the server's fault.
    stopIfInterrupted(signal, NOTHING_WRITTEN);
    if (!observed.ok) throw new ExitError(`${observed.error}; nothing was imported.`);
    const planDefaults = await readPlanDefaults(provider, observed.sites.map((s) => s.plan), io);
    stopIfInterrupted(signal, NOTHING_WRITTEN);
    return importSites({
      inventory,
      server: flags.server,
      observed: observed.sites,
      planDefaults,
      ...(flags.site === undefined ? {} : { select: flags.site }),
      date: new Date().toISOString().slice(0, 10),
      exists: (path) => existsSync(join(dir, path)),
    });
  });
  // The last point to stop: writing is local and quick, and stopping half-way would leave some
  // sites imported and others not.
  stopIfInterrupted(signal, NOTHING_WRITTEN);
  return report(imported, await writeImport(dir, imported.files), flags, io);
}

/** `work()`, with the loader's and withProviders' way of stopping (throwing the signal's reason) turned into InterruptedError. */
async function interruptible<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (signal.aborted && err === signal.reason) throw new InterruptedError(NOTHING_WRITTEN);
    throw err;
  }
}

async function withOneProvider<T>(inventory: Parameters<typeof withProviders>[0], server: string, io: CliIO, use: (provider: Provider) => Promise<T>): Promise<T> {
  let opened = false;
  try {
    return await interruptible(io.interrupted, () =>
      withProviders(
        inventory,
        [server],
        io.env,
        (providers) => {
          opened = true;
          const provider = providers.get(server);
          if (provider === undefined) throw new ExitError(`no connection to server ${server}`);
          return use(provider);
        },
        // Closing the provider on an interrupt ends the read in flight at once.
        { signal: io.interrupted },
      ),
    );
  } catch (err) {
    // Only setting up the connection throws outside `use`; its messages never hold the key.
    if (opened || err instanceof ExitError) throw err;
    throw new ExitError(`${err instanceof Error ? err.message : String(err)}; nothing was imported.`);
  }
}

/** Each server plan's defaults; one that cannot be read is left out (the importer then writes every value, and says so). */
async function readPlanDefaults(provider: Provider, plans: ReadonlyArray<string | null>, io: CliIO): Promise<Record<string, ServiceMap>> {
  const out: Record<string, ServiceMap> = {};
  for (const plan of [...new Set(plans)].sort()) {
    if (plan === null) continue;
    stopIfInterrupted(io.interrupted, NOTHING_WRITTEN);
    try {
      out[plan] = await provider.planDefaults(plan);
    } catch (err) {
      // Cut off by an interrupt: stop quietly instead of warning about a server that is fine.
      stopIfInterrupted(io.interrupted, NOTHING_WRITTEN);
      io.stderr(`warning: ${err instanceof Error ? err.message : String(err)}; sites on plan ${plan} get every value written\n`);
    }
  }
  return out;
}

function report(imported: ImportResult, written: Awaited<ReturnType<typeof writeImport>>, flags: ImportFlags, io: CliIO): number {
  for (const skip of imported.skipped) {
    io.stderr(`skipped ${skip.domain}${skip.siteId === null ? "" : ` (${skip.siteId})`}: ${skip.reason}\n`);
  }
  for (const refused of written.refused) io.stderr(`error: not written: ${refused.path}: ${refused.reason}\n`);
  const files = new Map(imported.files.map((f) => [f.path, f]));
  for (const path of written.written) {
    const file = files.get(path);
    const sites = file === undefined || file.sites.length === 0 ? "" : `: ${file.sites.map((s) => `${s.domain} (${s.siteId})`).join(", ")}`;
    io.stdout(`wrote ${path}${sites}\n`);
  }
  const siteCount = imported.files.filter((f) => written.written.includes(f.path)).reduce((n, f) => n + f.sites.length, 0);
  if (written.refused.length > 0) {
    io.stderr(written.written.length === 0 ? "Nothing was imported.\n" : "The import is incomplete (see above).\n");
    return ExitCode.error;
  }
  if (imported.files.length === 0) {
    io.stdout(
      flags.site === undefined
        ? `Nothing to import: every site on ${flags.server} that can be imported is already in the inventory.\n`
        : "Nothing imported.\n",
    );
  } else {
    io.stdout(`Imported ${siteCount} site${siteCount === 1 ? "" : "s"} from ${flags.server} into ${written.written.length} file${written.written.length === 1 ? "" : "s"}. Review them, run \`siteform plan\` (it should show no changes for them) and commit.\n`);
  }
  // Sites asked for by name that could not be imported make the command fail; others are warnings.
  return flags.site !== undefined && imported.skipped.length > 0 ? ExitCode.error : ExitCode.ok;
}
