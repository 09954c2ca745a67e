/**
 * The cPanel side of the emulator, as far as a one-time login needs it: the login URL
 * `create_user_session` hands out (`GET /cpsessNNNNNNNNNN/login/?session=…`) and the pages behind
 * it (`/cpsessNNNNNNNNNN/frontend/…`). A login that works answers 302 into the panel with a
 * session cookie; a session already used, expired, of a removed or suspended account, or unknown
 * gets cPanel's login page with HTTP 401. The pages behind the login are a line saying who is
 * logged in and where, enough for a test to see which app a link opened. Nothing here logs the
 * session or the cookie.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { header, send } from "../../shared/response.js";
import type { WhmDispatcher } from "./dispatch.js";

const HTML = "text/html; charset=utf-8";
const COOKIE = "cpsession";

/** `/cpsess1234567890/login/` or `/cpsess1234567890/frontend/…`: the token and what follows it. */
export function panelPath(pathname: string): { token: string; rest: string } | undefined {
  const match = /^(\/cpsess\d{10})(\/.*)$/.exec(pathname);
  return match?.[1] === undefined || match[2] === undefined ? undefined : { token: match[1], rest: match[2] };
}

export function servePanel(dispatcher: WhmDispatcher, req: IncomingMessage, res: ServerResponse, url: URL, path: { token: string; rest: string }): void {
  req.resume();
  if (path.rest === "/login/" || path.rest === "/login") {
    const outcome = dispatcher.login(path.token, url.searchParams.get("session") ?? "");
    if (outcome.kind === "refused") return loginPage(res, outcome.why);
    const secure = url.protocol === "https:" ? "; Secure" : "";
    res.setHeader("Set-Cookie", `${COOKIE}=${outcome.cookie}; path=/; HttpOnly${secure}`);
    res.setHeader("Location", outcome.location);
    return send(res, 302, HTML, `<html><body>Logging in to cPanel as ${escape(outcome.user)}…</body></html>\n`);
  }
  const user = dispatcher.loggedIn(cookieOf(header(req, "cookie")));
  if (user === undefined) return loginPage(res, "Your session has expired or is not valid. Log in again.");
  send(res, 200, HTML, `<html><body><p>cPanel (emulated): logged in as ${escape(user)} at ${escape(path.rest)}</p></body></html>\n`);
}

function loginPage(res: ServerResponse, why: string): void {
  send(res, 401, HTML, `<html><head><title>cPanel Login</title></head><body><form action="/login/" method="post"><p>${escape(why)}</p><input name="user"><input name="pass" type="password"></form></body></html>\n`);
}

function cookieOf(cookies: string | undefined): string | undefined {
  for (const part of (cookies ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === COOKIE) return value.join("=");
  }
  return undefined;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
