/**
 * The key values siteform holds: for every server, the value of the environment variable its
 * `key_env` names (an ApisCP API key, a WHM API token, a BILLmanager password). Owns finding
 * one of them inside some text (a field of the inventory, see secret-boundaries.ts) and
 * masking them in anything siteform shows or writes. Never puts a value in a message: callers
 * learn which server and variable a key belongs to, nothing more.
 *
 * `user_env` values are left out on purpose: a user name (`root`, `reseller`) is no secret and
 * is often an ordinary word that a note may legitimately contain.
 */

/** Shorter values are ignored: an 8-character run turns up in ordinary text by chance, a real key is longer. */
export const MIN_KNOWN_KEY_LENGTH = 8;

/** What masked text shows instead of a key; the same marker as a redacted secret field. */
export const KEY_MARKER = "[redacted]";

export interface KnownKey {
  /** The server whose `key_env` names the variable. */
  server: string;
  /** The environment variable holding the value. */
  variable: string;
  value: string;
}

/** A server's name and the variable its `key_env` names, as written. */
export interface KeySource {
  server: string;
  variable: string;
}

/** The dashes, spaces and case a key may be pasted with (an ApisCP key is grouped, and read case-insensitively). */
function normalize(text: string): string {
  return text.replace(/[-\s]/g, "").toLowerCase();
}

function escapeLiteral(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

export class KnownKeys {
  /** Longest first, so a key containing another is masked whole. */
  private readonly keys: readonly KnownKey[];
  private readonly normalized: readonly string[];
  private readonly patterns: readonly RegExp[];
  /** Text shorter than the shortest key cannot hold one (normalising only shortens text): most fields are skipped at once. */
  private readonly shortest: number;

  constructor(keys: Iterable<KnownKey>) {
    const unique = new Map<string, KnownKey>();
    for (const key of keys) {
      if (normalize(key.value).length >= MIN_KNOWN_KEY_LENGTH && !unique.has(key.value)) unique.set(key.value, key);
    }
    this.keys = [...unique.values()].sort((a, b) => b.value.length - a.value.length);
    this.normalized = this.keys.map((k) => normalize(k.value));
    // Each character of the key, with any dashes or spaces between them: the key as pasted in
    // groups or upper case is still the key. The classes never overlap the key's own
    // characters (dashes and spaces are normalised away), so matching stays linear.
    this.patterns = this.normalized.map((n) => new RegExp([...n].map(escapeLiteral).join("[-\\s]*"), "giu"));
    this.shortest = Math.min(...this.normalized.map((n) => n.length));
  }

  /** The values of `sources`' variables in `env`; unset, empty and short ones are left out. */
  static from(sources: Iterable<KeySource>, env: Readonly<Record<string, string | undefined>>): KnownKeys {
    const keys: KnownKey[] = [];
    for (const { server, variable } of sources) {
      const value = env[variable]?.trim();
      if (value !== undefined && value !== "") keys.push({ server, variable, value });
    }
    return new KnownKeys(keys);
  }

  get size(): number {
    return this.keys.length;
  }

  /** The values, for a registry that merges several sets. */
  all(): readonly KnownKey[] {
    return this.keys;
  }

  /** The first key `text` contains, as written or grouped differently; undefined when none. */
  foundIn(text: string): KnownKey | undefined {
    if (text.length < this.shortest) return undefined;
    const plain = normalize(text);
    for (let i = 0; i < this.keys.length; i++) {
      if (plain.includes(this.normalized[i] as string)) return this.keys[i];
    }
    return undefined;
  }

  /** `text` with every key it contains (as written or grouped differently) replaced by KEY_MARKER. */
  mask(text: string): string {
    if (this.foundIn(text) === undefined) return text;
    let out = text;
    for (const pattern of this.patterns) out = out.replace(pattern, KEY_MARKER);
    return out;
  }
}

/**
 * Every key this process has been given with an inventory (loadInventory remembers them), so
 * that outputs produced far from the inventory (the plan renderers, the plan file) can mask
 * them without each caller threading the environment through. Process-wide on purpose: the
 * set only grows, and a mask that knows more keys can only hide more, never show one.
 */
const remembered = new Map<string, KnownKey>();
let rememberedKeys = new KnownKeys([]);

export function rememberKnownKeys(keys: KnownKeys): void {
  let added = false;
  for (const key of keys.all()) {
    if (remembered.has(key.value)) continue;
    remembered.set(key.value, key);
    added = true;
  }
  if (added) rememberedKeys = new KnownKeys(remembered.values());
}

/** `text` with every remembered key masked. */
export function maskKnownKeys(text: string): string {
  return rememberedKeys.mask(text);
}

/**
 * `value` with every remembered key masked in each string inside it (a plan, a report): the
 * structure and the input are kept. Returned as is when no key is remembered.
 */
export function maskKnownKeysIn<T>(value: T): T {
  return rememberedKeys.size === 0 ? value : maskDeep(value, rememberedKeys);
}

function maskDeep<T>(value: T, keys: KnownKeys): T {
  return mapStrings(value, (text) => keys.mask(text));
}

/** Every string inside a plan- or report-shaped value passed through `f`; the structure is kept and the input not changed. */
export function mapStrings<T>(value: T, f: (text: string) => string): T {
  if (typeof value === "string") return f(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => mapStrings(item, f)) as T;
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) out[name] = mapStrings(item, f);
    return out as T;
  }
  return value;
}
