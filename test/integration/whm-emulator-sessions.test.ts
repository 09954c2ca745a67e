/**
 * The WHM emulator's `create_user_session` and `passwd` on the wire (issue 16), below the
 * provider: the session's answer and its URL at the origin the caller used, the login that works
 * once and then never, five minutes to use it on the emulator's clock, cPanel's password
 * strength as Cpanel::PasswdStrength::Check computes it, and state that keeps a hash, never a
 * password, across a restart from the state file.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PREAUTH_SECONDS, passwordStrength, startWhmEmulator, type RunningWhmEmulator, type WhmEmulatorOptions } from "../../src/emulator/whm/index.js";
import { cleanupsAfterEach } from "../support/cleanups.js";

const NOW = 1_750_000_000;
const cleanups = cleanupsAfterEach();

async function start(options: WhmEmulatorOptions = {}): Promise<RunningWhmEmulator> {
  const emu = await startWhmEmulator({ state: { accounts: [{ user: "acme", domain: "acme.example" }] }, ...options });
  cleanups.push(() => emu.stop());
  return emu;
}

async function whm(emu: RunningWhmEmulator, fn: string, params: Record<string, string>): Promise<{ metadata: { result: number; reason: string }; data?: Record<string, unknown> }> {
  const res = await fetch(`${emu.url}/${fn}?${new URLSearchParams({ "api.version": "1", ...params })}`, { headers: { Authorization: `whm ${emu.user}:${emu.token}` } });
  return (await res.json()) as { metadata: { result: number; reason: string }; data?: Record<string, unknown> };
}

const open = (url: string): Promise<Response> => fetch(url, { redirect: "manual" });

describe("create_user_session", () => {
  it("answers cPanel's fields with a URL at the origin the caller used", async () => {
    const emu = await start({ clock: () => NOW });
    const answer = await whm(emu, "create_user_session", { user: "acme", service: "cpaneld", app: "Database_MySQL" });
    expect(answer.metadata).toMatchObject({ result: 1, reason: "Created session" });
    expect(answer.data).toEqual({
      cp_security_token: expect.stringMatching(/^\/cpsess\d{10}$/),
      expires: NOW + PREAUTH_SECONDS,
      service: "cpaneld",
      session: expect.stringMatching(/^acme:[\w-]+$/),
      url: expect.any(String),
    });
    const url = new URL(answer.data!.url as string);
    expect(url.origin).toBe(emu.origin);
    expect(url.pathname).toBe(`${answer.data!.cp_security_token as string}/login/`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ goto_uri: "frontend/jupiter/sql/index.html", session: answer.data!.session });
  });

  it("logs in once: a cookie and a redirect into the panel, then cPanel's login page for the same URL", async () => {
    const emu = await start();
    const { data } = await whm(emu, "create_user_session", { user: "acme", service: "cpaneld" });
    const first = await open(data!.url as string);
    expect(first.status).toBe(302);
    const cookie = first.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^cpsession=[\w-]+; path=\/; HttpOnly$/);
    const page = await fetch(new URL(first.headers.get("location")!, emu.origin), { headers: { Cookie: cookie.split(";")[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("logged in as acme at /frontend/jupiter/index.html");
    const again = await open(data!.url as string);
    expect(again.status).toBe(401);
    expect(await again.text()).toContain("cPanel Login");
    // The panel without its cookie is the login page too.
    expect((await fetch(new URL(first.headers.get("location")!, emu.origin))).status).toBe(401);
  });

  it("gives a session five minutes on the emulator's clock, and none to a tampered URL", async () => {
    let now = NOW;
    const emu = await start({ clock: () => now });
    const late = await whm(emu, "create_user_session", { user: "acme", service: "cpaneld" });
    const inTime = await whm(emu, "create_user_session", { user: "acme", service: "cpaneld" });
    now += PREAUTH_SECONDS;
    expect((await open(inTime.data!.url as string)).status).toBe(302);
    now += 1;
    expect((await open(late.data!.url as string)).status).toBe(401);
    const fresh = await whm(emu, "create_user_session", { user: "acme", service: "cpaneld" });
    const tampered = new URL(fresh.data!.url as string);
    tampered.pathname = "/cpsess0000000000/login/";
    expect((await open(tampered.href)).status).toBe(401);
    expect((await open(fresh.data!.url as string)).status).toBe(302);
  });

  it("refuses in cPanel's words", async () => {
    const emu = await start();
    expect((await whm(emu, "create_user_session", { user: "acme" })).metadata.reason).toBe("The “service” parameter is required.");
    expect((await whm(emu, "create_user_session", { user: "ghost", service: "cpaneld" })).metadata.reason).toBe(
      "You cannot create a session for the user “ghost” because they do not exist.",
    );
    expect((await whm(emu, "create_user_session", { user: "acme", service: "cpaneld", app: "../etc" })).metadata.reason).toBe("The requested application, ../etc, is invalid.");
  });
});

describe("passwd", () => {
  it("rates passwords as cPanel does", () => {
    expect(passwordStrength("")).toBe(0);
    expect(passwordStrength("abc")).toBe(1);
    expect(passwordStrength("Password")).toBe(1);
    // a, then b and c next to it (patterns), 1, then 2 next to it: 2 × log2(16) + 3 × log2(3) bits of 70.
    expect(passwordStrength("abc12")).toBe(Math.floor((100 * (2 * 4 + 3 * Math.log2(3))) / 70));
    expect(passwordStrength("abcdef12")).toBeLessThan(65);
    expect(passwordStrength("Xk9#mP2$vL7!qR4z")).toBe(100);
  });

  it("keeps a salted hash and a counter in the state file, never the password", async () => {
    const dir = mkdtempSync(join(tmpdir(), "siteform-whm-passwd-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "state.json");
    const emu = await startWhmEmulator({ stateFile: file, state: undefined, clock: () => NOW });
    await whm(emu, "createacct", { username: "acme", domain: "acme.example" });
    const answer = await whm(emu, "passwd", { user: "acme", password: "Xk9#mP2$vL7!qR4z" });
    expect(answer).toEqual({ metadata: expect.objectContaining({ result: 1, reason: "Password changed for user “acme”." }), data: { app: ["system", "ftp", "mail", "MySQL"] } });
    await emu.stop();
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain("Xk9#mP2$vL7!qR4z");
    expect(JSON.parse(text).accounts[0].password).toEqual({ hash: expect.stringMatching(/^sha256\$[0-9a-f]{32}\$[0-9a-f]{64}$/), changes: 1, changedAt: NOW });
    const again = await startWhmEmulator({ stateFile: file });
    cleanups.push(() => again.stop());
    expect(again.passwordMatches("acme", "Xk9#mP2$vL7!qR4z")).toBe(true);
  });
});
