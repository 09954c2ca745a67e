/**
 * `create_user_session` and the one-time login it hands out, as cPanel's
 * Whostmgr::API::1::Session does: for an account that exists and is not suspended, a new session
 * (`USER:RANDOM`) under a fresh security token (`/cpsess` and ten digits), a login URL
 * `ORIGIN/cpsessNNNNNNNNNN/login/?session=…` with `goto_uri` when `app` names an application the
 * theme links to (an unknown but well-formed name makes a session without a link; anything but
 * letters, digits, `-` and `_` is refused), and `expires` five minutes on (cPanel's
 * PREAUTH_SESSION_DURATION). The real server answers on cpaneld's port 2083; the emulator serves
 * the login on its own port, at the origin the caller reached it by.
 *
 * What the emulator decides where cPanel's documents are silent: the URL logs in once. Its first
 * GET turns the session into a logged-in one (a cookie and a redirect into the panel); any later
 * GET of the same URL is refused, as are a session past its five minutes, one of a user removed,
 * suspended or whose password changed since. Sessions live in memory only, never in the state
 * file.
 */
import { randomBytes, randomInt } from "node:crypto";
import type { CallContext, Params, WhmAnswer } from "./call.js";
import { WhmRefusal } from "./refusal.js";
import type { WhmStore } from "./store.js";

/** Seconds a session may wait for its login (cPanel's Cpanel::Config::Session::PREAUTH_SESSION_DURATION). */
export const PREAUTH_SECONDS = 5 * 60;
/** cPanel's services; the emulator logs in to cpaneld only. */
const SERVICES = ["cpaneld", "webmaild", "whostmgrd"];

/** What a `create_user_session` app opens, as the jupiter theme links it (Cpanel::Themes::get_users_links). */
export const APP_LINKS: Readonly<Record<string, string>> = {
  FileManager_Home: "filemanager/index.html",
  Email_Accounts: "email_accounts/index.html",
  Database_MySQL: "sql/index.html",
  Database_phpMyAdmin: "sql/PhpMyAdmin.html",
  Cron_Home: "cron/index.html",
  Backups_Home: "backup/index.html",
  Domains_SubDomains: "subdomain/index.html",
  Password_Change: "passwd/index.html",
};

interface LoginSession {
  user: string;
  /** `/cpsess` and ten digits. */
  token: string;
  /** Where the login leads, relative to the server root. */
  goto: string;
  expires: number;
  used: boolean;
}

export type LoginOutcome =
  /** Logged in: where to send the browser and the cookie of the new session. */
  | { kind: "in"; location: string; cookie: string; user: string }
  | { kind: "refused"; why: string };

export class LoginSessions {
  private readonly pending = new Map<string, LoginSession>();
  /** cookie value → user, for the pages behind the login. */
  private readonly open = new Map<string, string>();

  create(user: string, theme: string, app: string | undefined, now: number): { session: string; token: string; goto: string | null; expires: number } {
    this.sweep(now);
    const session = `${user}:${randomBytes(24).toString("base64url")}`;
    const token = `/cpsess${String(randomInt(1_000_000_000, 10_000_000_000))}`;
    const link = app === undefined ? undefined : APP_LINKS[app];
    const goto = link === undefined ? null : `frontend/${theme}/${link}`;
    const expires = now + PREAUTH_SECONDS;
    this.pending.set(session, { user, token, goto: goto ?? `frontend/${theme}/index.html`, expires, used: false });
    return { session, token, goto, expires };
  }

  /** The first GET of a login URL: the session, once, before it expires. */
  login(token: string, session: string, now: number, stillAllowed: (user: string) => boolean): LoginOutcome {
    const found = this.pending.get(session);
    if (found === undefined || found.token !== token) return { kind: "refused", why: "The login session does not exist." };
    if (found.used) return { kind: "refused", why: "This login URL was already used: create a new session." };
    if (now > found.expires) return { kind: "refused", why: "The login session has expired." };
    if (!stillAllowed(found.user)) return { kind: "refused", why: "The account cannot log in now." };
    found.used = true;
    const cookie = randomBytes(24).toString("base64url");
    this.open.set(cookie, found.user);
    return { kind: "in", location: `${found.token}/${found.goto}`, cookie, user: found.user };
  }

  /** The user a panel page's session cookie belongs to, if it is open. */
  cookieUser(cookie: string | undefined): string | undefined {
    return cookie === undefined ? undefined : this.open.get(cookie);
  }

  /** Ends the user's sessions, used or not (a password change, a removal, a rename). */
  endUser(user: string): void {
    for (const [id, s] of this.pending) if (s.user === user) this.pending.delete(id);
    for (const [cookie, u] of this.open) if (u === user) this.open.delete(cookie);
  }

  private sweep(now: number): void {
    for (const [id, s] of this.pending) if (now > s.expires + PREAUTH_SECONDS) this.pending.delete(id);
  }
}

/** `create_user_session`: a one-time login into cPanel for an existing, unsuspended account. */
export function create_user_session(store: WhmStore, params: Params, ctx: CallContext): WhmAnswer {
  for (const name of ["user", "service"]) {
    if (params.get(name) === undefined) throw new WhmRefusal(`The “${name}” parameter is required.`);
  }
  const user = params.required("user");
  const service = params.required("service");
  if (!SERVICES.includes(service)) {
    throw new WhmRefusal(`The “service” parameter is invalid. The only supported services for this API call are “cpaneld”, “webmaild”, and “whostmgrd”.`);
  }
  const account = store.findUser(user.toLowerCase());
  if (account === undefined) throw new WhmRefusal(`You cannot create a session for the user “${user}” because they do not exist.`);
  if (account.suspended) throw new WhmRefusal(`You cannot create a session for the user “${account.user}” because they are currently suspended.`);
  if (service === "whostmgrd") throw new WhmRefusal(`You cannot create a “whostmgrd” session for the user “${account.user}” because they are not a reseller.`);
  if (service === "webmaild") throw new WhmRefusal("The emulator creates cpaneld sessions only.");
  const app = params.get("app");
  if (app !== undefined && app !== "" && !/^[0-9a-z_-]+$/i.test(app)) throw new WhmRefusal(`The requested application, ${app}, is invalid.`);
  const created = store.sessions.create(account.user, THEME, app === "" ? undefined : app, ctx.now);
  const query = new URLSearchParams();
  if (created.goto !== null) query.set("goto_uri", created.goto);
  query.set("session", created.session);
  return {
    reason: "Created session",
    data: {
      cp_security_token: created.token,
      expires: created.expires,
      service,
      session: created.session,
      url: `${ctx.origin}${created.token}/login/?${query.toString()}`,
    },
  };
}

/** Every emulated account uses cPanel's current theme. */
export const THEME = "jupiter";
