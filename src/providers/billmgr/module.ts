/**
 * The BILLmanager provider as the registry sees it: its kinds, and how one server of
 * siteform.yaml becomes a BillmgrProvider. The BILLmanager user (`user_env`) and its password
 * (`key_env`) are read from the environment here and never put in a message: a missing or
 * unusable one is reported by the variable's and the server's name.
 */
import type { ServerConfig } from "../../model/server-config.js";
import { requiredVariable, setupError, userVariable } from "../credentials.js";
import { connectionOf } from "../http-connection.js";
import type { ProviderModule } from "../module.js";
import { withStandardPath } from "./endpoint.js";
import { importBillmgr } from "./importer/index.js";
import { BILLMGR_PROVIDER, KINDS } from "./kinds.js";
import { BillmgrProvider } from "./provider.js";

export const BILLMGR: ProviderModule = {
  name: BILLMGR_PROVIDER,
  title: "BILLmanager",
  kinds: KINDS,
  importer: importBillmgr,
  create(server: ServerConfig, env: Readonly<Record<string, string | undefined>>) {
    const userEnv = userVariable(server, "BILLmanager", "the BILLmanager user siteform logs in as (its password comes from key_env)");
    const user = requiredVariable(server, userEnv, "the BILLmanager user siteform logs in as", env);
    const password = requiredVariable(server, server.keyEnv, "that BILLmanager user's password", env);
    try {
      return new BillmgrProvider({
        server: server.name,
        keyEnv: server.keyEnv,
        userEnv,
        connection: {
          url: withStandardPath(server.url),
          user,
          password,
          ...connectionOf(server),
        },
      });
    } catch (err) {
      // The client's construction errors (bad URL, unreadable CA file, a user with spaces) never quote the password.
      throw setupError(server, err, `the user is read from ${userEnv}, the password from ${server.keyEnv}`);
    }
  },
};
