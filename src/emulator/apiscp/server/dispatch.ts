/**
 * One SOAP call, from request body to outcome: count it, authenticate, apply the knobs, hand it
 * to the AdminApi, and turn what comes back into what ApisCP would send (a result, a fault, or
 * `false`/nil when the caller did not ask for `Abort-On: error`). It decides; server.ts does the
 * HTTP. It never throws, and never logs arguments or keys (arguments carry passwords).
 */
import { ApiFault, type AdminApi } from "../api.js";
import { METHODS, isMethodName } from "../../../providers/apiscp/methods.js";
import type { SoapValue } from "../../../providers/apiscp/wire/value.js";
import type { CallCounter } from "../../shared/calllog.js";
import { afterWork, beforeWork } from "../../shared/faults.js";
import type { FailForm, Knobs } from "../../shared/knobs.js";
import type { Random } from "../../shared/random.js";
import type { Authenticator, Credentials } from "./auth.js";
import { faultXml, readCall, resultXml } from "./codec.js";

/** What the HTTP layer must do with a call. */
export type Outcome =
  | { kind: "reply"; status: 200 | 500; xml: string }
  | { kind: "empty"; status: 503 }
  /** Destroy the connection without a word: the caller cannot tell whether the work was done. */
  | { kind: "drop" };

export interface CallRequest {
  body: string;
  credentials: Credentials;
  /** The `Abort-On` header, if any. */
  abortOn: string | undefined;
}

export interface DispatchDeps {
  api: AdminApi;
  auth: Authenticator;
  calls: CallCounter;
  random: Random;
  knobs: () => Knobs;
  clock: () => number;
  /** Persists the state after a mutating call; resolves when it is on disk. */
  save?: () => Promise<void>;
  log: (line: string) => void;
}

const ADMIN_PREFIX = "admin_";
/**
 * Calls a hijacked site session may not make either: the api does not know which session calls
 * it, so a password change through one could name any site. Real ApisCP lets a site change its
 * own password; the emulator keeps that to the admin key.
 */
const ADMIN_ONLY = new Set(["auth_change_password"]);

/**
 * `Abort-On` names the lowest severity that aborts the call. The api raises error-level
 * problems, so `error` and anything stricter turn them into faults; `fatal` (and no header)
 * leave them as ApisCP's quiet false/null.
 */
export function abortsOnError(header: string | undefined): boolean {
  if (header === undefined) return false;
  const levels = header.toLowerCase().split(/[\s,|]+/);
  return levels.some((l) => ["error", "warning", "warn", "info", "debug", "deprecated"].includes(l));
}

const clientFault = (message: string): Outcome => ({ kind: "reply", status: 500, xml: faultXml("SOAP-ENV:Client", message) });
const serverFault = (message: string): Outcome => ({ kind: "reply", status: 500, xml: faultXml("SOAP-ENV:Server", message) });

export class Dispatcher {
  constructor(private readonly deps: DispatchDeps) {}

  /** `signal` aborts when the emulator stops: a call still sleeping then ends with a drop. */
  async handle(request: CallRequest, signal: AbortSignal): Promise<Outcome> {
    try {
      return await this.handleUnsafe(request, signal);
    } catch (err) {
      if (signal.aborted) return { kind: "drop" };
      this.deps.log(`emulator: internal error: ${describe(err)}`);
      return serverFault("internal error");
    }
  }

  private async handleUnsafe(request: CallRequest, signal: AbortSignal): Promise<Outcome> {
    const { deps } = this;
    const decoded = readCall(request.body);
    deps.calls.record(decoded.ok ? decoded.call.operation : undefined);

    // Like ApisCP, the key is checked before the envelope is looked at: a stranger learns nothing.
    const auth = deps.auth.check(request.credentials, deps.clock());
    if (!auth.ok) return clientFault(auth.message);
    if (!decoded.ok) return clientFault(`Malformed SOAP request: ${decoded.message}`);

    const { operation, args } = decoded.call;
    const knobs = deps.knobs(); // one reading per call: a setKnobs mid-call does not half-apply
    const failForm = await beforeWork(knobs, deps.random, operation, signal);
    if (failForm !== undefined) return failure(failForm);

    const mutating = isMethodName(operation) && METHODS[operation].mutating;
    const strict = abortsOnError(request.abortOn);
    let outcome: Outcome;
    try {
      const value = this.invoke(operation, args, auth.as, knobs);
      outcome = { kind: "reply", status: 200, xml: resultXml(operation, value) };
    } catch (err) {
      outcome = this.failed(err, operation, mutating, strict);
    }
    if (mutating) await this.persist();

    if (outcome.kind === "reply" && outcome.status === 200) {
      const after = afterWork(knobs, deps.random, operation);
      if (after === "drop") return { kind: "drop" };
      if (after === "null") return { kind: "reply", status: 200, xml: resultXml(operation, null) };
    }
    return outcome;
  }

  private invoke(operation: string, args: SoapValue[], as: "admin" | "session", knobs: Knobs): SoapValue {
    if (operation.startsWith(ADMIN_PREFIX)) {
      if (knobs.adminDisabled) {
        throw new ApiFault(`${operation}: access denied: the admin API is disabled on this server ([auth] admin_api = false)`);
      }
      if (as === "session") {
        throw new ApiFault(`${operation}: access denied: a hijacked site session may not call admin methods`);
      }
    }
    if (as === "session" && ADMIN_ONLY.has(operation)) {
      throw new ApiFault(`${operation}: access denied: the emulator takes this call with the API key only`);
    }
    const value = this.deps.api.invoke(operation, args, { now: this.deps.clock() });
    if (value === null && isMethodName(operation) && METHODS[operation].mutating) {
      // Clients retry a null answer up to 5 times: a mutating success must never look like one.
      throw new Error(`${operation} succeeded but the api returned null`);
    }
    return value;
  }

  private failed(err: unknown, operation: string, mutating: boolean, strict: boolean): Outcome {
    if (!(err instanceof ApiFault)) {
      this.deps.log(`emulator: internal error in ${operation}: ${describe(err)}`);
      return serverFault("internal error");
    }
    if (strict) return serverFault(err.message);
    // Without Abort-On, ApisCP swallows the error into the return value.
    return { kind: "reply", status: 200, xml: resultXml(operation, mutating ? false : null) };
  }

  private async persist(): Promise<void> {
    if (!this.deps.save) return;
    try {
      await this.deps.save();
    } catch (err) {
      // The work is done either way; a broken state file is the operator's to see, not the client's.
      this.deps.log(`emulator: could not save state: ${describe(err)}`);
    }
  }
}

function failure(form: FailForm): Outcome {
  switch (form) {
    case "http503":
      return { kind: "empty", status: 503 };
    case "reset":
      return { kind: "drop" };
    case "fault":
      return serverFault("Service temporarily unavailable, try again later");
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
