/**
 * One WHM call, from request to outcome: count it, authenticate, apply the shared knobs (latency,
 * a failure instead of the work, withdrawn privileges, a dropped or empty answer after the work),
 * hand it to the model, save the state after a mutating call, and wrap what comes back in the
 * API 1 or API 0 envelope. It decides; the router does the HTTP. It never throws, and never logs
 * parameters or the token.
 */
import type { CallCounter } from "../../shared/calllog.js";
import { afterWork, beforeWork } from "../../shared/faults.js";
import type { FailForm, Knobs } from "../../shared/knobs.js";
import type { Random } from "../../shared/random.js";
import { Params, WHM_FUNCTIONS, WhmRefusal, isWhmFunction, type LoginOutcome, type WhmModel, type WireStyle } from "../model/index.js";
import type { TokenAuth } from "./auth.js";
import { ACCESS_DENIED_BODY, permissionDeniedBody, refusalBody, successBody, type ApiVersion } from "./envelope.js";

export interface CallRequest {
  /** The function named by the path, e.g. `listaccts`. */
  fn: string;
  query: URLSearchParams;
  authorization: string | undefined;
  /** How the caller reached the emulator (`http://127.0.0.1:PORT`), for the login URLs it hands out. */
  origin: string;
}

/** What the HTTP layer must do with a call. */
export type Outcome =
  | { kind: "json"; status: 200 | 401 | 403; body: string }
  /** HTTP 503 (a failure knob) or 200 with nothing in it (returnNull), both without a body. */
  | { kind: "empty"; status: 200 | 503 }
  | { kind: "error"; status: 500 }
  /** Destroy the connection without a word: the caller cannot tell whether the work was done. */
  | { kind: "drop" };

export interface DispatchDeps {
  model: WhmModel;
  auth: TokenAuth;
  user: string;
  calls: CallCounter;
  random: Random;
  knobs: () => Knobs;
  clock: () => number;
  wire: WireStyle;
  /** Persists the state after a mutating call; resolves when it is on disk. */
  save?: () => Promise<void>;
  log: (line: string) => void;
}

/** The in-band answer of the `fault` failure form: a refusal, and nothing was done. */
const UNAVAILABLE = "The service is temporarily unavailable: cpsrvd could not start the request. Try again later.";

export class WhmDispatcher {
  constructor(private readonly deps: DispatchDeps) {}

  /** `signal` aborts when the emulator stops: a call still sleeping then ends with a drop. */
  async handle(request: CallRequest, signal: AbortSignal): Promise<Outcome> {
    try {
      return await this.handleUnsafe(request, signal);
    } catch (err) {
      if (signal.aborted) return { kind: "drop" };
      this.deps.log(`whm emulator: internal error in ${request.fn}: ${describe(err)}`);
      return { kind: "error", status: 500 };
    }
  }

  private async handleUnsafe(request: CallRequest, signal: AbortSignal): Promise<Outcome> {
    const { deps } = this;
    const { fn } = request;
    deps.calls.record(fn);
    if (!deps.auth.allows(request.authorization)) return { kind: "json", status: 401, body: ACCESS_DENIED_BODY };

    const versionText = request.query.get("api.version");
    const version: ApiVersion = versionText === "1" ? 1 : 0;
    const knobs = deps.knobs(); // one reading per call: a setKnobs mid-call does not half-apply
    const failForm = await beforeWork(knobs, deps.random, fn, signal);
    if (failForm !== undefined) return failure(failForm, version, fn);

    if (versionText !== null && versionText !== "1" && versionText !== "0") {
      return refused(1, fn, `Unsupported API version “${versionText}”: use api.version=1.`);
    }
    if (!isWhmFunction(fn)) return refused(version, fn, `Unknown app (“${fn}”) requested for this version (${version}) of the API.`);
    if (knobs.adminDisabled && fn !== "version") {
      return { kind: "json", status: 403, body: permissionDeniedBody(fn, deps.user) };
    }

    let outcome: Outcome;
    try {
      const answer = deps.model.invoke(fn, new Params(request.query), { now: deps.clock(), user: deps.user, wire: deps.wire, origin: request.origin });
      outcome = { kind: "json", status: 200, body: successBody(version, fn, answer) };
    } catch (err) {
      if (!(err instanceof WhmRefusal)) throw err;
      outcome = refused(version, fn, err.message);
    }
    if (WHM_FUNCTIONS[fn].mutating) await this.persist();

    const after = afterWork(knobs, deps.random, fn);
    if (after === "drop") return { kind: "drop" };
    if (after === "null") return { kind: "empty", status: 200 };
    return outcome;
  }

  /** The GET of a login URL: no API credentials, no knobs; the session in the URL is the credential. */
  login(token: string, session: string): LoginOutcome {
    return this.deps.model.login(token, session, this.deps.clock());
  }

  /** Who a panel page's session cookie logs in, if anyone. */
  loggedIn(cookie: string | undefined): string | undefined {
    return this.deps.model.loggedIn(cookie);
  }

  private async persist(): Promise<void> {
    if (!this.deps.save) return;
    try {
      await this.deps.save();
    } catch (err) {
      // The work is done either way; a broken state file is the operator's to see, not the client's.
      this.deps.log(`whm emulator: could not save state: ${describe(err)}`);
    }
  }
}

function refused(version: ApiVersion, fn: string, reason: string): Outcome {
  return { kind: "json", status: 200, body: refusalBody(version, fn, reason) };
}

function failure(form: FailForm, version: ApiVersion, fn: string): Outcome {
  switch (form) {
    case "http503":
      return { kind: "empty", status: 503 };
    case "reset":
      return { kind: "drop" };
    case "fault":
      return refused(version, fn, UNAVAILABLE);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
