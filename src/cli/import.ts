/**
 * `siteform import --server NAME [--site ID|NAME ...] [--dry-run]`: writes YAML for the
 * resources on a server that the inventory does not name yet (all of them, or the ones --site
 * names), so that a plan right after shows no changes for them. What to write is the server's
 * provider's importer (found through the provider registry); this command reads the inventory,
 * opens the connection, writes the files (or, with --dry-run, only shows them) and reports.
 * Reads the server only; never overwrites a file, and writes all of the files or none of them
 * (write-import.ts).
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { withReadEvents } from "../engine/observe.js";
import { withProviders } from "../engine/providers.js";
import { loadInventory, renderText as renderInventoryText } from "../inventory/index.js";
import type { Inventory } from "../model/inventory.js";
import type { ServerConfig } from "../model/server-config.js";
import type { ImportedFile, ImportOutcome, Importer } from "../providers/module.js";
import type { Provider } from "../providers/provider.js";
import { providerModule } from "../providers/registry.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode, ExitError, InterruptedError, stopIfInterrupted } from "./exit.js";
import type { CliIO } from "./io.js";
import { collect } from "./options.js";
import { createReadProgress } from "./read-progress.js";
import { checkImport, writeImport, type WriteResult } from "./write-import.js";

interface ImportFlags {
  dir: string;
  server: string;
  site?: string[];
  dryRun?: boolean;
}

export const registerImport: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  program
    .command("import")
    .description(
      "Write YAML (sites/, and plans/ when needed) for a server's sites that the inventory does not name yet. Writes every file or none, and never overwrites one.",
    )
    .requiredOption("--server <name>", "the server to import from (as named in siteform.yaml)")
    .option("--site <id|name>", "import only this site: its id or name (repeatable)", collect)
    .option("--dry-run", "show the files the import would write, with their contents, and write nothing")
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
  // The server's read is told as plan tells it (which server, what it holds, how long).
  const progress = createReadProgress(io, inventory.catalogue);
  const outcome = await withOneProvider(inventory, flags.server, io, (provider) =>
    importer(inventory, server, withReadEvents(provider, progress.sink), {
      ...(flags.site === undefined ? {} : { select: flags.site }),
      date: new Date().toISOString().slice(0, 10),
      exists: (path) => existsSync(join(dir, path)),
      signal,
      warn: (message) => io.stderr(`warning: ${message}\n`),
    }),
  ).finally(progress.close);
  // A read cut off by an interrupt is not the server's fault. This is also the last point to
  // stop: writing is local and quick, and stopping half-way would leave some resources
  // imported and others not.
  stopIfInterrupted(signal, NOTHING_WRITTEN);
  if (!outcome.ok) throw new ExitError(`${outcome.error}; nothing was imported.`);
  if (flags.dryRun === true) return preview(inventory, outcome, await checkImport(dir, outcome.files), flags, io);
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

/** `wrote PATH: name (id), …` (or `would write …`): which resources a file holds. */
function fileLine(verb: string, file: ImportedFile): string {
  const held = file.resources.length === 0 ? "" : `: ${file.resources.map((r) => `${r.name} (${r.id})`).join(", ")}`;
  return `${verb} ${file.path}${held}\n`;
}

function reportSkips(imported: ImportOutcome & { ok: true }, io: CliIO): void {
  for (const skip of imported.skipped) {
    io.stderr(`skipped ${skip.name}${skip.id === null ? "" : ` (${skip.id})`}: ${skip.reason}\n`);
  }
}

/** Files refused before or while writing: nothing of the import is on disk. */
function reportRefused(refused: WriteResult["refused"], io: CliIO, dryRun: boolean): number {
  for (const r of refused) io.stderr(`error: ${dryRun ? "would not be written" : "not written"}: ${r.path}: ${r.reason}\n`);
  io.stderr(dryRun ? "The import would fail (see above); nothing was written.\n" : "Nothing was imported: no file was written (see above).\n");
  return ExitCode.error;
}

function nothingToImport(noun: string, flags: ImportFlags, io: CliIO): void {
  io.stdout(
    flags.site === undefined
      ? `Nothing to import: every ${noun} on ${flags.server} that can be imported is already in the inventory.\n`
      : "Nothing imported.\n",
  );
}

/** Resources asked for by --site that could not be imported make the command fail; others are warnings. */
function exitCode(imported: ImportOutcome & { ok: true }, flags: ImportFlags): number {
  return flags.site !== undefined && imported.skipped.length > 0 ? ExitCode.error : ExitCode.ok;
}

function counted(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function report(inventory: Inventory, imported: ImportOutcome & { ok: true }, written: WriteResult, flags: ImportFlags, io: CliIO): number {
  const noun = nounOf(inventory, imported.kind);
  reportSkips(imported, io);
  if (written.refused.length > 0) return reportRefused(written.refused, io, false);
  for (const file of imported.files) io.stdout(fileLine("wrote", file));
  if (imported.files.length === 0) nothingToImport(noun, flags, io);
  else {
    const count = imported.files.reduce((n, f) => n + f.resources.length, 0);
    io.stdout(
      `Imported ${counted(count, noun)} from ${flags.server} into ${counted(imported.files.length, "file")}. Review them, run \`siteform plan\` (it should show no changes for them) and commit.\n`,
    );
  }
  return exitCode(imported, flags);
}

/** --dry-run: every file the import would write, with its text indented below its path; writes nothing. */
function preview(inventory: Inventory, imported: ImportOutcome & { ok: true }, refused: WriteResult["refused"], flags: ImportFlags, io: CliIO): number {
  const noun = nounOf(inventory, imported.kind);
  reportSkips(imported, io);
  if (refused.length > 0) return reportRefused(refused, io, true);
  for (const file of imported.files) {
    io.stdout(fileLine("would write", file));
    io.stdout(`${file.text.replace(/\n$/u, "").split("\n").map((line) => (line === "" ? "" : `    ${line}`)).join("\n")}\n\n`);
  }
  if (imported.files.length === 0) nothingToImport(noun, flags, io);
  else {
    const count = imported.files.reduce((n, f) => n + f.resources.length, 0);
    io.stdout(
      `Dry run: would import ${counted(count, noun)} from ${flags.server} into ${counted(imported.files.length, "file")}; nothing was written. Run it again without --dry-run to write them.\n`,
    );
  }
  return exitCode(imported, flags);
}
