/**
 * One BILLmanager call, from form parameters to outcome: count it by `func`, insist on
 * `out=json`, log in (`func=auth`) or authenticate (session or authinfo), apply the shared knobs
 * (latency, a failure instead of the work, withdrawn privileges, a dropped or empty answer after
 * the work), hand it to the model, save the state, and wrap the answer in `doc`. It decides; the
 * router does the HTTP. It never throws, and never logs parameters, passwords or session ids.
 */
import type { CallCounter } from "../../shared/calllog.js";
import { afterWork, beforeWork } from "../../shared/faults.js";
import type { FailForm, Knobs } from "../../shared/knobs.js";
import type { Random } from "../../shared/random.js";
import { BillmgrRefusal, Params, needsAdmin, parseFunction, type BillmgrModel, type Filter, type Itemtype } from "../model/index.js";
import type { Credentials, Sessions } from "./auth.js";
import { docBody, emptyBody, errorBody } from "./envelope.js";

/** What the HTTP layer must do with a call. */
export type Outcome =
  | { kind: "json"; body: string }
  /** HTTP 503 without a body: the `http503` failure form. */
  | { kind: "unavailable" }
  | { kind: "error" }
  /** Destroy the connection without a word: the caller cannot tell whether the work was done. */
  | { kind: "drop" };

export interface DispatchDeps {
  model: BillmgrModel;
  credentials: Credentials;
  sessions: Sessions;
  calls: CallCounter;
  random: Random;
  knobs: () => Knobs;
  clock: () => number;
  processingSteps: number;
  /** Persists the state after a call that reached the model; resolves when it is on disk. */
  save?: () => Promise<void>;
  log: (line: string) => void;
}

/** The access level `func=auth` reports: a client account (16) rather than an administrator [I]. */
const USER_LEVEL = "16";

export class BillmgrDispatcher {
  constructor(private readonly deps: DispatchDeps) {}

  /** `signal` aborts when the emulator stops: a call still sleeping then ends with a drop. */
  async handle(form: URLSearchParams, signal: AbortSignal): Promise<Outcome> {
    const fn = form.get("func") ?? "";
    try {
      return await this.handleUnsafe(fn, new Params(form), signal);
    } catch (err) {
      if (signal.aborted) return { kind: "drop" };
      this.deps.log(`billmgr emulator: internal error in ${fn}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return { kind: "error" };
    }
  }

  private async handleUnsafe(fn: string, params: Params, signal: AbortSignal): Promise<Outcome> {
    const { deps } = this;
    deps.calls.record(fn === "" ? undefined : fn);
    const out = params.get("out");
    if (out !== "json") {
      return refused(fn, "value", "out", `The emulator answers only out=json (got ${out === undefined ? "no out" : `out=${out}`}); send out=json`);
    }
    if (fn === "") return refused(fn, "missed", "func", "No function given: send func=<name>");

    if (fn === "auth") return this.login(params, signal);
    const who = this.authenticate(params);
    if (who === undefined) {
      return refused(fn, "auth", "session", "Not authorized: the session is unknown or has expired. Log in again with func=auth");
    }

    const knobs = deps.knobs(); // one reading per call: a setKnobs mid-call does not half-apply
    const failForm = await beforeWork(knobs, deps.random, fn, signal);
    if (failForm !== undefined) return failure(failForm, fn);
    const parsed = parseFunction(fn);
    if (parsed === undefined || parsed.kind === "auth") return refused(fn, "missed", "func", `Function '${fn}' not found`);
    if (knobs.adminDisabled && needsAdmin(parsed)) {
      return refused(fn, "access", fn, `Access denied: user '${who.user}' does not have the privileges for '${fn}' (Access level: admin)`);
    }

    let outcome: Outcome;
    try {
      const answer = deps.model.invoke(parsed, params, { now: deps.clock(), user: who.user, filters: who.filters, processingSteps: deps.processingSteps });
      outcome = { kind: "json", body: docBody(fn, answer) };
    } catch (err) {
      if (!(err instanceof BillmgrRefusal)) throw err;
      outcome = refused(fn, err.type, err.object, err.message);
    }
    // Lists change state too (a service in passing moves on), so every call that reached the model saves.
    await this.persist();
    return after(knobs, deps.random, fn, outcome);
  }

  private async login(params: Params, signal: AbortSignal): Promise<Outcome> {
    const { deps } = this;
    const knobs = deps.knobs();
    const failForm = await beforeWork(knobs, deps.random, "auth", signal);
    if (failForm !== undefined) return failure(failForm, "auth");
    const user = params.get("username");
    let outcome: Outcome;
    if (user === undefined || !deps.credentials.allows(user, params.get("password"))) {
      outcome = refused("auth", "auth", "username", "Invalid username or password");
    } else {
      const id = deps.sessions.open(user);
      outcome = { kind: "json", body: docBody("auth", { auth: { id, level: USER_LEVEL } }) };
    }
    return after(knobs, deps.random, "auth", outcome);
  }

  /** The caller and their filters, or undefined when neither a live session nor valid authinfo came. */
  private authenticate(params: Params): { user: string; filters: Map<Itemtype, Filter> } | undefined {
    const { sessions, credentials } = this.deps;
    const sessionId = params.get("auth");
    if (sessionId !== undefined && sessionId !== "") {
      const session = sessions.use(sessionId);
      return session && { user: session.user, filters: session.filters };
    }
    const authinfo = params.get("authinfo");
    if (authinfo !== undefined && credentials.allowsAuthinfo(authinfo)) return { user: credentials.user, filters: sessions.filtersOf(credentials.user) };
    return undefined;
  }

  private async persist(): Promise<void> {
    if (!this.deps.save) return;
    try {
      await this.deps.save();
    } catch (err) {
      // The work is done either way; a broken state file is the operator's to see, not the client's.
      this.deps.log(`billmgr emulator: could not save state: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function after(knobs: Knobs, random: Random, fn: string, outcome: Outcome): Outcome {
  const verdict = afterWork(knobs, random, fn);
  if (verdict === "drop") return { kind: "drop" };
  if (verdict === "null") return { kind: "json", body: emptyBody(fn) };
  return outcome;
}

function refused(fn: string, type: BillmgrRefusal["type"], object: string, message: string): Outcome {
  return { kind: "json", body: errorBody(fn, type, object, message) };
}

function failure(form: FailForm, fn: string): Outcome {
  switch (form) {
    case "http503":
      return { kind: "unavailable" };
    case "reset":
      return { kind: "drop" };
    case "fault":
      return refused(fn, "sys", fn, "The service is temporarily unavailable: the panel could not run the request. Try again later");
  }
}
