/**
 * The plan document as bytes: the only way a plan travels from `siteform plan -o` to
 * `siteform apply`. Owns those bytes (stable, pretty, secret-free JSON) and reading them back
 * as either a validated `Plan` or errors that say what is wrong, where, and to plan again.
 * Pure: reading and writing the file is engine/plan-file-io.ts. A file as read is
 * `RawPlanFile` (unknown) until it has passed the format version check,
 * schemas/plan.schema.json and the cross-reference checks; only then is it a `Plan`.
 * Does not decide whether a plan is stale (the applier does, against the servers).
 */
import { createHash } from "node:crypto";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import planSchema from "../../schemas/plan.schema.json" with { type: "json" };
import type { Catalogue } from "../kinds/catalogue.js";
import { PLAN_FORMAT_VERSION, type Plan } from "../model/index.js";
import { redactPlan } from "../render/redact.js";

/** The parsed JSON of a plan file, before anything about it is known. */
export type RawPlanFile = unknown;

export type PlanFileProblem = "unreadable" | "not-json" | "version" | "invalid";

export type PlanFileResult =
  /** `intact`: the file's digest matches its content, so nobody edited it after siteform wrote it. */
  | { ok: true; plan: Plan; intact: boolean }
  /** `errors[0]` says what is wrong with the file as a whole; the rest name JSON paths. */
  | { ok: false; problem: PlanFileProblem; errors: readonly string[] };

// Keys in this order first, then any other key alphabetically, so the same plan always gives
// the same bytes whatever order its objects were built in. One list serves every object type:
// it is arranged so that each type's keys come out in the order the model declares them.
const KEY_ORDER = [
  "formatVersion", "createdAt", "inventory", "commit", "dirty", "dir", "files", "options", "allowDeletes", "allowPaid", "servers", "ops", "diagnostics", "summary",
  "id", "severity", "code", "name", "provider", "server", "kind", "action", "target", "exists", "key",
  "source", "message", "hint", "file", "line", "free", "namespace", "value", "fingerprint", "fields",
  "observed", "unmanaged", "error", "changes", "field", "before", "after", "secret", "wholesale", "flags",
  "reset", "template", "total", "paid", "dependsOn", "preconditions", "reason", "deletion", "suspendedDays", "ownerTag", "notes",
  "byAction", "byServer", "delete", "suspend", "update", "create", "activate",
];
const KEY_RANK = new Map(KEY_ORDER.map((key, i) => [key, i]));

function compareKeys(a: string, b: string): number {
  const ra = KEY_RANK.get(a) ?? KEY_ORDER.length;
  const rb = KEY_RANK.get(b) ?? KEY_ORDER.length;
  return ra - rb || (a < b ? -1 : a > b ? 1 : 0);
}

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareKeys)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) out[key] = ordered(item);
  }
  return out;
}

/**
 * The digest of a document: sha256 of its compact JSON in the stable key order, without the
 * `digest` field itself. Computed over the parsed value, so re-indenting a file is not an edit.
 */
function digestOf(document: Readonly<Record<string, unknown>>): string {
  const { digest: _ignored, ...body } = document;
  return createHash("sha256").update(JSON.stringify(ordered(body))).digest("hex");
}

/** The plan document as written to a file: pretty JSON, stable key order, secrets redacted (as the catalogue's kinds mark them), a digest, a final newline. */
export function serializePlan(plan: Plan, catalogue: Catalogue): string {
  const body = ordered(redactPlan(plan, catalogue)) as Record<string, unknown>;
  return `${JSON.stringify({ ...body, digest: digestOf(body) }, null, 2)}\n`;
}

function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  return { line, column: position - before.lastIndexOf("\n") };
}

function jsonError(path: string, text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const at = /at position (\d+)/.exec(message);
  const position = at?.[1] !== undefined ? Number(at[1]) : /end of JSON input/.test(message) ? text.length : null;
  const where = position === null ? path : (({ line, column }) => `${path}:${line}:${column}`)(lineColumn(text, position));
  const detail = message.replace(/ in JSON at position \d+.*$/, "").replace(/^Unexpected end of JSON input$/, "the file ends too early (cut short?)");
  return `${where}: not a plan file: the JSON is broken (${detail}). Plan files are written by siteform; do not edit them, plan again with \`siteform plan -o FILE\`.`;
}

function versionError(path: string, raw: RawPlanFile): string | null {
  const again = "plan again with this siteform (`siteform plan -o FILE`)";
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return `${path}: not a siteform plan file: the JSON is ${Array.isArray(raw) ? "a list" : typeof raw === "object" ? "null" : `a ${typeof raw}`}, not a plan document; ${again}.`;
  }
  const version: unknown = (raw as Record<string, unknown>).formatVersion;
  if (version === PLAN_FORMAT_VERSION) return null;
  if (version === undefined) return `${path}: not a siteform plan file: it has no formatVersion; if it is a plan, it was written by an older siteform: ${again}.`;
  if (typeof version === "number" && Number.isInteger(version) && version > PLAN_FORMAT_VERSION) {
    return `${path}: written by a newer siteform (plan format ${version}; this siteform reads format ${PLAN_FORMAT_VERSION}): upgrade siteform, or ${again}.`;
  }
  if (typeof version === "number" && Number.isInteger(version)) {
    return `${path}: written by an older siteform (plan format ${version}; this siteform reads format ${PLAN_FORMAT_VERSION}): ${again}.`;
  }
  return `${path}: formatVersion must be a whole number, it is ${JSON.stringify(version)}; not a plan siteform wrote: ${again}.`;
}

let validator: ValidateFunction | undefined;

function validate(): ValidateFunction {
  if (validator === undefined) {
    // Unoptimised, as the inventory's schemas (inventory/schema.ts): a third less to compile, validators as fast.
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, code: { optimize: false } });
    addFormats.default(ajv, ["date-time"]);
    validator = ajv.compile(planSchema);
  }
  return validator;
}

/** `/ops/3/target/id` → `ops[3].target.id`. */
function jsonPath(pointer: string, extra?: string): string {
  const parts = pointer.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (extra !== undefined) parts.push(extra);
  let out = "";
  for (const part of parts) {
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === "" ? "(the document)" : out;
}

// Values are never quoted: a hand-edited file could hold a secret where the schema expects none.
function schemaMessage(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return `${jsonPath(e.instancePath, String(p.missingProperty))}: is missing`;
    case "additionalProperties":
      return `${jsonPath(e.instancePath, String(p.additionalProperty))}: is not a field of the plan format`;
    case "enum":
      return `${jsonPath(e.instancePath)}: must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return `${jsonPath(e.instancePath)}: must be ${JSON.stringify(p.allowedValue)}`;
    default:
      return `${jsonPath(e.instancePath)}: ${e.message ?? "is not valid"}`;
  }
}

const MAX_ERRORS = 20;

function limited(errors: string[]): string[] {
  const unique = [...new Set(errors)];
  if (unique.length <= MAX_ERRORS) return unique;
  return [...unique.slice(0, MAX_ERRORS), `… and ${unique.length - MAX_ERRORS} more`];
}

/** What the schema cannot say: ids are unique, dependencies point at earlier ops, ops name listed servers. */
function crossReferenceErrors(plan: Plan): string[] {
  const errors: string[] = [];
  const servers = new Set(plan.servers.map((s) => s.name));
  const seen = new Set<string>();
  plan.ops.forEach((op, i) => {
    if (seen.has(op.id)) errors.push(`ops[${i}].id: ${JSON.stringify(op.id)} is the id of an earlier operation too; ids must be unique`);
    if (!servers.has(op.server)) errors.push(`ops[${i}].server: ${JSON.stringify(op.server)} is not one of the plan's servers`);
    op.dependsOn.forEach((dep, j) => {
      if (!seen.has(dep)) errors.push(`ops[${i}].dependsOn[${j}]: ${JSON.stringify(dep)} is not the id of an earlier operation`);
    });
    seen.add(op.id);
  });
  return errors;
}

function invalid(path: string, errors: string[]): PlanFileResult {
  const head = `${path}: not a valid plan file (${errors.length === 1 ? "1 problem" : `${errors.length} problems`}); it may have been edited by hand or damaged: plan again with \`siteform plan -o FILE\`.`;
  return { ok: false, problem: "invalid", errors: [head, ...limited(errors).map((e) => `  ${e}`)] };
}

/** Checks a plan file's text; `path` is only used in messages. */
export function parsePlanFile(path: string, text: string): PlanFileResult {
  let raw: RawPlanFile;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    return { ok: false, problem: "not-json", errors: [jsonError(path, text, err)] };
  }
  const version = versionError(path, raw);
  if (version !== null) return { ok: false, problem: "version", errors: [version] };
  const check = validate();
  if (!check(raw)) return invalid(path, (check.errors ?? []).map(schemaMessage));
  const document = raw as Plan & { digest?: string };
  const references = crossReferenceErrors(document);
  if (references.length > 0) return invalid(path, references);
  const intact = document.digest === digestOf(document as unknown as Record<string, unknown>);
  const { digest: _digest, ...plan } = document;
  return { ok: true, plan, intact };
}
