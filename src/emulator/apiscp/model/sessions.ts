/**
 * Sessions opened by admin_hijack. Held in memory only: a session is a login, not part of
 * the server's configuration, so it is never saved with the state. A session whose site has
 * since been deleted is no longer found.
 *
 * A `UI` session is a browser single sign-on: its id opens the panel at `/apps/APP?esprit_id=ID`
 * once. The emulator's rule (ApisCP's own is not documented): the first visit is accepted and
 * later visits with the same id are refused, so a login URL that leaked after use is worth
 * nothing. A `SOAP` session never opens the panel in a browser.
 */
export type Gate = "SOAP" | "UI";

export interface HijackSession {
  id: string;
  siteId: number;
  user: string;
  gate: Gate;
  createdAt: number;
}

/** Deterministic ids (32 hex digits from a counter) for tests and demos without randomness. */
export function counterSessionIds(): () => string {
  let next = 0;
  return () => (++next).toString(16).padStart(32, "0");
}

export class Sessions {
  private readonly open = new Map<string, HijackSession>();
  /** UI sessions whose browser entry has been used. */
  private readonly redeemed = new Set<string>();

  constructor(private readonly nextId: () => string) {}

  start(siteId: number, user: string, gate: Gate, now: number): string {
    const id = this.nextId();
    // A repeated id would hand one login another's session: a broken id source is a bug.
    if (this.open.has(id)) throw new Error(`session id source repeated ${id}`);
    this.open.set(id, { id, siteId, user, gate, createdAt: now });
    return id;
  }

  find(id: string, siteExists: (siteId: number) => boolean): HijackSession | undefined {
    const session = this.open.get(id);
    return session !== undefined && siteExists(session.siteId) ? { ...session } : undefined;
  }

  /** The UI session `id` opening the panel in a browser: the first time only; undefined after, or for any other id. */
  redeem(id: string, siteExists: (siteId: number) => boolean): HijackSession | undefined {
    const session = this.find(id, siteExists);
    if (session === undefined || session.gate !== "UI" || this.redeemed.has(id)) return undefined;
    this.redeemed.add(id);
    return session;
  }
}
