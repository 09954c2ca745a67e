/**
 * `siteform import --server NAME [--site ID|NAME ...]`: writes YAML for the resources on a
 * server that the inventory does not name yet (all of them, or the ones --site names), so that
 * a plan right after shows no changes for them. What to write is the server's provider's
 * importer (found through the provider registry); this command reads the inventory, opens the
 * connection, writes the files and reports. Reads the server only; never overwrites a file
 * (one that exists refuses the whole import before anything is written).
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { withProviders } from "../engine/providers.js";
import { loadInventory, renderText as renderInventoryText } from "../inventory/index.js";
import type { Inventory } from "../model/inventory.js";
import type { ServerConfig } from "../model/server-config.js";
import type { ImportOutcome, Importer } from "../providers/module.js";
import type { Provider } from "../providers/provider.js";
import { providerModule } from "../providers/registry.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode, ExitError, InterruptedError, stopIfInterrupted } from "./exit.js";
import type { CliIO } from "./io.js";
import { collect } from "./options.js";
import { writeImport, type WriteResult } from "./write-import.js";

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
    .option("--site <id|name>", "import only this site: its id or name (repeatable)", collect)
    .option("--dir <dir>", "the inventory directory", ".")
    .action(async (flags: ImportFlags) => {
      result.exitCode = await runImport(flags, io);
    });
};

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
  const server = inventory.servers.find((s) => s.name === flags.server);
  if (server === undefined) {
    const known = inventory.servers.map((s) => s.name);
    throw new ExitError(`unknown server '${flags.server}' in --server: siteform.yaml defines ${known.join(", ")}; add the server there first`);
  }
  const importer = importerOf(server);
  const outcome = await withOneProvider(inventory, flags.server, io, (provider) =>
    importer(inventory, server, provider, {
      ...(flags.site === undefined ? {} : { select: flags.site }),
      date: new Date().toISOString().slice(0, 10),
      exists: (path) => existsSync(join(dir, path)),
      signal,
      warn: (message) => io.stderr(`warning: ${message}\n`),
    }),
  );
  // A read cut off by an interrupt is not the server's fault. This is also the last point to
  // stop: writing is local and quick, and stopping half-way would leave some resources
  // imported and others not.
  stopIfInterrupted(signal, NOTHING_WRITTEN);
  if (!outcome.ok) throw new ExitError(`${outcome.error}; nothing was imported.`);
  return report(inventory, outcome, await writeImport(dir, outcome.files), flags, io);
}

/** The importer of the server's provider; a provider without one cannot import. */
function importerOf(server: ServerConfig): Importer {
  const module = (() => {
    try {
      return providerModule(server);
    } catch (err) {
      throw new ExitError(`${err instanceof Error ? err.message : String(err)}; nothing was imported.`);
    }
  })();
  if (module.importer === undefined) {
    throw new ExitError(`server "${server.name}": siteform cannot import from ${module.title} servers; nothing was imported.`);
  }
  return module.importer;
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

async function withOneProvider<T>(inventory: Inventory, server: string, io: CliIO, use: (provider: Provider) => Promise<T>): Promise<T> {
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

/** The noun of the kind imported (`site`), for messages. */
function nounOf(inventory: Inventory, kind: string): string {
  return inventory.catalogue.find(kind)?.noun ?? "resource";
}

function report(inventory: Inventory, imported: ImportOutcome & { ok: true }, written: WriteResult, flags: ImportFlags, io: CliIO): number {
  const noun = nounOf(inventory, imported.kind);
  for (const skip of imported.skipped) {
    io.stderr(`skipped ${skip.name}${skip.id === null ? "" : ` (${skip.id})`}: ${skip.reason}\n`);
  }
  for (const refused of written.refused) io.stderr(`error: not written: ${refused.path}: ${refused.reason}\n`);
  const files = new Map(imported.files.map((f) => [f.path, f]));
  for (const path of written.written) {
    const file = files.get(path);
    const held = file === undefined || file.resources.length === 0 ? "" : `: ${file.resources.map((r) => `${r.name} (${r.id})`).join(", ")}`;
    io.stdout(`wrote ${path}${held}\n`);
  }
  const count = imported.files.filter((f) => written.written.includes(f.path)).reduce((n, f) => n + f.resources.length, 0);
  if (written.refused.length > 0) {
    io.stderr(written.written.length === 0 ? "Nothing was imported.\n" : "The import is incomplete (see above).\n");
    return ExitCode.error;
  }
  if (imported.files.length === 0) {
    io.stdout(
      flags.site === undefined
        ? `Nothing to import: every ${noun} on ${flags.server} that can be imported is already in the inventory.\n`
        : "Nothing imported.\n",
    );
  } else {
    io.stdout(`Imported ${count} ${noun}${count === 1 ? "" : "s"} from ${flags.server} into ${written.written.length} file${written.written.length === 1 ? "" : "s"}. Review them, run \`siteform plan\` (it should show no changes for them) and commit.\n`);
  }
  // Resources asked for by --site that could not be imported make the command fail; others are warnings.
  return flags.site !== undefined && imported.skipped.length > 0 ? ExitCode.error : ExitCode.ok;
}
