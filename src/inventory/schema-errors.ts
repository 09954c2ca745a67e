/**
 * Words ajv's schema violations as diagnostics a hosting operator can act on: the position
 * of the offending field (its key for unknown or refused fields), a one-line message and a
 * hint taken from the schema itself (descriptions, titles, examples) or from a near miss.
 * Never quotes a value that looks like a credential, and never quotes a secret field at all.
 */
import { domainToASCII } from "node:url";
import type { ErrorObject } from "ajv";
import type { Diagnostic, DiagnosticCode } from "../model/index.js";
import { error } from "./diagnostics.js";
import { MAX_SCHEMA_PROBLEMS_PER_FILE, tooManyProblems } from "./limits.js";
import { formatPath, isRecord, pointerToPath, type PathSegment } from "./field-path.js";
import { SET_ELSEWHERE_KEYWORD } from "./schema.js";
import { SECRET_HINT, SECRET_KEYWORD, isPasswordLikeName, looksLikeCredential } from "./secrets.js";
import { closest, suggestion } from "../text/suggest.js";
import type { Anchor, YamlSource } from "./yaml-source.js";

/** Keywords whose failure only repeats what a more specific error says. */
const NOISE = new Set(["if", "then", "else", "propertyNames", "not", "allOf", "$ref"]);

/** What one ajv error becomes before it is placed: a field, an anchor, a code and words. */
interface Worded {
  path: PathSegment[];
  anchor: Anchor;
  code: DiagnosticCode;
  message: string;
  hint?: string | undefined;
}

export function schemaDiagnostics(source: YamlSource, errors: readonly ErrorObject[]): Diagnostic[] {
  // A refused field (secret, or set elsewhere) fails `not: {}` too, and maybe its type: one error says it all.
  const refused = new Set(errors.filter(isRefusal).map((e) => e.instancePath));
  const out: Diagnostic[] = [];
  // A `not` is noise beside a more specific error, but when nothing else failed it is the
  // mistake itself (a user name starting with `test`): dropping it would pass an invalid file.
  const onlyNot = errors.every((e) => NOISE.has(e.keyword) && e.propertyName === undefined);
  let unlisted = 0;
  let firstUnlisted: Worded | undefined;
  for (const e of errors) {
    if (NOISE.has(e.keyword) && e.propertyName === undefined && !(onlyNot && e.keyword === "not")) continue;
    if (!isRefusal(e) && refused.size > 0 && withinRefused(e.instancePath, refused)) continue;
    // Placing and wording (a "did you mean" against every known name) are the costly part: past the limit, only count.
    if (out.length >= MAX_SCHEMA_PROBLEMS_PER_FILE) {
      if (unlisted++ === 0) firstUnlisted = word(e, pointerToPath(e.instancePath, source.value));
      continue;
    }
    const worded = word(e, pointerToPath(e.instancePath, source.value));
    out.push(error(worded.code, source.ref(worded.path, worded.anchor), worded.message, worded.hint));
  }
  if (firstUnlisted !== undefined) out.push(tooManyProblems(source.ref(firstUnlisted.path, firstUnlisted.anchor), unlisted));
  return out;
}

/** Whether the pointer is a refused field or inside one: a walk up its ancestors, so thousands of errors stay linear. */
function withinRefused(pointer: string, refused: ReadonlySet<string>): boolean {
  for (let at = pointer; ; at = at.slice(0, at.lastIndexOf("/"))) {
    if (refused.has(at)) return true;
    if (at === "") return false;
  }
}

function isRefusal(e: ErrorObject): boolean {
  return e.keyword === SECRET_KEYWORD || e.keyword === SET_ELSEWHERE_KEYWORD;
}

function word(e: ErrorObject, path: PathSegment[]): Worded {
  if (e.propertyName !== undefined) return badKey(e, path, e.propertyName);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return missing(e, path, String(params.missingProperty));
    case "additionalProperties":
      return unknownField(e, path, String(params.additionalProperty));
    case SECRET_KEYWORD:
      return { path, anchor: "key", code: "secret", message: `${label(path)} is a secret and must not be in the inventory`, hint: SECRET_HINT };
    case SET_ELSEWHERE_KEYWORD:
      return setElsewhere(e, path);
    case "type":
      return wrongType(e, path, params.type);
    case "enum":
      return notAllowed(e, path);
    case "pattern":
    case "format":
      return badFormat(e, path);
    case "uniqueItems":
      return duplicateItem(e, path, Number(params.i));
    case "not":
      return ruledOut(e, path);
    default:
      return outOfRange(e, path);
  }
}

function label(path: readonly PathSegment[]): string {
  const last = path.length - 1;
  const name = path.slice(Math.max(0, typeof path[last] === "number" ? last - 1 : last));
  return name.length === 0 ? "the file" : `\`${formatPath(name)}\``;
}

function schemaOf(e: ErrorObject): Record<string, unknown> {
  return isRecord(e.parentSchema) ? e.parentSchema : {};
}

function titleOf(e: ErrorObject, fallback: string): string {
  const title = schemaOf(e).title;
  return typeof title === "string" ? title : fallback;
}

function descriptionOf(schema: unknown): string | undefined {
  return isRecord(schema) && typeof schema.description === "string" ? schema.description : undefined;
}

function examplesHint(e: ErrorObject): string | undefined {
  const examples = schemaOf(e).examples;
  if (!Array.isArray(examples) || examples.length === 0) return undefined;
  return `for example ${examples.map((x) => `\`${String(x)}\``).join(" or ")}`;
}

/** A value as a message may show it: short, and hidden when it looks like a credential. */
export function showValue(value: unknown): string {
  if (looksLikeCredential(value)) return "a value that looks like a credential (not shown)";
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  if (isRecord(value)) return "a mapping";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function missing(e: ErrorObject, path: PathSegment[], field: string): Worded {
  const properties = schemaOf(e).properties;
  const hint = descriptionOf(isRecord(properties) ? properties[field] : undefined);
  return { path: [...path, field], anchor: "value", code: "missing-field", message: `missing required field \`${field}\``, hint };
}

/** Where a field sits decides how it is named: a service, a parameter of one, or a plain field. */
function unknownField(e: ErrorObject, path: PathSegment[], field: string): Worded {
  const at = [...path, field];
  if (isPasswordLikeName(field)) {
    return { path: at, anchor: "key", code: "secret", message: `unknown field \`${field}\` looks like a secret`, hint: SECRET_HINT };
  }
  const properties = schemaOf(e).properties;
  const known = isRecord(properties) ? Object.keys(properties) : [];
  const parent = path[path.length - 1];
  const grandparent = path[path.length - 2];
  let what = `field \`${field}\``;
  let allowed = "fields allowed here";
  if (parent === "services") [what, allowed] = [`service \`${field}\``, "known services"];
  else if (grandparent === "services") [what, allowed] = [`parameter \`${field}\` of service \`${String(parent)}\``, "its parameters"];
  return { path: at, anchor: "key", code: "unknown-field", message: `unknown ${what}`, hint: suggestion(field, known, allowed) };
}

function setElsewhere(e: ErrorObject, path: PathSegment[]): Worded {
  const field = schemaOf(e)[SET_ELSEWHERE_KEYWORD];
  return {
    path,
    anchor: "key",
    code: "set-elsewhere",
    message: `${label(path)} cannot be set under \`services\`: it follows the site's \`${String(field)}\``,
    hint: descriptionOf(e.parentSchema),
  };
}

function badKey(e: ErrorObject, path: PathSegment[], key: string): Worded {
  const hint = examplesHint(e) ?? descriptionOf(e.parentSchema);
  return { path: [...path, key], anchor: "key", code: "bad-format", message: `\`${key}\` is not a valid ${titleOf(e, "name")}`, hint };
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: "text",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  null: "null",
  array: "a list",
  object: "a mapping of fields",
};

function wrongType(e: ErrorObject, path: PathSegment[], expected: unknown): Worded {
  const types = (Array.isArray(expected) ? expected : [expected]).map(String);
  const wanted = types.map((t) => TYPE_NAMES[t] ?? t).join(" or ");
  const value: unknown = e.data;
  let hint = descriptionOf(e.parentSchema);
  if (types.includes("string") && (typeof value === "number" || typeof value === "boolean")) {
    hint = `YAML read this as ${typeof value === "number" ? "a number" : "true/false"}: put it in quotes`;
  } else if ((types.includes("number") || types.includes("integer")) && typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    hint = "write the number without quotes";
  } else if (value === null) {
    hint = "the field is empty: give it a value or remove it";
  }
  return { path, anchor: "value", code: "wrong-type", message: `${label(path)} must be ${wanted}, not ${showValue(value)}`, hint };
}

function notAllowed(e: ErrorObject, path: PathSegment[]): Worded {
  const allowed = (Array.isArray(e.schema) ? e.schema : []).map(String);
  const value: unknown = e.data;
  const near = typeof value === "string" ? closest(value, allowed) : undefined;
  const hint = near !== undefined ? `did you mean \`${near}\`?` : descriptionOf(e.parentSchema);
  return {
    path,
    anchor: "value",
    code: "bad-value",
    message: `${showValue(value)} is not a valid ${titleOf(e, "value")} for ${label(path)}: expected one of ${allowed.join(", ")}`,
    hint,
  };
}

function badFormat(e: ErrorObject, path: PathSegment[]): Worded {
  const value: unknown = e.data;
  let hint = examplesHint(e) ?? descriptionOf(e.parentSchema);
  const pattern = schemaOf(e).pattern;
  if (typeof value === "string" && typeof pattern === "string") hint = writtenFormHint(value, new RegExp(pattern, "u")) ?? hint;
  if (looksLikeCredential(value)) hint = `${hint ?? ""}${hint === undefined ? "" : "; "}if this value is a credential, remove it from git and change it`;
  return { path, anchor: "value", code: "bad-format", message: `${showValue(value)} is not a valid ${titleOf(e, "value")} for ${label(path)}`, hint };
}

/**
 * The exact form to write when the value is a name the pattern accepts once written the way
 * the pattern wants: without a trailing dot (`example.com.`, as in DNS zone files), an
 * internationalised name in its ASCII (`xn--`) form, in lowercase. Driven by the schema's
 * pattern alone, so every kind's domain fields (and an e-mail address's domain) get it.
 */
function writtenFormHint(value: string, pattern: RegExp): string | undefined {
  const at = value.lastIndexOf("@");
  const local = at < 0 ? "" : value.slice(0, at + 1);
  let name = at < 0 ? value : value.slice(at + 1);
  const changes: string[] = [];
  if (name.length > 1 && name.endsWith(".")) {
    name = name.slice(0, -1);
    changes.push("without the trailing dot");
  }
  // domainToASCII lowercases too, and returns "" for a name that cannot be a domain.
  if (/[^\p{ASCII}]/u.test(name)) {
    const ascii = domainToASCII(name);
    if (ascii === "") return undefined;
    name = ascii;
    changes.push("in its ASCII (`xn--`) form, as DNS and the panel store an internationalised name");
  } else if (name !== name.toLowerCase()) {
    name = name.toLowerCase();
    changes.push("in lowercase");
  }
  const written = `${local}${name}`;
  if (changes.length === 0 || written === value || !pattern.test(written)) return undefined;
  return `write it ${changes.join(" and ")}: \`${written}\``;
}

/** A value a `not` rules out: the schema's own description says why. */
function ruledOut(e: ErrorObject, path: PathSegment[]): Worded {
  const schema = schemaOf(e);
  const ruled = isRecord(schema.not) ? schema.not : {};
  const hint = descriptionOf(ruled) ?? descriptionOf(schema);
  return { path, anchor: "value", code: "bad-value", message: `${showValue(e.data)} is not allowed for ${label(path)}`, hint };
}

function duplicateItem(e: ErrorObject, path: PathSegment[], later: number): Worded {
  const list = e.data;
  const value: unknown = Array.isArray(list) ? list[later] : undefined;
  return {
    path: [...path, later],
    anchor: "value",
    code: "duplicate-item",
    message: `${showValue(value)} is listed twice in ${label(path)}`,
    hint: "remove the repeated entry",
  };
}

function outOfRange(e: ErrorObject, path: PathSegment[]): Worded {
  const limit = (e.params as { limit?: unknown }).limit;
  const value: unknown = e.data;
  const phrases: Readonly<Record<string, string>> = {
    minimum: `at least ${String(limit)}`,
    maximum: `at most ${String(limit)}`,
    exclusiveMinimum: `more than ${String(limit)}`,
    exclusiveMaximum: `less than ${String(limit)}`,
    minItems: `a list of at least ${String(limit)} item${limit === 1 ? "" : "s"}`,
    maxItems: `a list of at most ${typeof limit === "number" ? limit.toLocaleString("en") : String(limit)} items`,
    minLength: `at least ${String(limit)} character${limit === 1 ? "" : "s"} long`,
    maxLength: `at most ${String(limit)} characters long`,
    minProperties: `a mapping with at least ${String(limit)} entr${limit === 1 ? "y" : "ies"}`,
  };
  const phrase = phrases[e.keyword];
  if (phrase === undefined) {
    return { path, anchor: "value", code: "bad-value", message: `${label(path)}: ${e.message ?? "is not valid"}`, hint: descriptionOf(e.parentSchema) };
  }
  let shown = typeof value === "number" ? `, not ${value}` : "";
  let hint = descriptionOf(e.parentSchema);
  if (e.keyword === "maxItems" && Array.isArray(value)) {
    // A list over its maximum is one of siteform's limits, which bound the work any inventory can cause.
    shown = `, not ${value.length.toLocaleString("en")}`;
    hint ??= "siteform's limits are listed in docs/inventory.md (Limits)";
  }
  return { path, anchor: "value", code: "out-of-range", message: `${label(path)} must be ${phrase}${shown}`, hint };
}
