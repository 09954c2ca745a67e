/**
 * The BILLmanager provider as the registry sees it: its kinds, and how one server of
 * siteform.yaml becomes a BillmgrProvider. The BILLmanager user (`user_env`) and its password
 * (`key_env`) are read from the environment here and never put in a message: a missing or
 * unusable one is reported by the variable's and the server's name.
 */
import type { ServerConfig } from "../../model/server-config.js";
import type { ProviderModule } from "../module.js";
import { withStandardPath } from "./endpoint.js";
import { importBillmgr } from "./importer/index.js";
import { BILLMGR_PROVIDER, KINDS } from "./kinds.js";
import { BillmgrProvider } from "./provider.js";

/** The value of a variable, or an Error naming the server, the variable and what it must hold. */
function required(server: ServerConfig, name: string, holds: string, env: Readonly<Record<string, string | undefined>>): string {
  const value = env[name];
  if (value === undefined || value.trim() === "") {
    const state = value === undefined ? "is not set" : "is empty";
    throw new Error(`server "${server.name}": the environment variable ${name} ${state}; it must hold ${holds} (export it, or add it to the CI secrets)`);
  }
  return value;
}

export const BILLMGR: ProviderModule = {
  name: BILLMGR_PROVIDER,
  title: "BILLmanager",
  kinds: KINDS,
  importer: importBillmgr,
  create(server: ServerConfig, env: Readonly<Record<string, string | undefined>>) {
    if (server.userEnv === null) {
      throw new Error(
        `server "${server.name}": a BILLmanager server needs \`user_env\` in siteform.yaml: the environment variable holding the BILLmanager user siteform logs in as (its password comes from key_env)`,
      );
    }
    const user = required(server, server.userEnv, "the BILLmanager user siteform logs in as", env);
    const password = required(server, server.keyEnv, "that BILLmanager user's password", env);
    try {
      return new BillmgrProvider({
        server: server.name,
        keyEnv: server.keyEnv,
        userEnv: server.userEnv,
        connection: {
          url: withStandardPath(server.url),
          user,
          password,
          ...(server.caFile !== null && { caFile: server.caFile }),
          insecureTls: server.insecureTls,
          timeoutMs: server.timeoutSeconds * 1000,
        },
      });
    } catch (err) {
      // The client's construction errors (bad URL, unreadable CA file, a user with spaces) never quote the password.
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`server "${server.name}": cannot set up its connection: ${reason} (the user is read from ${server.userEnv}, the password from ${server.keyEnv})`, { cause: err });
    }
  },
};
