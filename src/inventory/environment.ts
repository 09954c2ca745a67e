/**
 * What a server connection will need at run time and git cannot hold: the environment
 * variables named by `key_env` and `user_env`, and a readable `ca_file`. Missing ones are warnings when only
 * validating (a pull request's checks may run without secrets) and errors when the caller is
 * about to connect (`requireKeys`). Pure: the caller passes the environment and which CA files
 * it found readable.
 */
import type { Diagnostic, DiagnosticCode, Severity } from "../model/index.js";
import { diagnostic } from "./diagnostics.js";
import { ref, text, type InventoryRecords } from "./records.js";
import { CONFIG_SCHEMA } from "./schema.js";

/** A `key_env` that is not a variable name is the schema's to report; it may even be a pasted key, so it is never repeated here. */
const VARIABLE_NAME = new RegExp(CONFIG_SCHEMA.$defs.server.properties.key_env.pattern, "u");

export interface EnvironmentFacts {
  env: Readonly<Record<string, string | undefined>>;
  /** true: every server must be reachable; a list: those servers; false: only warn. */
  requireKeys: boolean | readonly string[];
  /** The `ca_file` values (as written) that exist and are readable; undefined: not checked. */
  readableCaFiles?: ReadonlySet<string> | undefined;
}

export function checkEnvironment({ config }: InventoryRecords, facts: EnvironmentFacts): Diagnostic[] {
  if (config === null) return [];
  const out: Diagnostic[] = [];
  for (const server of config.servers) {
    const required = facts.requireKeys === true || (Array.isArray(facts.requireKeys) && facts.requireKeys.includes(server.name));
    const severity: Severity = required ? "error" : "warning";
    const report = (code: DiagnosticCode, field: string, message: string, hint: string): void => {
      out.push(diagnostic(severity, code, ref(server, field), message, hint));
    };
    const keyEnv = text(server, "key_env");
    if (keyEnv !== undefined && VARIABLE_NAME.test(keyEnv) && (facts.env[keyEnv] ?? "") === "") {
      report(
        "missing-key-env",
        "key_env",
        `environment variable ${keyEnv} (the API key of server \`${server.name}\`) is not set`,
        `export ${keyEnv} with the server's API key before running plan or apply; in CI, map it from a repository secret`,
      );
    }
    const userEnv = text(server, "user_env");
    if (userEnv !== undefined && VARIABLE_NAME.test(userEnv) && (facts.env[userEnv] ?? "") === "") {
      report(
        "missing-user-env",
        "user_env",
        `environment variable ${userEnv} (the API user of server \`${server.name}\`) is not set`,
        `export ${userEnv} with the user the server's API token belongs to before running plan or apply; in CI, map it from a repository secret`,
      );
    }
    const caFile = text(server, "ca_file");
    if (caFile !== undefined && facts.readableCaFiles !== undefined && !facts.readableCaFiles.has(caFile)) {
      report(
        "missing-ca-file",
        "ca_file",
        `CA file \`${caFile}\` of server \`${server.name}\` cannot be read`,
        "the path is relative to the inventory directory; check that the file exists and is readable",
      );
    }
  }
  return out;
}
