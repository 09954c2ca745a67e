/**
 * What a caller may ask of the emulator (EmulatorOptions) and what it gets back
 * (RunningEmulator). The checks that turn a wrong address or port into a clear error before
 * anything listens are shared by every emulator (emulator/shared/host.ts) and re-exported here.
 */
import type { AdminApi, EmulatorState } from "../api.js";
import type { AuthLimit } from "./auth.js";
import type { CallLog } from "../../shared/calllog.js";
import type { Knobs } from "../../shared/knobs.js";

export interface EmulatorOptions {
  /** Address to listen on; 127.0.0.1 by default. Only loopback unless `allowNonLoopback`. */
  host?: string;
  /** The emulator accepts any caller holding its key; off loopback that is anyone on the network. */
  allowNonLoopback?: boolean;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** true: HTTPS with a self-signed certificate made now (see `caCert`); or your own PEM pair. */
  tls?: boolean | { cert: string; key: string };
  /** The API key, 64 hex digits (dashes allowed); a random one when absent. */
  key?: string;
  /** Initial state; the model's default when absent. Not together with an existing `stateFile` or with `api`. */
  state?: EmulatorState;
  /** Loaded at start if it exists; saved atomically after every mutating call and at stop. */
  stateFile?: string;
  /** The semantics to serve; `createAdminApi(state)` when absent. */
  api?: AdminApi;
  /** Unix seconds; `Date.now() / 1000 | 0` when absent. */
  clock?: () => number;
  knobs?: Partial<Knobs>;
  /** Seed of the one generator behind every probabilistic knob. */
  seed?: number;
  /** Brute-force block; ApisCP's 20 failures per 900 s when absent. */
  authLimit?: AuthLimit;
  /** Request bodies above this get HTTP 413; 10 MB when absent. */
  maxBodyBytes?: number;
  /** Where internal errors are reported (never keys or call arguments); silent when absent. */
  log?: (line: string) => void;
}

export interface RunningEmulator {
  /** The SOAP endpoint, without a key. */
  url: string;
  wsdlUrl: string;
  /** The API key clients must send, normalised to 64 lowercase hex digits. */
  key: string;
  /** PEM of the generated certificate, for clients' CA file; absent for HTTP or your own certificate. */
  caCert?: string;
  port: number;
  api: AdminApi;
  calls: CallLog;
  /** Replaces the knobs `k` names; a table given replaces that whole table. */
  setKnobs(k: Partial<Knobs>): void;
  setClock(fn: () => number): void;
  /** Closes the listener and every socket, cancels sleeping calls, saves the state. Idempotent. */
  stop(): Promise<void>;
}

export { DEFAULT_HOST, EmulatorOptionError, checkHost, checkPort, isLoopbackHost, urlHost } from "../../shared/host.js";
