/**
 * An account's password as WHM's `passwd` sets it: the checks cPanel makes before it changes
 * anything, in the order and the words of its Cpanel::ChangePasswd (a password that contains the
 * user name, one shorter than 5 characters, a user that does not exist, a suspended account, then
 * the strength check against the server's minimum), and what is kept afterwards: a salted hash,
 * how many times the password was changed and when last; never the password. Strength is
 * cPanel's own measure (Cpanel::PasswdStrength::Check): entropy from the character groups a
 * password draws on and its runs of repeated or neighbouring characters, 100 at 70 bits; the
 * cracklib dictionary check is stood in for by a short list of passwords every list refuses.
 * A changed password ends the user's sessions that were not used yet, as cPanel purges them.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { CallContext, Params, WhmAnswer } from "./call.js";
import { WhmRefusal } from "./refusal.js";
import type { WhmStore } from "./store.js";

/** What the emulator keeps of an account's password. */
export interface WhmPasswordRecord {
  /** `sha256$SALT$DIGEST` (hex), or null when no password was set through the API. */
  hash: string | null;
  /** How many times `passwd` changed it. */
  changes: number;
  /** Unix seconds of the last change; null when never changed. */
  changedAt: number | null;
}

/** cPanel's default minimum strength for `passwd` in the emulator (WHM » Password Strength Configuration). */
export const DEFAULT_MIN_STRENGTH = 65;

const MAX_STRENGTH = 100;
/** Bits of entropy that rate 100: about 12 characters drawn from digits, both cases and symbols. */
const ENTROPY_THRESHOLD = 70;
/** Stands in for cracklib and /etc/bad_passwords_list: passwords any dictionary refuses. */
const DICTIONARY = new Set(["password", "password1", "123456", "12345678", "123456789", "qwerty", "letmein", "welcome", "admin", "iloveyou", "monkey", "dragon", "12345luggage"]);

/** Character groups and how many symbols each adds to the alphabet, as cPanel counts them. */
const GROUPS: ReadonlyArray<{ test: RegExp; bits: number }> = [
  { test: /[0-9]/, bits: 0x01 },
  { test: /[a-f]/, bits: 0x02 },
  { test: /[g-z]/, bits: 0x02 | 0x04 },
  { test: /[A-F]/, bits: 0x08 },
  { test: /[G-Z]/, bits: 0x08 | 0x10 },
  { test: /[!$%&()*+,\-./:<=>?`{|}~]/, bits: 0x20 },
  { test: /["#';]/, bits: 0x40 },
  { test: / /, bits: 0x80 },
];
const SYMBOLS: ReadonlyArray<[number, number]> = [
  [0x01, 10],
  [0x02, 6],
  [0x04, 20],
  [0x08, 6],
  [0x10, 20],
  [0x20, 22],
  [0x40, 4],
  [0x80, 1],
];

/** A password's strength from 0 to 100, as cPanel rates it. */
export function passwordStrength(password: string): number {
  if (password.length === 0) return 0;
  if (password.length < 4 || DICTIONARY.has(password.toLowerCase())) return 1;
  let used = 0;
  let different = 0;
  let pattern = 0;
  let last: number | undefined;
  for (const char of password) {
    const code = char.codePointAt(0) ?? 0;
    // A character equal to the one before, or next to it in the code table, is part of a pattern.
    if (last === undefined || (code !== last && code !== last - 1 && code !== last + 1)) different++;
    else pattern++;
    last = code;
    const group = GROUPS.find((g) => g.test.test(char));
    used |= group === undefined ? 0xff : group.bits;
  }
  const alphabet = SYMBOLS.reduce((sum, [bit, count]) => sum + (used & bit ? count : 0), 0);
  const entropy = different * Math.log2(alphabet) + pattern * Math.log2(3);
  return entropy > ENTROPY_THRESHOLD ? MAX_STRENGTH : Math.floor((MAX_STRENGTH * entropy) / ENTROPY_THRESHOLD);
}

export function hashPassword(password: string): string {
  const salt = randomBytes(16).toString("hex");
  return `sha256$${salt}$${digest(salt, password)}`;
}

/** Whether `password` is the one `hash` was made from. */
export function passwordMatches(hash: string | null, password: string): boolean {
  if (hash === null) return false;
  const [scheme, salt, expected] = hash.split("$");
  if (scheme !== "sha256" || salt === undefined || expected === undefined) return false;
  const given = Buffer.from(digest(salt, password), "hex");
  const wanted = Buffer.from(expected, "hex");
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function digest(salt: string, password: string): string {
  return createHash("sha256").update(`${salt}\0${password}`).digest("hex");
}

/** `passwd`: changes a cPanel account's password after cPanel's own checks; answers the services it changed. */
export function passwd(store: WhmStore, params: Params, ctx: CallContext): WhmAnswer {
  const user = params.required("user");
  const password = params.required("password");
  const dbToo = params.flag("db_pass_update", true);
  if (password.toLowerCase().includes(user.toLowerCase())) throw new WhmRefusal("Sorry, the password may not contain the username for security reasons.");
  if (password.length < 5) throw new WhmRefusal("Sorry, passwords must be at least 5 characters for security reasons.");
  const account = store.findUser(user.toLowerCase());
  if (account === undefined) throw new WhmRefusal(`Sorry, the user “${user}” does not exist.`);
  if (account.suspended) {
    throw new WhmRefusal(`Sorry, the user “${account.user}” is currently suspended. Changing the user’s password would unsuspend the account.`);
  }
  const required = store.minPasswordStrength;
  if (passwordStrength(password) < required) {
    throw new WhmRefusal(
      `Sorry, the password you selected cannot be used because it is too weak and would be too easy to guess. Please select a password with strength rating of ${required} or higher.`,
    );
  }
  account.password = { hash: hashPassword(password), changes: account.password.changes + 1, changedAt: ctx.now };
  store.sessions.endUser(account.user);
  return { reason: `Password changed for user “${account.user}”.`, data: { app: ["system", "ftp", "mail", ...(dbToo ? ["MySQL"] : [])] } };
}

/** A state file's password entry, completed; throws with `where` on anything else. */
export function validatePasswordRecord(raw: unknown, where: string, fail: (message: string) => Error): WhmPasswordRecord {
  if (raw === undefined) return { hash: null, changes: 0, changedAt: null };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw fail(`${where} must be an object (hash, changes, changedAt)`);
  const o = raw as Record<string, unknown>;
  const hash = o["hash"] ?? null;
  if (hash !== null && (typeof hash !== "string" || !/^sha256\$[0-9a-f]+\$[0-9a-f]{64}$/.test(hash))) throw fail(`${where}.hash must be null or sha256$SALT$DIGEST`);
  const changes = o["changes"] ?? 0;
  if (typeof changes !== "number" || !Number.isInteger(changes) || changes < 0) throw fail(`${where}.changes must be an integer ≥ 0`);
  const changedAt = o["changedAt"] ?? null;
  if (changedAt !== null && (typeof changedAt !== "number" || !Number.isInteger(changedAt))) throw fail(`${where}.changedAt must be unix seconds or null`);
  return { hash, changes, changedAt };
}
