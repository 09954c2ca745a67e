/**
 * Opens one provider per server in scope and closes them all, whatever happens in between.
 */
import type { Inventory } from "../model/inventory.js";
import type { Provider } from "../providers/provider.js";
import { createProvider } from "../providers/registry.js";

export type ProviderFactory = typeof createProvider;

export interface WithProvidersOptions {
  /** Opens the providers; tests swap in their own. Default: the registry's. */
  factory?: ProviderFactory;
  /**
   * When it fires, every provider is closed at once, which ends the requests in flight: their
   * calls fail as any lost connection does (a collect comes back `ok: false`, other calls
   * throw). `use` still runs to its end; the caller tells an interrupt from a real failure by
   * looking at the signal. Already fired: nothing is opened and its reason is thrown.
   */
  signal?: AbortSignal;
}

export async function withProviders<T>(
  inventory: Inventory,
  servers: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  use: (providers: ReadonlyMap<string, Provider>) => Promise<T>,
  options: WithProvidersOptions = {},
): Promise<T> {
  const { factory = createProvider, signal } = options;
  signal?.throwIfAborted();
  const providers = new Map<string, Provider>();
  let closed = false;
  // Once only: the abort and the finally both close, and a provider need not tolerate two.
  const closeAll = (): void => {
    if (closed) return;
    closed = true;
    for (const provider of providers.values()) provider.close();
  };
  signal?.addEventListener("abort", closeAll, { once: true });
  try {
    for (const server of inventory.servers) {
      if (servers.includes(server.name)) providers.set(server.name, factory(server, env));
    }
    return await use(providers);
  } finally {
    signal?.removeEventListener("abort", closeAll);
    closeAll();
  }
}
