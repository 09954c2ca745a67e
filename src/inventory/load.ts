/**
 * `loadInventory(dir)`: the I/O edge of the inventory. Lists and reads the directory's files,
 * looks up which CA files are readable, and hands everything to the pure checkInventory.
 * Reads nothing else and writes nothing.
 */
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { parse } from "yaml";
import { checkInventory, type InventoryResult, type SourceText } from "./check.js";
import { CONFIG_FILE } from "./file-kinds.js";
import type { Catalogue } from "../kinds/catalogue.js";
import { isRecord } from "./field-path.js";
import { listInventoryFiles, readInventoryFiles } from "./files.js";

export interface LoadOptions {
  /** Where `key_env` variables are looked up; the CLI passes the process environment. Default: empty. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Missing API keys and CA files are errors (all servers, or those named) instead of warnings: for plan and apply. */
  requireKeys?: boolean | readonly string[];
  /** Stops the reading between files: loadInventory then throws the signal's reason instead of returning. */
  signal?: AbortSignal;
  /** The kinds entries may be; default: those of the providers siteform ships. */
  catalogue?: Catalogue;
  /** `YYYY-MM-DD`: the day days-ahead fields count from; default today (UTC). */
  today?: string;
}

export async function loadInventory(dir: string, options: LoadOptions = {}): Promise<InventoryResult> {
  const root = resolve(dir);
  const { signal } = options;
  const paths = await listInventoryFiles(root);
  signal?.throwIfAborted();
  const sources = await readInventoryFiles(root, paths, { signal });
  const readableCa = await readableCaFiles(root, sources);
  // Checking is synchronous and cannot be stopped once started: the last chance is here.
  signal?.throwIfAborted();
  return checkInventory(sources, {
    dir: root,
    env: options.env ?? {},
    requireKeys: options.requireKeys ?? false,
    readableCaFiles: readableCa,
    ...(options.catalogue === undefined ? {} : { catalogue: options.catalogue }),
    ...(options.today === undefined ? {} : { today: options.today }),
  });
}

/** The `ca_file` values in siteform.yaml that name a readable file. A broken siteform.yaml names none; its own errors say why. */
async function readableCaFiles(root: string, sources: readonly SourceText[]): Promise<Set<string>> {
  const config = sources.find((s) => s.file === CONFIG_FILE);
  const readable = new Set<string>();
  if (config === undefined || !("text" in config)) return readable;
  let value: unknown;
  try {
    value = parse(config.text);
  } catch {
    return readable;
  }
  const servers = isRecord(value) && isRecord(value.servers) ? Object.values(value.servers) : [];
  const names = servers.flatMap((s) => (isRecord(s) && typeof s.ca_file === "string" ? [s.ca_file] : []));
  await Promise.all(
    names.map(async (name) => {
      try {
        await access(isAbsolute(name) ? name : join(root, name), constants.R_OK);
        readable.add(name);
      } catch {
        // Not readable: checkEnvironment reports it, with the position of the field.
      }
    }),
  );
  return readable;
}
