/**
 * The ApisCP provider as the registry sees it: its kinds, how one server of siteform.yaml
 * becomes an ApiscpProvider, and its importer (`siteform import`). The API key is read from
 * the environment here and never put in a message: a missing or unusable key is reported by
 * the variable's and the server's name.
 */
import type { ServerConfig } from "../../model/server-config.js";
import { requiredVariable, setupError } from "../credentials.js";
import { connectionOf } from "../http-connection.js";
import type { ProviderModule } from "../module.js";
import { withStandardPath } from "./endpoint.js";
import { importApiscp } from "./importer/index.js";
import { KINDS } from "./kinds.js";
import { ApiscpProvider } from "./provider.js";

export const APISCP: ProviderModule = {
  name: "apiscp",
  title: "ApisCP",
  kinds: KINDS,
  importer: importApiscp,
  create(server: ServerConfig, env: Readonly<Record<string, string | undefined>>) {
    const key = requiredVariable(server, server.keyEnv, "the server's ApisCP API key", env);
    try {
      return new ApiscpProvider({
        server: server.name,
        keyEnv: server.keyEnv,
        connection: {
          url: withStandardPath(server.url),
          key,
          ...connectionOf(server),
        },
      });
    } catch (err) {
      // The client's construction errors (bad URL, unreadable CA file, a key with stray characters) never quote the key.
      throw setupError(server, err, `the key is read from ${server.keyEnv}`);
    }
  },
};
