/**
 * The one resource a command acts on (`login`, `password`, `show RESOURCE`), found from its name
 * the same way everywhere: the inventory and the servers in scope are read (read progress on
 * stderr), the name is resolved, and what could not be found is an ExitError with the closest
 * name or the candidates. `use` runs while the providers are open.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { createApplyLogger } from "../applier/log.js";
import { loadFor, withResource, type FoundResource } from "../engine/resource-run.js";
import type { Inventory } from "../model/inventory.js";
import type { Provider, ResourceActions, ResourceRef } from "../providers/provider.js";
import { catalogueOf } from "../providers/registry.js";
import { safeText } from "../render/format-value.js";
import type { NamedResource } from "../resources/resource-name.js";
import { ExitError, InterruptedError } from "./exit.js";
import type { CliIO } from "./io.js";
import { collect } from "./options.js";
import { logFormatOf } from "./output.js";
import { printInventoryDiagnostics } from "./planned.js";
import { createReadProgress } from "./read-progress.js";
import { printWarnings } from "./warnings.js";

export interface ResourceFlags {
  dir: string;
  server?: string[];
}

/** The argument and options every command on one named resource takes. */
export function namedResourceCommand(command: Command): Command {
  return command
    .argument("<resource>", "its name, a user, its id or its inventory entry, optionally after its server (fra1/example.com)")
    .option("--dir <dir>", "the inventory directory", ".")
    .option("--server <name>", "look for it only on this server (repeatable)", collect);
}

/** `use`'s answer, or null when the inventory is invalid (its diagnostics are printed). */
export async function onNamedResource<T>(name: string, flags: ResourceFlags, io: CliIO, use: (found: FoundResource, inventory: Inventory) => Promise<T>): Promise<T | null> {
  const loaded = await loadFor({ dir: resolve(io.cwd, flags.dir), env: io.env, servers: flags.server ?? null, today: new Date().toISOString().slice(0, 10), signal: io.interrupted });
  if (loaded.kind === "interrupted") throw new InterruptedError();
  if (loaded.kind === "bad-scope") throw new ExitError(loaded.message);
  if (loaded.kind === "invalid-inventory") {
    printInventoryDiagnostics(loaded.diagnostics, loaded.files, io);
    return null;
  }
  printWarnings(loaded.warnings, io, loaded.inventory.catalogue);
  const progress = createReadProgress(io, catalogueOf());
  let run;
  try {
    run = await withResource(loaded.inventory, loaded.servers, name, { env: io.env, signal: io.interrupted, onRead: progress.sink }, (found) => use(found, loaded.inventory));
  } catch (err) {
    // Whatever failed after Ctrl-C failed because of it (the reads were cut short).
    if (io.interrupted.aborted && !(err instanceof InterruptedError)) throw new InterruptedError();
    throw err;
  } finally {
    progress.close();
  }
  if (io.interrupted.aborted) throw new InterruptedError();
  if (run.kind === "found") return run.value;
  const unread = run.unreadable.map((u) => `\n  not read: ${safeText(u.error)}`).join("");
  throw new ExitError(`${safeText(run.resolution.message)}${unread}\n  hint: ${safeText(run.resolution.hint)}`);
}

/** The resource as a provider is told of it; an ExitError when it is not on its server (only in git, or its server unread). */
export function onServer(found: FoundResource, action: string): { ref: ResourceRef; provider: Provider } {
  const r = found.resource;
  const unread = found.unreadable.find((u) => u.server === r.server);
  if (unread !== undefined) throw new ExitError(`cannot ${action} ${safeText(r.name)}: ${safeText(unread.error)}`);
  if (r.id === null || found.provider === null) {
    const where = r.desired === null ? "" : ` (${safeText(r.desired.source.file)}:${r.desired.source.line})`;
    throw new ExitError(`cannot ${action} ${safeText(r.name)}${where}: it is in git but not on ${safeText(r.server)} yet\n  hint: \`siteform plan\` shows what creating it takes`);
  }
  return { ref: { kind: r.kind, id: r.id, name: r.name }, provider: found.provider };
}

/** The provider's action, or an ExitError saying the panel offers none. */
export function action<K extends keyof ResourceActions>(provider: Provider, resource: NamedResource, name: K, what: string): NonNullable<ResourceActions[K]> {
  const method = provider[name];
  if (method === undefined) throw new ExitError(`${safeText(resource.server)}: its panel offers no ${what} through siteform`);
  return method.bind(provider) as NonNullable<ResourceActions[K]>;
}

/** `acme.example (site3) on fra1`. */
export function resourceOn(r: NamedResource): string {
  return `${safeText(r.name)}${r.id === null ? "" : ` (${safeText(r.id)})`} on ${safeText(r.server)}`;
}

/** A line on stderr for people, or one JSON event with `--log-format json`: never a credential. */
export function tell(io: CliIO, text: string, event: Record<string, unknown>): void {
  if (logFormatOf(io) === "json") {
    createApplyLogger({ write: (line: string) => io.stderr(line) }, { catalogue: catalogueOf() }).info(event, text);
    return;
  }
  io.stderr(`${text}\n`);
}
