/**
 * The provider factory: turns one server of siteform.yaml into the Provider for its panel.
 * It is the only place that reads the API key from the environment, and it never puts the key
 * in a message: a missing or unusable key is reported by the variable's and the server's name.
 */
import type { ServerConfig } from "../model/server-config.js";
import { withStandardPath } from "./apiscp/endpoint.js";
import { ApiscpProvider } from "./apiscp/provider.js";
import type { Provider } from "./provider.js";

export function createProvider(server: ServerConfig, env: Readonly<Record<string, string | undefined>>): Provider {
  switch (server.provider) {
    case "apiscp":
      return createApiscp(server, env);
    default:
      return unknownProvider(server.provider, server.name);
  }
}

function unknownProvider(kind: never, name: string): never {
  throw new Error(`server "${name}": unknown provider ${JSON.stringify(kind)}; the only provider is "apiscp"`);
}

function createApiscp(server: ServerConfig, env: Readonly<Record<string, string | undefined>>): Provider {
  const key = env[server.keyEnv];
  if (key === undefined || key.trim() === "") {
    const state = key === undefined ? "is not set" : "is empty";
    throw new Error(
      `server "${server.name}": the environment variable ${server.keyEnv} ${state}; it must hold the server's ApisCP API key (export it, or add it to the CI secrets)`,
    );
  }
  try {
    return new ApiscpProvider({
      server: server.name,
      keyEnv: server.keyEnv,
      connection: {
        url: withStandardPath(server.url),
        key,
        ...(server.caFile !== null && { caFile: server.caFile }),
        insecureTls: server.insecureTls,
        timeoutMs: server.timeoutSeconds * 1000,
      },
    });
  } catch (err) {
    // The client's construction errors (bad URL, unreadable CA file, a key with stray characters) never quote the key.
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`server "${server.name}": cannot set up its connection: ${reason}`, { cause: err });
  }
}
