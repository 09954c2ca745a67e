/**
 * The reads behind the everyday commands outside git (`usage`, `login`, `password`, `show
 * RESOURCE`): the inventory, the providers of the servers in scope, and then either every
 * server's usage or one named resource with the provider that can act on it. Servers are read
 * in parallel, bounded as plan's reads are; one that fails is reported by name and never stops
 * the others. What a command then does with the provider (a login, a password) is its own.
 */
import pLimit from "p-limit";
import { loadInventory } from "../inventory/index.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { Inventory } from "../model/inventory.js";
import type { ObservedServer } from "../model/resource.js";
import type { Provider } from "../providers/provider.js";
import { namedResources, resolveResourceName, type NamedResource, type NameResolution } from "../resources/resource-name.js";
import type { ServerUsage } from "../resources/usage-report.js";
import { COLLECT_PARALLELISM, observeServers, type ReadEventSink } from "./observe.js";
import { withProviders, type ProviderFactory } from "./providers.js";
import { resolveScope } from "./scope.js";

export type LoadedFor =
  | { kind: "loaded"; inventory: Inventory; servers: string[]; warnings: readonly Diagnostic[] }
  | { kind: "invalid-inventory"; diagnostics: readonly Diagnostic[]; files: readonly string[] }
  | { kind: "bad-scope"; message: string }
  | { kind: "interrupted" };

export interface LoadForOptions {
  dir: string;
  env: Readonly<Record<string, string | undefined>>;
  /** `--server`; null or empty: every server in service. */
  servers: readonly string[] | null;
  today: string;
  signal?: AbortSignal;
}

/**
 * The inventory and the servers in scope, with the keys of those servers required (a first
 * reading warns about every missing one; only then is it read again requiring them, as plan does).
 */
export async function loadFor(options: LoadForOptions): Promise<LoadedFor> {
  const { signal } = options;
  try {
    const base = { env: options.env, signal, today: options.today };
    const first = await loadInventory(options.dir, { ...base, requireKeys: false });
    if (!first.ok) return { kind: "invalid-inventory", diagnostics: first.diagnostics, files: first.files };
    const scope = resolveScope(first.inventory, options.servers);
    if (!scope.ok) return { kind: "bad-scope", message: scope.message };
    const missing = first.diagnostics.some((d) => d.code === "missing-key-env" || d.code === "missing-user-env" || d.code === "missing-ca-file");
    const loaded = missing ? await loadInventory(options.dir, { ...base, requireKeys: scope.servers }) : first;
    if (!loaded.ok) return { kind: "invalid-inventory", diagnostics: loaded.diagnostics, files: loaded.files };
    return { kind: "loaded", inventory: loaded.inventory, servers: scope.servers, warnings: loaded.diagnostics.filter((d) => d.severity === "warning") };
  } catch (err) {
    if (signal?.aborted === true && err === signal.reason) return { kind: "interrupted" };
    throw err;
  }
}

export interface ReadOptions {
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  onRead?: ReadEventSink;
  providerFactory?: ProviderFactory;
}

/**
 * Every server's usage, in server order: one provider call per server, at most COLLECT_PARALLELISM
 * at once. With `names` (`--target`), also what each server holds, read in full as `login` reads
 * it, so that a target is found by any of its names: usage answers carry only an id and a name.
 */
export async function readUsage(inventory: Inventory, servers: readonly string[], options: ReadOptions & { names?: boolean }): Promise<{ usage: ServerUsage[]; observed: ObservedServer[] | null }> {
  const events = options.onRead ?? (() => undefined);
  const providerOf = new Map(inventory.servers.map((s) => [s.name, s.provider]));
  return withProviders(
    inventory,
    servers,
    options.env,
    async (providers) => {
      const names = [...providers.keys()].sort();
      const limit = pLimit(COLLECT_PARALLELISM);
      // The usage reads tell the progress; this one goes with them.
      const observed = options.names === true ? observeServers(providers, () => ({}), COLLECT_PARALLELISM) : Promise.resolve(null);
      events({ type: "reads-started", at: Date.now(), servers: names });
      const usage = Promise.all(
        names.map((server) =>
          limit(async (): Promise<ServerUsage> => {
            const started = Date.now();
            events({ type: "read-started", at: started, server });
            const read = await usageOf(providers.get(server) as Provider, server, providerOf.get(server) ?? "");
            const counts: Record<string, number> = {};
            if (read.ok) for (const row of read.rows) counts[row.kind] = (counts[row.kind] ?? 0) + 1;
            const at = Date.now();
            events({ type: "read-finished", at, server, ok: read.ok, resources: counts, ms: at - started, error: read.ok ? null : read.error });
            return read;
          }),
        ),
      );
      const [usageRead, observedRead] = await Promise.all([usage, observed]);
      return { usage: usageRead, observed: observedRead };
    },
    { factory: options.providerFactory, signal: options.signal },
  );
}

async function usageOf(provider: Provider, server: string, providerName: string): Promise<ServerUsage> {
  if (provider.usage === undefined) return { server, provider: providerName, ok: true, supported: false, rows: [] };
  try {
    return { server, provider: providerName, ok: true, supported: true, rows: await provider.usage() };
  } catch (err) {
    return { server, provider: providerName, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** What `use` is handed: the resource named, its server's provider, and the servers that could not be read. */
export interface FoundResource {
  resource: NamedResource;
  /** Null when the resource's server was not opened (out of scope). */
  provider: Provider | null;
  observed: readonly ObservedServer[];
  unreadable: ReadonlyArray<{ server: string; error: string }>;
}

export type ResourceRun<T> =
  | { kind: "found"; value: T }
  | { kind: "unresolved"; resolution: Extract<NameResolution, { ok: false }>; unreadable: ReadonlyArray<{ server: string; error: string }> };

/**
 * The servers a resource name asks to be read: the one its `server/` prefix names when that is a
 * server in scope, else every server in scope.
 */
export function serversFor(name: string, servers: readonly string[]): string[] {
  const slash = name.indexOf("/");
  const prefix = slash < 0 ? "" : name.slice(0, slash);
  return servers.includes(prefix) ? [prefix] : [...servers];
}

/**
 * Reads the servers (only what names their resources), finds the resource `name` names, and
 * hands it with its provider to `use` while the providers are open.
 */
export async function withResource<T>(inventory: Inventory, servers: readonly string[], name: string, options: ReadOptions, use: (found: FoundResource) => Promise<T>): Promise<ResourceRun<T>> {
  const scope = serversFor(name, servers);
  return withProviders(
    inventory,
    scope,
    options.env,
    async (providers): Promise<ResourceRun<T>> => {
      const observed = await observeServers(providers, () => ({}), COLLECT_PARALLELISM, options.onRead);
      const unreadable = observed.flatMap((s) => (s.ok ? [] : [{ server: s.server, error: s.error }]));
      // Git's resources on servers out of scope are not candidates: `--server` narrows the names too.
      const inScope = { ...inventory, resources: inventory.resources.filter((d) => scope.includes(d.server)) };
      const resolution = resolveResourceName(name, namedResources(inScope, observed), inventory);
      if (!resolution.ok) return { kind: "unresolved", resolution, unreadable };
      const provider = providers.get(resolution.resource.server) ?? null;
      return { kind: "found", value: await use({ resource: resolution.resource, provider, observed, unreadable }) };
    },
    { factory: options.providerFactory, signal: options.signal },
  );
}
