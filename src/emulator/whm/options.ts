/**
 * What a caller may ask of the WHM emulator (WhmEmulatorOptions) and what it gets back
 * (RunningWhmEmulator), plus the checks on the credentials it is given.
 */
import { randomInt } from "node:crypto";
import type { CallLog } from "../shared/calllog.js";
import { EmulatorOptionError } from "../shared/host.js";
import type { Knobs } from "../shared/knobs.js";
import type { TlsOption } from "../shared/tls.js";
import type { WhmAccountRecord, WhmPackageRecord, WhmStateInput, WireStyle } from "./model/index.js";

export interface WhmEmulatorOptions {
  /** Address to listen on; 127.0.0.1 by default. Only loopback unless `allowNonLoopback`. */
  host?: string;
  /** Anyone holding the token can use the emulator; off loopback that is anyone on the network. */
  allowNonLoopback?: boolean;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** true: HTTPS with a certificate made now (see `caCert`); or your own PEM pair. */
  tls?: TlsOption;
  /** The WHM user in `Authorization: whm USER:TOKEN`; "root" by default. */
  user?: string;
  /** The API token; a fresh 32-character [A-Z0-9] one (like WHM's) when absent. */
  token?: string;
  /** Initial accounts and packages; the default state (three packages, no accounts) when absent. */
  state?: WhmStateInput;
  /** Loaded at start if it exists (not together with `state`); saved after every mutating call and at stop. */
  stateFile?: string;
  /** The shared fault knobs; method names are WHM function names. */
  knobs?: Partial<Knobs>;
  /** Seed of the one generator behind every probabilistic knob. */
  seed?: number;
  /** Unix seconds; `Date.now() / 1000 | 0` when absent. */
  clock?: () => number;
  /** How limits come out in listaccts, accountsummary and listpkgs (see WireStyle); `observed` by default. */
  wire?: WireStyle;
  /** Where internal errors are reported (never tokens or parameters); silent when absent. */
  log?: (line: string) => void;
}

export interface RunningWhmEmulator {
  /** The API base, e.g. http://127.0.0.1:PORT/json-api: calls are `${url}/FUNCTION?api.version=1&…`. */
  url: string;
  /** e.g. http://127.0.0.1:PORT */
  origin: string;
  user: string;
  token: string;
  /** PEM of the generated certificate, for clients' CA file; absent for HTTP or your own certificate. */
  caCert?: string;
  port: number;
  /** Copies of the current records, for tests. */
  accounts(): readonly WhmAccountRecord[];
  packages(): readonly WhmPackageRecord[];
  /**
   * Sets what an account has used, as listaccts (`diskused`, MB) and showbw (`totalbytes`, this
   * month) report it; the state's `accounts[].usage` seeds the same at start. Throws for a user
   * the emulator does not have.
   */
  setUsage(user: string, usage: { diskMb?: number; bandwidthBytes?: number }): void;
  /** Whether `password` is the account's current password (the emulator keeps a salted hash only). */
  passwordMatches(user: string, password: string): boolean;
  /** Requests per WHM function. */
  calls: CallLog;
  /** Replaces the knobs `patch` names; a table given replaces that whole table. */
  setKnobs(patch: Partial<Knobs>): void;
  setClock(fn: () => number): void;
  /** Closes the listener and every socket, cancels sleeping calls, saves the state. Idempotent. */
  stop(): Promise<void>;
}

export const DEFAULT_USER = "root";
const TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A token in the form WHM's Manage API Tokens shows: 32 characters, A–Z and 0–9. */
export function generateToken(): string {
  return Array.from({ length: 32 }, () => TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)]).join("");
}

export function checkUser(user: string): string {
  if (!/^[a-z][a-z0-9_-]{0,31}$/.test(user)) {
    throw new EmulatorOptionError(
      `the WHM user "${user}" is not a valid username (lowercase letters, digits, _ and -, starting with a letter)`,
    );
  }
  return user;
}

/** The token as given; the message never repeats it. */
export function checkToken(token: string): string {
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) {
    throw new EmulatorOptionError(
      "the API token must be 16 to 128 characters of letters, digits, _ and - (WHM's own are 32 characters A-Z and 0-9)",
    );
  }
  return token;
}
