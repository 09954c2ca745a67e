/**
 * Knobs: the ways the emulator can be told to misbehave (slow answers, lost requests, lost
 * answers, null answers, the admin API switched off), their validation, and the parsing of the
 * CLI's `METHOD=VALUE` spelling. It only describes misbehaviour; the dispatcher acts on it and
 * random.ts supplies the dice.
 */
import { isMethodName } from "../../../providers/apiscp/methods.js";

/** The key that applies to every method without an entry of its own. */
export const ANY_METHOD = "*";

/**
 * How a call picked by `failProbability` fails; in every form the work is NOT done.
 * - `http503`: HTTP 503 with an empty body, like a proxy in front of a restarting panel.
 * - `reset`: the connection is destroyed before any answer.
 * - `fault`: a SOAP-ENV:Server fault saying the service is unavailable.
 */
export type FailForm = "http503" | "reset" | "fault";
export const FAIL_FORMS: readonly FailForm[] = ["http503", "reset", "fault"];

/** Per-method values, keyed by wire operation name or `*`. */
export type MethodTable<T> = Readonly<Record<string, T>>;

export interface Knobs {
  /** Milliseconds to wait before doing the work. */
  latencyMs: MethodTable<number>;
  /** Probability (0..1) that a call fails in transport without doing the work. */
  failProbability: MethodTable<number>;
  /** Which failure `failProbability` produces; `http503` when not given. */
  failForm: MethodTable<FailForm>;
  /** Probability (0..1) that the work is done and then the connection is dropped unanswered. */
  dropAfterWork: MethodTable<number>;
  /** Probability (0..1) that the work is done and the answer is `xsi:nil`. */
  returnNull: MethodTable<number>;
  /** As `[auth] admin_api = false` on a real server: admin_* calls are refused. */
  adminDisabled: boolean;
}

export const DEFAULT_KNOBS: Knobs = Object.freeze({
  latencyMs: {},
  failProbability: {},
  failForm: {},
  dropAfterWork: {},
  returnNull: {},
  adminDisabled: false,
});

/** A knob value that does not make sense; the message names the knob and the entry. */
export class KnobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KnobError";
  }
}

/** The value for `method`: its own entry, else the `*` entry, else undefined. */
export function knobFor<T>(table: MethodTable<T>, method: string): T | undefined {
  if (Object.hasOwn(table, method)) return table[method];
  return Object.hasOwn(table, ANY_METHOD) ? table[ANY_METHOD] : undefined;
}

/**
 * `base` with the fields `patch` names replaced whole (a table in `patch` is the new table, not
 * merged entry by entry, so a test can clear a knob with `{}`). Throws KnobError on a bad value.
 */
export function mergeKnobs(base: Knobs, patch: Partial<Knobs>): Knobs {
  const merged: Knobs = {
    latencyMs: patch.latencyMs ?? base.latencyMs,
    failProbability: patch.failProbability ?? base.failProbability,
    failForm: patch.failForm ?? base.failForm,
    dropAfterWork: patch.dropAfterWork ?? base.dropAfterWork,
    returnNull: patch.returnNull ?? base.returnNull,
    adminDisabled: patch.adminDisabled ?? base.adminDisabled,
  };
  checkTable("latencyMs", merged.latencyMs, (v) => Number.isFinite(v) && v >= 0, "a number of milliseconds ≥ 0");
  for (const name of ["failProbability", "dropAfterWork", "returnNull"] as const) {
    checkTable(name, merged[name], (v) => Number.isFinite(v) && v >= 0 && v <= 1, "a probability between 0 and 1");
  }
  checkTable("failForm", merged.failForm, (v) => FAIL_FORMS.includes(v), `one of ${FAIL_FORMS.join(", ")}`);
  if (typeof merged.adminDisabled !== "boolean") throw new KnobError("adminDisabled must be true or false");
  // Frozen copies: the running emulator reads them concurrently, nobody should edit in place.
  return Object.freeze({
    ...merged,
    latencyMs: Object.freeze({ ...merged.latencyMs }),
    failProbability: Object.freeze({ ...merged.failProbability }),
    failForm: Object.freeze({ ...merged.failForm }),
    dropAfterWork: Object.freeze({ ...merged.dropAfterWork }),
    returnNull: Object.freeze({ ...merged.returnNull }),
  });
}

function checkTable<T>(name: string, table: MethodTable<T>, ok: (v: T) => boolean, expected: string): void {
  for (const [method, value] of Object.entries(table)) {
    checkMethod(method, name);
    if (!ok(value)) throw new KnobError(`${name}[${method}] must be ${expected}, got ${String(value)}`);
  }
}

/** Knob entries for methods siteform does not speak are almost always typos, so they are refused. */
function checkMethod(method: string, knob: string): void {
  if (method !== ANY_METHOD && !isMethodName(method)) {
    throw new KnobError(`${knob}: unknown method '${method}' (use a wire name such as admin_add_site, or *)`);
  }
}

// ---- CLI spelling: METHOD=VALUE -------------------------------------------------------------

function splitEntry(text: string, knob: string): [string, string] {
  const eq = text.indexOf("=");
  if (eq <= 0 || eq === text.length - 1) {
    throw new KnobError(`${knob} '${text}' must look like METHOD=VALUE (for example admin_add_site=50 or *=10)`);
  }
  const method = text.slice(0, eq).trim();
  checkMethod(method, knob);
  return [method, text.slice(eq + 1).trim()];
}

/** `"admin_add_site=250"` → `["admin_add_site", 250]` (milliseconds). */
export function parseLatency(text: string): [string, number] {
  const [method, value] = splitEntry(text, "--latency");
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(ms)) throw new KnobError(`--latency '${text}': '${value}' is not a number of milliseconds`);
  return [method, ms];
}

/** `"*=10"` → `["*", 0.1]`: on the command line probabilities are percentages (a trailing % is allowed). */
export function parsePercent(text: string, knob: string): [string, number] {
  const [method, value] = splitEntry(text, knob);
  return [method, percent(value, text, knob)];
}

function percent(value: string, text: string, knob: string): number {
  const digits = value.endsWith("%") ? value.slice(0, -1) : value;
  const p = /^\d+(\.\d+)?$/.test(digits) ? Number(digits) : NaN;
  if (!(p >= 0 && p <= 100)) throw new KnobError(`${knob} '${text}': '${value}' is not a percentage from 0 to 100`);
  return p / 100;
}

/** `"admin_add_site=50"` or `"admin_add_site=50:reset"` → method, probability and failure form. */
export function parseFail(text: string): [string, number, FailForm | undefined] {
  const [method, value] = splitEntry(text, "--fail");
  const colon = value.indexOf(":");
  const form = colon < 0 ? undefined : value.slice(colon + 1);
  if (form !== undefined && !(FAIL_FORMS as readonly string[]).includes(form)) {
    throw new KnobError(`--fail '${text}': failure form '${form}' is not one of ${FAIL_FORMS.join(", ")}`);
  }
  const p = percent(colon < 0 ? value : value.slice(0, colon), text, "--fail");
  return [method, p, form as FailForm | undefined];
}

/** The CLI's repeatable knob flags, as commander collects them. */
export interface KnobFlags {
  latency?: readonly string[];
  fail?: readonly string[];
  drop?: readonly string[];
  null?: readonly string[];
  adminDisabled?: boolean;
}

/** Turns the CLI's flags into knobs; a later entry for the same method wins. Throws KnobError. */
export function knobsFromFlags(flags: KnobFlags): Knobs {
  const latencyMs: Record<string, number> = {};
  const failProbability: Record<string, number> = {};
  const failForm: Record<string, FailForm> = {};
  const dropAfterWork: Record<string, number> = {};
  const returnNull: Record<string, number> = {};
  for (const entry of flags.latency ?? []) {
    const [method, ms] = parseLatency(entry);
    latencyMs[method] = ms;
  }
  for (const entry of flags.fail ?? []) {
    const [method, p, form] = parseFail(entry);
    failProbability[method] = p;
    if (form !== undefined) failForm[method] = form;
  }
  for (const entry of flags.drop ?? []) {
    const [method, p] = parsePercent(entry, "--drop");
    dropAfterWork[method] = p;
  }
  for (const entry of flags.null ?? []) {
    const [method, p] = parsePercent(entry, "--null");
    returnNull[method] = p;
  }
  return mergeKnobs(DEFAULT_KNOBS, {
    latencyMs,
    failProbability,
    failForm,
    dropAfterWork,
    returnNull,
    adminDisabled: flags.adminDisabled ?? false,
  });
}
