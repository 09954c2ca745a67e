/**
 * One server from siteform.yaml, defaults applied. Holds the name of the environment
 * variable with the API key, never the key. Types only.
 */
import type { SourceRef } from "./source-ref.js";

export interface ServerConfig {
  name: string;
  /** The provider's name (`apiscp`): which panel the server runs. */
  provider: string;
  url: string;
  keyEnv: string;
  /** The environment variable holding the user the key belongs to (WHM); null when the panel's keys need no user. */
  userEnv: string | null;
  /** Path of the CA file: as written when absolute, else joined to the inventory directory. */
  caFile: string | null;
  insecureTls: boolean;
  concurrency: number;
  timeoutSeconds: number;
  prune: boolean;
  /** Taken out of service: never read or changed; what is bound to it is suspended. */
  retired: boolean;
  description: string | null;
  source: SourceRef;
}
