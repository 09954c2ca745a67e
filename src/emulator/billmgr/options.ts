/**
 * What a caller may ask of the BILLmanager emulator (BillmgrEmulatorOptions) and what it gets
 * back (RunningBillmgrEmulator), plus the checks on the credentials it is given.
 */
import { randomBytes } from "node:crypto";
import type { CallLog } from "../shared/calllog.js";
import { EmulatorOptionError } from "../shared/host.js";
import type { Knobs } from "../shared/knobs.js";
import type { TlsOption } from "../shared/tls.js";
import type { BillmgrOrderRecord, BillmgrServiceRecord, BillmgrStateInput } from "./model/index.js";

export interface BillmgrEmulatorOptions {
  /** Address to listen on; 127.0.0.1 by default. Only loopback unless `allowNonLoopback`. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** true: HTTPS with a certificate made now (see `caCert`); or your own PEM pair. */
  tls?: TlsOption;
  /** The BILLmanager user; "reseller" by default. */
  user?: string;
  /** The user's password; a fresh random one when absent. */
  password?: string;
  /** Initial account; the default state (one datacenter, five tariffs, 1000.00, no services) when absent. */
  state?: BillmgrStateInput;
  /** Loaded at start if it exists (not together with `state`); saved after every call and at stop. */
  stateFile?: string;
  /** The shared fault knobs; method names are `func` values. */
  knobs?: Partial<Knobs>;
  /** Seed of the one generator behind every probabilistic knob. */
  seed?: number;
  /** Unix seconds; `Date.now() / 1000 | 0` when absent. */
  clock?: () => number;
  /** Idle seconds after which a session expires; 3600 (BILLmanager's hour) by default. */
  sessionTtlSeconds?: number;
  /** List reads a service shows each passing status (1 after an order, then 5) for; 1 by default, 0 for immediate changes. */
  processingSteps?: number;
  /** Anyone holding the password can use the emulator; off loopback that is anyone on the network. */
  allowNonLoopback?: boolean;
  /** Where internal errors are reported (never passwords, session ids or parameters); silent when absent. */
  log?: (line: string) => void;
}

export interface RunningBillmgrEmulator {
  /** The endpoint, e.g. http://127.0.0.1:PORT/billmgr. */
  url: string;
  /** e.g. http://127.0.0.1:PORT */
  origin: string;
  user: string;
  password: string;
  /** PEM of the generated certificate, for clients' CA file; absent for HTTP or your own certificate. */
  caCert?: string;
  port: number;
  /** Copies of the current services, for tests. */
  services(): readonly BillmgrServiceRecord[];
  /** The balance in currency units. */
  balance(): number;
  /** Every order, renewal and add-on increase charged, oldest first. */
  orders(): readonly BillmgrOrderRecord[];
  /** Requests per `func`. */
  calls: CallLog;
  /** Replaces the knobs `patch` names; a table given replaces that whole table. */
  setKnobs(patch: Partial<Knobs>): void;
  setClock(fn: () => number): void;
  /** Ends every session now, as an hour of idleness would. */
  expireSessions(): void;
  /** Closes the listener and every socket, cancels sleeping calls, saves the state. Idempotent. */
  stop(): Promise<void>;
}

export const DEFAULT_USER = "reseller";
export const DEFAULT_SESSION_TTL = 3600;

/** 24 characters of URL-safe base64 from node:crypto. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}

export function checkUser(user: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/.test(user)) {
    throw new EmulatorOptionError(`the BILLmanager user "${user}" is not valid: use 1 to 64 letters, digits and . _ @ + - (an email address works)`);
  }
  return user;
}

/** The password as given; the message never repeats it. */
export function checkPassword(password: string): string {
  if (password.length < 8 || password.length > 256 || /[\s\0]/.test(password)) {
    throw new EmulatorOptionError("the BILLmanager password must be 8 to 256 characters without spaces or control characters");
  }
  return password;
}

export function checkNonNegativeInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new EmulatorOptionError(`${name} must be a whole number ≥ 0, got ${value}`);
  return value;
}
