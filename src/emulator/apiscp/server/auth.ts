/**
 * Who may call: the emulator's one API key (from `Auth-Key` or `?authkey=`), or a session id
 * from `admin_hijack` carried in the `esprit_id` cookie, and the per-address brute-force block
 * real servers apply ([anvil] limit = 20 failures per ttl = 900 s). It decides; it does not
 * answer HTTP and never logs or echoes a key.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export interface AuthLimit {
  /** Failed attempts from one address within the window after which it is blocked. */
  limit: number;
  windowSeconds: number;
}

/** What ApisCP ships with: `[anvil] limit = 20`, `ttl = 900`. */
export const DEFAULT_AUTH_LIMIT: AuthLimit = Object.freeze({ limit: 20, windowSeconds: 900 });

/** A fresh key in the form ApisCP shows: 64 lowercase hex digits. */
export function generateKey(): string {
  return randomBytes(32).toString("hex");
}

/**
 * The canonical form of a key as a person might paste it: dashes and whitespace dropped,
 * lowercase. Null when what is left is not 64 hex digits.
 */
export function normalizeKey(text: string): string | null {
  const key = text.replace(/[-\s]/g, "").toLowerCase();
  return /^[0-9a-f]{64}$/.test(key) ? key : null;
}

/**
 * Compares in constant time. Both sides are hashed first so that neither the length nor the
 * position of the first differing digit of a wrong key shows up in the timing.
 */
function sameKey(expected: string, given: string): boolean {
  const a = createHash("sha256").update(expected).digest();
  const b = createHash("sha256").update(given.replace(/-/g, "").toLowerCase()).digest();
  return timingSafeEqual(a, b);
}

export interface Credentials {
  /** From `Auth-Key`, else `?authkey=`; undefined when neither was sent. */
  key: string | undefined;
  /** The `esprit_id` cookie. */
  session: string | undefined;
  /** The client's address, the unit the brute-force block applies to. */
  address: string;
}

export type AuthOutcome =
  | { ok: true; as: "admin" | "session" }
  | { ok: false; reason: "missing" | "invalid-key" | "invalid-session" | "blocked"; message: string };

export class Authenticator {
  /** Per address, the times (unix seconds) of failures still inside the window, oldest first. */
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly key: string,
    private readonly limit: AuthLimit,
    private readonly hasSession: (id: string) => boolean,
  ) {}

  check(credentials: Credentials, now: number): AuthOutcome {
    const recent = this.recentFailures(credentials.address, now);
    if (recent.length >= this.limit.limit) {
      // Like anvil: once blocked, even the right key is refused until old failures age out.
      const retryIn = Math.max(1, recent[recent.length - this.limit.limit]! + this.limit.windowSeconds - now);
      return {
        ok: false,
        reason: "blocked",
        message:
          `Too many failed authentication attempts from ${credentials.address}: ` +
          `further logins are refused for ${retryIn} more seconds`,
      };
    }
    const outcome = this.verify(credentials);
    if (!outcome.ok) recent.push(now);
    return outcome;
  }

  /** Forgets every failure, e.g. when a test moves the clock backwards. */
  reset(): void {
    this.failures.clear();
  }

  private verify(credentials: Credentials): AuthOutcome {
    if (credentials.key !== undefined) {
      return sameKey(this.key, credentials.key)
        ? { ok: true, as: "admin" }
        : { ok: false, reason: "invalid-key", message: "Invalid API key" };
    }
    if (credentials.session !== undefined) {
      return this.hasSession(credentials.session)
        ? { ok: true, as: "session" }
        : { ok: false, reason: "invalid-session", message: "Invalid or expired session (esprit_id)" };
    }
    return {
      ok: false,
      reason: "missing",
      message: "Invalid API key: none given (send the Auth-Key header or ?authkey= on the endpoint)",
    };
  }

  private recentFailures(address: string, now: number): number[] {
    const all = this.failures.get(address) ?? [];
    const recent = all.filter((t) => t > now - this.limit.windowSeconds && t <= now);
    this.failures.set(address, recent);
    return recent;
  }
}
