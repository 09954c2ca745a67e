/**
 * Opens one provider per server in scope and closes them all, whatever happens in between.
 */
import type { Inventory } from "../model/inventory.js";
import type { Provider } from "../providers/provider.js";
import { createProvider } from "../providers/registry.js";

export type ProviderFactory = typeof createProvider;

export async function withProviders<T>(
  inventory: Inventory,
  servers: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  use: (providers: ReadonlyMap<string, Provider>) => Promise<T>,
  factory: ProviderFactory = createProvider,
): Promise<T> {
  const providers = new Map<string, Provider>();
  try {
    for (const server of inventory.servers) {
      if (servers.includes(server.name)) providers.set(server.name, factory(server, env));
    }
    return await use(providers);
  } finally {
    for (const provider of providers.values()) provider.close();
  }
}
