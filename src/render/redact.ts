/**
 * Secret redaction for everything that leaves siteform as a plan: the plan file and the three
 * renderers all go through `redactPlan`. A value is secret when its change says so or the op's
 * kind marks its field `x-secret` (a kind the catalogue does not know: any kind's secret field
 * is taken as secret); secret values are replaced by a fixed marker, and
 * as a second line of defence any text of the plan that repeats one of them (a reason, a
 * note, a server's error) has it cut out, as has any API key siteform holds (known-keys.ts).
 * Never decides what is secret by guessing at values.
 */
import type { Catalogue } from "../kinds/catalogue.js";
import { mapStrings, maskKnownKeysIn } from "../inventory/known-keys.js";
import type { FieldChange, FieldValue, Op, Plan } from "../model/index.js";

/** What a secret value reads as in plan files and JSON output. */
export const REDACTED = "[redacted]";

/** Shorter values are not scrubbed out of free text: cutting every "ab" would garble it, and real secrets are longer. */
const MIN_SCRUB_LENGTH = 4;

function isRecord(value: FieldValue): value is { readonly [key: string]: FieldValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Collects every string and number inside a secret value, so free text can be scrubbed of it. */
function collectSecrets(value: FieldValue, into: Set<string>): void {
  if (value === null || typeof value === "boolean") return;
  if (typeof value === "string" || typeof value === "number") {
    const text = String(value);
    if (text.length >= MIN_SCRUB_LENGTH && text !== REDACTED) into.add(text);
  } else if (Array.isArray(value)) {
    for (const item of value as readonly FieldValue[]) collectSecrets(item, into);
  } else if (isRecord(value)) {
    for (const item of Object.values(value)) collectSecrets(item, into);
  }
}

function maskValue(value: FieldValue): FieldValue {
  return value === null ? null : REDACTED;
}

/** What one op's kind says is secret: whole `group.field`s, and the secret fields of a group given as a map. */
interface Secrets {
  isSecret(field: string): boolean;
  /** The secret fields of a whole group (`group`), for values given as a map. */
  secretFieldsOf(group: string): readonly string[];
}

function secretsOf(catalogue: Catalogue, kind: string): Secrets {
  // A kind this siteform does not know (a plan file from another one): every kind's secrets count.
  const fields = catalogue.find(kind)?.secretFields() ?? catalogue.secretFields();
  const secret = new Set(fields);
  return {
    isSecret: (field) => secret.has(field),
    secretFieldsOf: (group) => fields.filter((f) => f.startsWith(`${group}.`)).map((f) => f.slice(group.length + 1)),
  };
}

/** A whole group given as a map (`group: {…}`): mask its secret fields, keep the rest. */
function maskSecretParams(secrets: Secrets, field: string, value: FieldValue, found: Set<string>): FieldValue {
  if (!isRecord(value)) return value;
  const secretParams = secrets.secretFieldsOf(field);
  if (!secretParams.some((p) => p in value)) return value;
  const masked: Record<string, FieldValue> = {};
  for (const [param, item] of Object.entries(value)) {
    if (secretParams.includes(param)) {
      collectSecrets(item, found);
      masked[param] = maskValue(item);
    } else masked[param] = item;
  }
  return masked;
}

function redactChange(secrets: Secrets, change: FieldChange, found: Set<string>): FieldChange {
  if (change.secret === true || secrets.isSecret(change.field)) {
    collectSecrets(change.before, found);
    collectSecrets(change.after, found);
    return { ...change, before: maskValue(change.before), after: maskValue(change.after), secret: true };
  }
  const before = maskSecretParams(secrets, change.field, change.before, found);
  const after = maskSecretParams(secrets, change.field, change.after, found);
  return before === change.before && after === change.after ? change : { ...change, before, after };
}

function redactPreconditionFields(secrets: Secrets, fields: Readonly<Record<string, FieldValue>>, found: Set<string>): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (secrets.isSecret(field)) {
      collectSecrets(value, found);
      out[field] = maskValue(value);
    } else out[field] = maskSecretParams(secrets, field, value, found);
  }
  return out;
}

function redactOp(catalogue: Catalogue, op: Op, found: Set<string>): Op {
  const secrets = secretsOf(catalogue, op.kind);
  return {
    ...op,
    changes: op.changes.map((c) => redactChange(secrets, c, found)),
    preconditions: { ...op.preconditions, fields: redactPreconditionFields(secrets, op.preconditions.fields, found) },
  };
}

function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/** Every string of a plan-shaped value with the secrets cut out; the structure is kept. */
function scrubDeep<T>(value: T, secrets: readonly string[]): T {
  return mapStrings(value, (text) => scrubText(text, secrets));
}

/** The plan with every secret value replaced by `REDACTED`, as the catalogue's kinds mark them; the input is not changed. */
export function redactPlan(plan: Plan, catalogue: Catalogue): Plan {
  const found = new Set<string>();
  const ops = plan.ops.map((op) => redactOp(catalogue, op, found));
  // The API keys siteform holds (loadInventory remembers them) are cut out of every text too,
  // whatever carried one in: a value read from a server, a server's message.
  const redacted: Plan = maskKnownKeysIn({ ...plan, ops });
  if (found.size === 0) return redacted;
  // Longest first, so a secret containing another is removed whole.
  const secrets = [...found].sort((a, b) => b.length - a.length);
  return scrubDeep(redacted, secrets);
}
