/**
 * `loadInventory(dir)`: the I/O edge of the inventory. Lists and reads the directory's files,
 * parses them a slice at a time (so that a signal can stop it), looks up which CA files are
 * readable, and hands everything to the pure check. Reads nothing else and writes nothing.
 */
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { checkSteps, type CheckOptions, type InventoryResult } from "./check.js";
import type { Catalogue } from "../kinds/catalogue.js";
import { isRecord } from "./field-path.js";
import { listInventoryFiles, readInventoryFiles } from "./files.js";
import { parseAll } from "./parse-aside.js";
import { assemble, prepareSources, type ReadFiles } from "./source-file.js";
import { runInterruptibly } from "./steps.js";
import { KnownKeys, rememberKnownKeys } from "./known-keys.js";

export interface LoadOptions {
  /** Where `key_env` variables are looked up; the CLI passes the process environment. Default: empty. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Missing API keys and CA files are errors (all servers, or those named) instead of warnings: for plan and apply. */
  requireKeys?: boolean | readonly string[];
  /**
   * Stops the reading, parsing and checking (between files and checks, and within a large
   * file's parse): loadInventory then throws the signal's reason instead of returning.
   */
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
  signal?.throwIfAborted();
  const prepared = prepareSources(sources);
  const read = assemble(prepared, await parseAll(prepared.jobs, signal));
  const readableCa = await readableCaFiles(root, read);
  const checkOptions: CheckOptions = {
    dir: root,
    env: options.env ?? {},
    requireKeys: options.requireKeys ?? false,
    readableCaFiles: readableCa,
    ...(options.catalogue === undefined ? {} : { catalogue: options.catalogue }),
    ...(options.today === undefined ? {} : { today: options.today }),
  };
  const result = await runInterruptibly(checkSteps(read, checkOptions), signal);
  // Outputs made far from here (the plan renderers, the plan file) mask these keys: see known-keys.ts.
  if (result.ok) rememberKnownKeys(KnownKeys.from(result.inventory.servers.map((s) => ({ server: s.name, variable: s.keyEnv })), options.env ?? {}));
  return result;
}

/** The `ca_file` values in siteform.yaml that name a readable file. A broken siteform.yaml names none; its own errors say why. */
async function readableCaFiles(root: string, read: ReadFiles): Promise<Set<string>> {
  const readable = new Set<string>();
  const value = read.parsed.find((p) => p.kind === "config")?.source.value;
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
