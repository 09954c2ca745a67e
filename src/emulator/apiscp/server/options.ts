/**
 * What a caller may ask of the emulator (EmulatorOptions) and what it gets back
 * (RunningEmulator), plus the checks that turn a wrong option into a clear error before anything
 * listens: a non-loopback address, a malformed key, contradictory sources of state.
 */
import { isIP } from "node:net";
import type { AdminApi, EmulatorState } from "../api.js";
import type { AuthLimit } from "./auth.js";
import type { CallLog } from "./calllog.js";
import type { Knobs } from "./knobs.js";

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

/** An option the emulator cannot honour; the message says which and why. */
export class EmulatorOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmulatorOptionError";
  }
}

export const DEFAULT_HOST = "127.0.0.1";

/** localhost, 127.0.0.0/8 and ::1 (also as an IPv4-mapped address). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === "localhost") return true;
  const v4 = bare.toLowerCase().startsWith("::ffff:") ? bare.slice(7) : bare;
  if (isIP(v4) === 4) return v4.split(".")[0] === "127";
  // The URL parser writes IPv6 literals canonically, so 0:0:0:0:0:0:0:1 and ::1 compare equal.
  if (isIP(bare) === 6) return new URL(`http://[${bare}]/`).hostname === "[::1]";
  return false;
}

export function checkHost(host: string, allowNonLoopback: boolean): string {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (!allowNonLoopback && !isLoopbackHost(bare)) {
    throw new EmulatorOptionError(
      `refusing to listen on ${host}: the emulator is for loopback only (anyone who can reach it can use it); ` +
        `pass allowNonLoopback to override`,
    );
  }
  return bare;
}

/** The URL host part: IPv6 literals in brackets. */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

export function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new EmulatorOptionError(`port must be an integer from 0 to 65535, got ${port}`);
  }
  return port;
}
