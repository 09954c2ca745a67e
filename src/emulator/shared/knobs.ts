/**
 * Knobs: the ways an emulator can be told to misbehave (slow answers, lost requests, lost
 * answers, empty answers, privileges withdrawn), their validation, and the parsing of the CLI's
 * `METHOD=VALUE` spelling. One implementation for every emulator: each passes the names of the
 * methods it serves (KnobMethods), so a knob for a method it does not know is refused as a typo.
 * It only describes misbehaviour; each emulator's dispatcher acts on it (faults.ts) and
 * random.ts supplies the dice.
 */

/** The key that applies to every method without an entry of its own. */
export const ANY_METHOD = "*";

/**
 * How a call picked by `failProbability` fails; in every form the work is NOT done.
 * - `http503`: HTTP 503 with an empty body, like a proxy in front of a restarting panel.
 * - `reset`: the connection is destroyed before any answer.
 * - `fault`: the panel's own in-band error saying the service is unavailable (a SOAP fault,
 *   a JSON envelope with a failed result: whatever that panel's protocol uses).
 */
export type FailForm = "http503" | "reset" | "fault";
export const FAIL_FORMS: readonly FailForm[] = ["http503", "reset", "fault"];

/** Per-method values, keyed by wire method name or `*`. */
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
  /** Probability (0..1) that the work is done and the answer carries nothing (the panel's "null"). */
  returnNull: MethodTable<number>;
  /** The credentials work but lack the privileges for the panel's administrative calls. */
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

/** The methods an emulator serves, for refusing knob entries that name none of them. */
export interface KnobMethods {
  isMethod(name: string): boolean;
  /** A real method name, shown in messages as an example of what to write. */
  example: string;
}

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
export function mergeKnobs(base: Knobs, patch: Partial<Knobs>, methods: KnobMethods): Knobs {
  const merged: Knobs = {
    latencyMs: patch.latencyMs ?? base.latencyMs,
    failProbability: patch.failProbability ?? base.failProbability,
    failForm: patch.failForm ?? base.failForm,
    dropAfterWork: patch.dropAfterWork ?? base.dropAfterWork,
    returnNull: patch.returnNull ?? base.returnNull,
    adminDisabled: patch.adminDisabled ?? base.adminDisabled,
  };
  const check = <T>(name: string, table: MethodTable<T>, ok: (v: T) => boolean, expected: string): void => {
    for (const [method, value] of Object.entries(table)) {
      checkMethod(method, name, methods);
      if (!ok(value)) throw new KnobError(`${name}[${method}] must be ${expected}, got ${String(value)}`);
    }
  };
  check("latencyMs", merged.latencyMs, (v) => Number.isFinite(v) && v >= 0, "a number of milliseconds ≥ 0");
  for (const name of ["failProbability", "dropAfterWork", "returnNull"] as const) {
    check(name, merged[name], (v) => Number.isFinite(v) && v >= 0 && v <= 1, "a probability between 0 and 1");
  }
  check("failForm", merged.failForm, (v) => FAIL_FORMS.includes(v), `one of ${FAIL_FORMS.join(", ")}`);
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

/** Knob entries for methods the emulator does not serve are almost always typos, so they are refused. */
function checkMethod(method: string, knob: string, methods: KnobMethods): void {
  if (method !== ANY_METHOD && !methods.isMethod(method)) {
    throw new KnobError(`${knob}: unknown method '${method}' (use a wire name such as ${methods.example}, or *)`);
  }
}

// ---- CLI spelling: METHOD=VALUE -------------------------------------------------------------

function splitEntry(text: string, knob: string, methods: KnobMethods): [string, string] {
  const eq = text.indexOf("=");
  if (eq <= 0 || eq === text.length - 1) {
    const examples = knob === "--latency" ? `${methods.example}=250 or *=20` : `${methods.example}=50% or *=0.1`;
    throw new KnobError(`${knob} '${text}' must look like METHOD=VALUE (for example ${examples})`);
  }
  const method = text.slice(0, eq).trim();
  checkMethod(method, knob, methods);
  return [method, text.slice(eq + 1).trim()];
}

/** `"METHOD=250"` → `["METHOD", 250]` (milliseconds). */
export function parseLatency(text: string, methods: KnobMethods): [string, number] {
  const [method, value] = splitEntry(text, "--latency", methods);
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(ms)) throw new KnobError(`--latency '${text}': '${value}' is not a number of milliseconds`);
  return [method, ms];
}

/**
 * `"*=0.1"` or `"*=10%"` → `["*", 0.1]`. A bare number is a probability from 0 to 1 and a
 * number with `%` a percentage, so `0.5` and `50%` both mean half the calls. A bare number
 * above 1 is refused rather than read as a percentage: `1` would otherwise be ambiguous
 * (every call, or one in a hundred), and the old spelling (`50` meaning 50 %) must not
 * silently turn into something else.
 */
export function parseProbability(text: string, knob: string, methods: KnobMethods): [string, number] {
  const [method, value] = splitEntry(text, knob, methods);
  return [method, probability(value, text, knob)];
}


/** Digits with an optional fraction (`50`, `2.5`, `.5`); no sign, so a negative value is refused as not a number. */
const NUMBER = /^\d+(\.\d+)?$|^\.\d+$/;

function probability(value: string, text: string, knob: string): number {
  const percent = value.endsWith("%");
  const digits = (percent ? value.slice(0, -1) : value).trim();
  const n = NUMBER.test(digits) ? Number(digits) : NaN;
  if (Number.isNaN(n)) {
    throw new KnobError(`${knob} '${text}': '${value}' is neither a probability from 0 to 1 (0.5) nor a percentage from 0% to 100% (50%)`);
  }
  if (percent) {
    if (n > 100) throw new KnobError(`${knob} '${text}': ${value} is more than 100%; give a percentage from 0% to 100%, or a probability from 0 to 1`);
    return n / 100;
  }
  if (n > 1) {
    const instead = n <= 100 ? `for ${n} per cent write ${n}%` : "a percentage is written with % and goes up to 100%";
    throw new KnobError(`${knob} '${text}': ${value} is not a probability from 0 to 1 (0.5 means half the calls); ${instead}`);
  }
  return n;
}

/** `"METHOD=0.5"`, `"METHOD=50%"` or `"METHOD=50%:reset"` → method, probability and failure form. */
export function parseFail(text: string, methods: KnobMethods): [string, number, FailForm | undefined] {
  const [method, value] = splitEntry(text, "--fail", methods);
  const colon = value.indexOf(":");
  const form = colon < 0 ? undefined : value.slice(colon + 1);
  if (form !== undefined && !(FAIL_FORMS as readonly string[]).includes(form)) {
    throw new KnobError(`--fail '${text}': failure form '${form}' is not one of ${FAIL_FORMS.join(", ")}`);
  }
  const p = probability(colon < 0 ? value : value.slice(0, colon), text, "--fail");
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
export function knobsFromFlags(flags: KnobFlags, methods: KnobMethods): Knobs {
  const latencyMs: Record<string, number> = {};
  const failProbability: Record<string, number> = {};
  const failForm: Record<string, FailForm> = {};
  const dropAfterWork: Record<string, number> = {};
  const returnNull: Record<string, number> = {};
  for (const entry of flags.latency ?? []) {
    const [method, ms] = parseLatency(entry, methods);
    latencyMs[method] = ms;
  }
  for (const entry of flags.fail ?? []) {
    const [method, p, form] = parseFail(entry, methods);
    failProbability[method] = p;
    if (form !== undefined) failForm[method] = form;
  }
  for (const entry of flags.drop ?? []) {
    const [method, p] = parseProbability(entry, "--drop", methods);
    dropAfterWork[method] = p;
  }
  for (const entry of flags.null ?? []) {
    const [method, p] = parseProbability(entry, "--null", methods);
    returnNull[method] = p;
  }
  return mergeKnobs(
    DEFAULT_KNOBS,
    { latencyMs, failProbability, failForm, dropAfterWork, returnNull, adminDisabled: flags.adminDisabled ?? false },
    methods,
  );
}
