/**
 * Who may call, the two ways BILLmanager allows: `authinfo=USER:PASS` on the call itself, or a
 * session from `func=auth` (username, password) sent as `auth=SESSION`. A session expires after
 * `ttl` seconds without a request, as the panel's do (an hour by default); each session keeps the
 * caller's list filters, and `authinfo` callers share one set per user. Credentials are compared
 * in constant time, never logged or echoed; session ids come from node:crypto.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Filter, Itemtype } from "../model/index.js";

export class Credentials {
  private readonly expected: Buffer;

  constructor(readonly user: string, password: string) {
    this.expected = digest(user, password);
  }

  allows(user: string | undefined, password: string | undefined): boolean {
    if (user === undefined || password === undefined) return false;
    // Hashing both sides first keeps the comparison constant-time whatever the lengths.
    return timingSafeEqual(this.expected, digest(user, password));
  }

  /** `USER:PASS` as authinfo carries it (the password may itself contain colons). */
  allowsAuthinfo(authinfo: string): boolean {
    const colon = authinfo.indexOf(":");
    return colon > 0 && this.allows(authinfo.slice(0, colon), authinfo.slice(colon + 1));
  }
}

function digest(user: string, password: string): Buffer {
  return createHash("sha256").update(user).update("\0").update(password).digest();
}

export interface Session {
  user: string;
  lastUsed: number;
  filters: Map<Itemtype, Filter>;
}

export class Sessions {
  private readonly sessions = new Map<string, Session>();
  private readonly authinfoFilters = new Map<string, Map<Itemtype, Filter>>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly clock: () => number,
  ) {}

  /** A new session id: 24 hex digits, like the panel's. */
  open(user: string): string {
    const id = randomBytes(12).toString("hex");
    this.sessions.set(id, { user, lastUsed: this.clock(), filters: new Map() });
    return id;
  }

  /** The live session `id`, its idle time reset; undefined (and forgotten) when unknown or expired. */
  use(id: string): Session | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const now = this.clock();
    if (now - session.lastUsed > this.ttlSeconds) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastUsed = now;
    return session;
  }

  filtersOf(authinfoUser: string): Map<Itemtype, Filter> {
    let filters = this.authinfoFilters.get(authinfoUser);
    if (!filters) this.authinfoFilters.set(authinfoUser, (filters = new Map()));
    return filters;
  }

  expireAll(): void {
    this.sessions.clear();
  }
}
