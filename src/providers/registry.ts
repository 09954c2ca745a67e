/**
 * The providers siteform ships, and the two things the rest of siteform asks of them: the
 * catalogue of every kind they declare, and the Provider for one server. Tests pass their own
 * list to plan and apply with a provider of their own.
 */
import { Catalogue } from "../kinds/catalogue.js";
import type { ServerConfig } from "../model/server-config.js";
import { APISCP } from "./apiscp/module.js";
import type { ProviderModule } from "./module.js";
import type { Provider } from "./provider.js";
import { BILLMGR } from "./billmgr/module.js";
import { WHM } from "./whm/module.js";

export const PROVIDERS: readonly ProviderModule[] = [APISCP, WHM, BILLMGR];

// One catalogue per list of modules: the catalogue is immutable, and the inventory's schemas
// are compiled once per catalogue value, so a new value on every load would compile them
// again on every load (a third of loading 10,000 sites).
const catalogues = new WeakMap<readonly ProviderModule[], Catalogue>();

/** The catalogue of every kind the given providers declare; the same value for the same list. */
export function catalogueOf(modules: readonly ProviderModule[] = PROVIDERS): Catalogue {
  let catalogue = catalogues.get(modules);
  if (catalogue === undefined) {
    catalogue = new Catalogue(modules.flatMap((m) => m.kinds));
    catalogues.set(modules, catalogue);
  }
  return catalogue;
}

/** The module of a server's provider. Throws an Error naming the server when no module has that name. */
export function providerModule(server: ServerConfig, modules: readonly ProviderModule[] = PROVIDERS): ProviderModule {
  const module = modules.find((m) => m.name === server.provider);
  if (module === undefined) {
    throw new Error(`server "${server.name}": unknown provider ${JSON.stringify(server.provider)}; known providers: ${modules.map((m) => m.name).join(", ")}`);
  }
  return module;
}

export function createProvider(
  server: ServerConfig,
  env: Readonly<Record<string, string | undefined>>,
  modules: readonly ProviderModule[] = PROVIDERS,
): Provider {
  return providerModule(server, modules).create(server, env);
}
