/**
 * Reading a server's credentials from the environment, as every provider's module does: the
 * variables siteform.yaml names (`key_env`, `user_env`), never their values in a message. A
 * missing or empty one, or a server that lacks the variable its panel needs, is an Error that
 * names the server, the variable and what it must hold.
 */
import type { ServerConfig } from "../model/server-config.js";

export type Environment = Readonly<Record<string, string | undefined>>;

/** The value of `name`, or an Error naming the server, the variable and what it must hold. */
export function requiredVariable(server: ServerConfig, name: string, holds: string, env: Environment): string {
  const value = env[name];
  if (value === undefined || value.trim() === "") {
    const state = value === undefined ? "is not set" : "is empty";
    throw new Error(`server "${server.name}": the environment variable ${name} ${state}; it must hold ${holds} (export it, or add it to the CI secrets)`);
  }
  return value;
}

/** The server's `user_env`, or an Error saying what the panel needs it for. */
export function userVariable(server: ServerConfig, panel: string, holds: string): string {
  if (server.userEnv === null) {
    throw new Error(`server "${server.name}": a ${panel} server needs \`user_env\` in siteform.yaml: the environment variable holding ${holds}`);
  }
  return server.userEnv;
}

/** A connection that could not be set up, said with the server's name and where its credentials come from (never their values). */
export function setupError(server: ServerConfig, err: unknown, from: string): Error {
  const reason = err instanceof Error ? err.message : String(err);
  return new Error(`server "${server.name}": cannot set up its connection: ${reason} (${from})`, { cause: err });
}
