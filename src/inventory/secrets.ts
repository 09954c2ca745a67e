/**
 * Keeping secrets out of git and out of messages. Owns the `x-secret` schema keyword (a field
 * the schema marks secret is refused whenever it is present), the guess at which unknown
 * field names mean a password or key, and the guess at which values look like credentials,
 * so that no diagnostic repeats one. Knows no particular field: the schemas say which are
 * secret.
 */
import type { KeywordDefinition } from "ajv";

export const SECRET_KEYWORD = "x-secret";

/**
 * `x-secret: true`: refused when present. Keywords inside `properties` run only for fields
 * that exist, so an absent secret is fine; the schema also says `not: {}` so editors, which
 * do not know this keyword, refuse it too.
 */
export const secretKeyword: KeywordDefinition = {
  keyword: SECRET_KEYWORD,
  schemaType: "boolean",
  errors: true,
  validate: (isSecret: boolean): boolean => !isSecret,
};

export const SECRET_HINT =
  "secrets never go in git: set passwords in the panel, and give API keys to siteform through an environment variable (a server's `key_env`); if this value was real, change it now, because it stays in the git history";

const PASSWORD_LIKE = /passw(?:or)?d|passphrase|^pass$|secret|token|credential|private[_-]?key|api[_-]?key|auth[_-]?key|^key$/i;

/** Field names that suggest a secret (`password`, `api_key`, `token`, …). */
export function isPasswordLikeName(name: string): boolean {
  return PASSWORD_LIKE.test(name);
}

const TOKEN = /^[A-Za-z0-9+/=_-]{20,}$/;

/**
 * Values shaped like generated credentials: long runs of letters and digits with both kinds
 * present (API keys, hex digests, base64), or a crypt(3) hash. Used only to decide what a
 * message may quote, so a false positive costs a little detail, never a leak.
 */
export function looksLikeCredential(value: unknown): boolean {
  if (typeof value !== "string") return false;
  const compact = value.replace(/-/g, "");
  if (/^\$[0-9a-z]+\$/.test(value)) return true;
  return TOKEN.test(compact) && /[0-9]/.test(compact) && /[A-Za-z]/.test(compact);
}
