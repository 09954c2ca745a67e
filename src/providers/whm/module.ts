/**
 * The WHM provider as the registry sees it: its kind, and how one server of siteform.yaml
 * becomes a WhmProvider. The token (`key_env`) and the WHM user (`user_env`) are read from the
 * environment here and never put in a message: a missing or unusable one is reported by the
 * variable's and the server's name.
 */
import type { ServerConfig } from "../../model/server-config.js";
import { requiredVariable, setupError, userVariable } from "../credentials.js";
import { connectionOf } from "../http-connection.js";
import type { ProviderModule } from "../module.js";
import { withStandardPath } from "./endpoint.js";
import { importWhm } from "./importer/index.js";
import { KINDS, WHM_PROVIDER } from "./kinds.js";
import { WhmProvider } from "./provider.js";

export const WHM: ProviderModule = {
  name: WHM_PROVIDER,
  title: "cPanel/WHM",
  kinds: KINDS,
  importer: importWhm,
  create(server: ServerConfig, env: Readonly<Record<string, string | undefined>>) {
    const userEnv = userVariable(server, "WHM", "the WHM user its API token belongs to (for example root)");
    const token = requiredVariable(server, server.keyEnv, "the server's WHM API token", env);
    const user = requiredVariable(server, userEnv, "the WHM user the API token belongs to", env);
    try {
      return new WhmProvider({
        server: server.name,
        keyEnv: server.keyEnv,
        userEnv,
        connection: {
          url: withStandardPath(server.url),
          user,
          token,
          ...connectionOf(server),
        },
      });
    } catch (err) {
      // The client's construction errors (bad URL, unreadable CA file, a token with stray characters) never quote the token.
      throw setupError(server, err, `the token is read from ${server.keyEnv}, the user from ${userEnv}`);
    }
  },
};
