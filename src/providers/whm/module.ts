/**
 * The WHM provider as the registry sees it: its kind, and how one server of siteform.yaml
 * becomes a WhmProvider. The token (`key_env`) and the WHM user (`user_env`) are read from the
 * environment here and never put in a message: a missing or unusable one is reported by the
 * variable's and the server's name.
 */
import type { ServerConfig } from "../../model/server-config.js";
import type { ProviderModule } from "../module.js";
import { withStandardPath } from "./endpoint.js";
import { importWhm } from "./importer/index.js";
import { KINDS, WHM_PROVIDER } from "./kinds.js";
import { WhmProvider } from "./provider.js";

/** The value of a variable, or an Error naming the server, the variable and what it must hold. */
function required(server: ServerConfig, name: string, holds: string, env: Readonly<Record<string, string | undefined>>): string {
  const value = env[name];
  if (value === undefined || value.trim() === "") {
    const state = value === undefined ? "is not set" : "is empty";
    throw new Error(`server "${server.name}": the environment variable ${name} ${state}; it must hold ${holds} (export it, or add it to the CI secrets)`);
  }
  return value;
}

export const WHM: ProviderModule = {
  name: WHM_PROVIDER,
  title: "cPanel/WHM",
  kinds: KINDS,
  importer: importWhm,
  create(server: ServerConfig, env: Readonly<Record<string, string | undefined>>) {
    if (server.userEnv === null) {
      throw new Error(
        `server "${server.name}": a WHM server needs \`user_env\` in siteform.yaml: the environment variable holding the WHM user its API token belongs to (for example root)`,
      );
    }
    const token = required(server, server.keyEnv, "the server's WHM API token", env);
    const user = required(server, server.userEnv, "the WHM user the API token belongs to", env);
    try {
      return new WhmProvider({
        server: server.name,
        keyEnv: server.keyEnv,
        userEnv: server.userEnv,
        connection: {
          url: withStandardPath(server.url),
          user,
          token,
          ...(server.caFile !== null && { caFile: server.caFile }),
          insecureTls: server.insecureTls,
          timeoutMs: server.timeoutSeconds * 1000,
        },
      });
    } catch (err) {
      // The client's construction errors (bad URL, unreadable CA file, a token with stray characters) never quote the token.
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`server "${server.name}": cannot set up its connection: ${reason} (the token is read from ${server.keyEnv}, the user from ${server.userEnv})`, { cause: err });
    }
  },
};
