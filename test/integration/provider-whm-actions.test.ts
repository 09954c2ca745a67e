/**
 * The WHM provider's everyday actions (issue 16) against the real WHM emulator over HTTPS,
 * through the module as the commands make it: usage equals what the emulator holds, converted
 * once to bytes (MB × 1,048,576; showbw's bytes as they are; 0 and "unlimited" as no limit), in
 * one listaccts and one showbw; a login URL the emulator's cPanel side accepts once and refuses
 * after, opening the app asked for; a password change the emulator records (a hash, a counter)
 * and a weak password refused in cPanel's words without the password in the message; the
 * service-info view; and neither the token, the password nor a login URL in any message.
 */
import http from "node:http";
import https from "node:https";
import { describe, expect, it } from "vitest";
import { startWhmEmulator, type RunningWhmEmulator, type WhmAccountInput, type WhmEmulatorOptions } from "../../src/emulator/whm/index.js";
import type { Provider, ResourceRef } from "../../src/providers/provider.js";
import { WHM } from "../../src/providers/whm/module.js";
import { caFileOf, providerError, testServer } from "../support/provider-fixture.js";
import { cleanupsAfterEach } from "../support/cleanups.js";

const TOKEN_ENV = "CP1_WHM_TOKEN";
const USER_ENV = "CP1_WHM_USER";
const KIND = "whm/account";
const MB = 1024 * 1024;
const STRONG = "Xk9#mP2$vL7!qR4z";

const cleanups = cleanupsAfterEach();

interface Fixture {
  emu: RunningWhmEmulator;
  provider: Provider;
  ca: Buffer;
}

async function fixture(accounts: WhmAccountInput[], options: WhmEmulatorOptions = {}): Promise<Fixture> {
  const emu = await startWhmEmulator({ tls: true, state: { accounts }, ...options });
  cleanups.push(() => emu.stop());
  const server = testServer("cp1", "whm", emu.url, { keyEnv: TOKEN_ENV, userEnv: USER_ENV }, { caFile: caFileOf(emu.caCert, cleanups) });
  const provider = WHM.create(server, { [TOKEN_ENV]: emu.token, [USER_ENV]: emu.user });
  cleanups.push(() => provider.close());
  return { emu, provider, ca: Buffer.from(emu.caCert ?? "") };
}

const ACME: WhmAccountInput = { user: "acme", domain: "acme.example", plan: "starter", email: "owner@acme.example", ip: "192.0.2.44", startdate: 1_600_000_000 };

function ref(f: Fixture, user: string): ResourceRef {
  const account = f.emu.accounts().find((a) => a.user === user);
  if (account === undefined) throw new Error(`no account ${user}`);
  return { kind: KIND, id: String(account.uid), name: account.domain };
}

interface Page {
  status: number;
  location: string | undefined;
  cookie: string | undefined;
  body: string;
}

/** One GET as a browser would send it (no redirects followed), trusting the emulator's CA. */
function get(url: string, ca: Buffer, cookie?: string): Promise<Page> {
  const target = new URL(url);
  const lib = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.get(target, { ca, headers: cookie === undefined ? {} : { Cookie: cookie } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        const set = res.headers["set-cookie"]?.[0];
        resolve({ status: res.statusCode ?? 0, location: res.headers.location, cookie: set?.split(";")[0], body });
      });
    });
    req.on("error", reject);
  });
}


/** The token must not appear whole, in another case, or as any 12-character run of it. */
function expectNoToken(text: string, token: string): void {
  const plain = text.toLowerCase();
  for (let i = 0; i + 12 <= token.length; i++) expect(plain).not.toContain(token.slice(i, i + 12).toLowerCase());
}

describe("usage", () => {
  it("reports every account's disk and bandwidth in bytes, as the emulator holds them, in one listaccts and one showbw", async () => {
    const f = await fixture([
      { ...ACME, limits: { quotaMb: 5120, bwlimitMb: 51200 }, usage: { diskMb: 14, bandwidthBytes: 5_242_880 } },
      { user: "bravo", domain: "bravo.example", plan: "default", usage: { diskMb: 2048, bandwidthBytes: 123_456_789 } },
      { user: "charlie", domain: "charlie.example", plan: "business", suspended: true, suspendreason: "unpaid", suspendtime: 1_700_000_000 },
    ]);
    f.emu.calls.reset();
    const usage = await f.provider.usage!();
    expect(f.emu.calls.byMethod()).toEqual({ listaccts: 1, showbw: 1 });
    const [acme, bravo, charlie] = f.emu.accounts();
    expect(usage).toEqual([
      { kind: KIND, id: String(acme!.uid), name: "acme.example", disk: { used: 14 * MB, limit: 5120 * MB }, bandwidth: { used: 5_242_880, limit: 51200 * MB } },
      // The `default` package is unlimited: WHM writes "unlimited" for disk and 0 for bandwidth.
      { kind: KIND, id: String(bravo!.uid), name: "bravo.example", disk: { used: 2048 * MB, limit: null }, bandwidth: { used: 123_456_789, limit: null } },
      { kind: KIND, id: String(charlie!.uid), name: "charlie.example", disk: { used: 0, limit: 20480 * MB }, bandwidth: { used: 0, limit: 204800 * MB } },
    ]);
  });

  it("follows the emulator when usage changes, and reads a limit changed in WHM", async () => {
    const f = await fixture([ACME]);
    f.emu.setUsage("acme", { diskMb: 4000, bandwidthBytes: 7 });
    await f.provider.execute({
      id: "cp1:update:acme.example",
      server: "cp1",
      kind: KIND,
      action: "update",
      target: { id: String(f.emu.accounts()[0]!.uid), name: "acme.example", key: null, source: null },
      changes: [{ field: "limits.disk_mb", before: 5120, after: 4096 }],
      flags: {},
      dependsOn: [],
      preconditions: { exists: true, id: String(f.emu.accounts()[0]!.uid), fields: {} },
      reason: "test",
      notes: [],
    });
    const [acme] = await f.provider.usage!();
    expect(acme?.disk).toEqual({ used: 4000 * MB, limit: 4096 * MB });
    expect(acme?.bandwidth).toEqual({ used: 7, limit: 51200 * MB });
  });

  it("narrows both calls to one account asked for, and reads everything when the domain no longer finds it", async () => {
    const f = await fixture([
      { ...ACME, usage: { diskMb: 14, bandwidthBytes: 99 } },
      { user: "bravo", domain: "bravo.example", plan: "default", usage: { diskMb: 1, bandwidthBytes: 1 } },
    ]);
    expect(await f.provider.usage!([])).toEqual([]);
    f.emu.calls.reset();
    const one = await f.provider.usage!([ref(f, "acme")]);
    expect(one).toEqual([{ kind: KIND, id: ref(f, "acme").id, name: "acme.example", disk: { used: 14 * MB, limit: 5120 * MB }, bandwidth: { used: 99, limit: 51200 * MB } }]);
    expect(f.emu.calls.byMethod()).toEqual({ listaccts: 1, showbw: 1 });
    f.emu.calls.reset();
    const renamed = await f.provider.usage!([{ ...ref(f, "acme"), name: "old-name.example" }]);
    expect(renamed.map((u) => u.name)).toEqual(["acme.example", "bravo.example"]);
    expect(f.emu.calls.byMethod()).toEqual({ listaccts: 2, showbw: 1 });
  });

  it("fails as the core's error kinds, without the token", async () => {
    const f = await fixture([ACME]);
    f.emu.setKnobs({ adminDisabled: true });
    const err = await providerError(f.provider.usage!());
    // A token without the privilege is a 403: the credentials are the thing to fix.
    expect(err.kind).toBe("auth");
    expect(err.message).toMatch(/^cp1: read disk and bandwidth usage: .*\(the user and token come from CP1_WHM_USER and CP1_WHM_TOKEN\)$/);
    expectNoToken(err.message, f.emu.token);
  });
});

describe("login", () => {
  it("hands out a one-time login URL: the emulator's cPanel accepts it once and refuses it after", async () => {
    const f = await fixture([ACME]);
    const before = Date.now();
    const link = await f.provider.login!(ref(f, "acme"), { user: null, app: null });
    expect(link.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/cpsess\d{10}\/login\/\?session=acme%3A/);
    // The credential inside the URL, for the core to mask wherever else it might appear.
    expect(link.secret).toMatch(/^[\w-]{16,}$/);
    expect(link.url).toContain(link.secret);
    expect(Date.parse(link.expires ?? "")).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 299_000);
    expect(Date.parse(link.expires ?? "")).toBeLessThanOrEqual(Date.now() + 301_000);

    const first = await get(link.url, f.ca);
    expect(first.status).toBe(302);
    expect(first.location).toMatch(/^\/cpsess\d{10}\/frontend\/jupiter\/index\.html$/);
    const home = await get(new URL(first.location!, link.url).href, f.ca, first.cookie);
    expect(home).toMatchObject({ status: 200, body: expect.stringContaining("logged in as acme") });

    const second = await get(link.url, f.ca);
    expect(second.status).toBe(401);
    expect(second.body).toContain("already used");
    expect(second.cookie).toBeUndefined();
  });

  it("opens the app asked for, by cPanel's name or siteform's short name; an unknown name just logs in", async () => {
    const f = await fixture([ACME]);
    for (const [app, page] of [
      ["filemanager", "filemanager/index.html"],
      ["Email_Accounts", "email_accounts/index.html"],
      ["databases", "sql/index.html"],
    ] as const) {
      const link = await f.provider.login!(ref(f, "acme"), { user: null, app });
      expect(new URL(link.url).searchParams.get("goto_uri")).toBe(`frontend/jupiter/${page}`);
      expect((await get(link.url, f.ca)).location).toMatch(new RegExp(`^/cpsess\\d{10}/frontend/jupiter/${page.replace(".", "\\.")}$`));
    }
    const plain = await f.provider.login!(ref(f, "acme"), { user: "acme", app: "NoSuchApp" });
    expect(new URL(plain.url).searchParams.has("goto_uri")).toBe(false);
  });

  it("finds the account by uid after a rename, and each link is its own session", async () => {
    const f = await fixture([ACME]);
    const old = ref(f, "acme");
    const a = await f.provider.login!(old, { user: null, app: null });
    const b = await f.provider.login!({ ...old, name: "renamed-away.example" }, { user: null, app: null });
    expect(a.url).not.toBe(b.url);
    expect((await get(b.url, f.ca)).status).toBe(302);
    expect((await get(a.url, f.ca)).status).toBe(302);
  });

  it("refuses another user, a suspended account and a bad app name, in WHM's words where WHM refused, with no URL in any message", async () => {
    const f = await fixture([ACME, { user: "held", domain: "held.example", suspended: true, suspendreason: "unpaid", suspendtime: 1_700_000_000 }]);
    f.emu.calls.reset();
    const other = await providerError(f.provider.login!(ref(f, "acme"), { user: "someone", app: null }));
    expect(other).toMatchObject({ kind: "rejected", retryable: false });
    expect(other.message).toMatch(/acme\.example's login is its cPanel user acme, not "someone"/);
    expect(f.emu.calls.count("create_user_session")).toBe(0);

    const held = await providerError(f.provider.login!(ref(f, "held"), { user: null, app: null }));
    expect(held.kind).toBe("rejected");
    expect(held.message).toContain("WHM refused create_user_session: You cannot create a session for the user “held” because they are currently suspended.");

    const badApp = await providerError(f.provider.login!(ref(f, "acme"), { user: null, app: "file manager" }));
    expect(badApp.message).toContain("The requested application, file manager, is invalid.");

    const missing = await providerError(f.provider.login!({ kind: KIND, id: "4242", name: "gone.example" }, { user: null, app: null }));
    expect(missing.message).toBe("cp1: log in to gone.example (uid 4242): there is no account gone.example (uid 4242) on the server");

    const wrongKind = await providerError(f.provider.login!({ kind: "apiscp/site", id: "site1", name: "acme.example" }, { user: null, app: null }));
    expect(wrongKind.message).toMatch(/a WHM server has no apiscp\/site/);
    for (const err of [other, held, badApp, missing, wrongKind]) {
      expect(err.message).not.toMatch(/cpsess|session=/);
      expectNoToken(err.message, f.emu.token);
    }
  });

  it("a link stops working once the account is suspended or its password changes", async () => {
    const f = await fixture([ACME]);
    const suspendedLater = await f.provider.login!(ref(f, "acme"), { user: null, app: null });
    const passwordLater = await f.provider.login!(ref(f, "acme"), { user: null, app: null });
    await f.provider.setPassword!(ref(f, "acme"), { user: null, password: STRONG });
    expect((await get(passwordLater.url, f.ca)).status).toBe(401);
    expect((await get(suspendedLater.url, f.ca)).status).toBe(401);
  });
});

describe("password", () => {
  it("sets the account's password with passwd; the emulator records a hash and the change, never the password", async () => {
    const f = await fixture([ACME]);
    expect(f.emu.accounts()[0]?.password).toEqual({ hash: null, changes: 0, changedAt: null });
    await f.provider.setPassword!(ref(f, "acme"), { user: null, password: STRONG });
    expect(f.emu.passwordMatches("acme", STRONG)).toBe(true);
    expect(f.emu.passwordMatches("acme", `${STRONG}x`)).toBe(false);
    const record = f.emu.accounts()[0]!.password;
    expect(record).toMatchObject({ changes: 1, changedAt: expect.any(Number) });
    expect(JSON.stringify(f.emu.accounts())).not.toContain(STRONG);
    await f.provider.setPassword!(ref(f, "acme"), { user: "acme", password: "t7^Gq!2wZ@e9Lp#4" });
    expect(f.emu.accounts()[0]!.password.changes).toBe(2);
  });

  it("passes WHM's refusal of a weak password on in WHM's words, without the password, and changes nothing", async () => {
    const f = await fixture([ACME]);
    const weak = "abcdef12";
    const err = await providerError(f.provider.setPassword!(ref(f, "acme"), { user: null, password: weak }));
    expect(err).toMatchObject({ kind: "rejected", retryable: false });
    expect(err.message).toBe(
      "cp1: set the password of acme.example (uid 1001): WHM refused passwd: Sorry, the password you selected cannot be used because it is too weak and would be too easy to guess. Please select a password with strength rating of 65 or higher.",
    );
    expect(f.emu.accounts()[0]!.password.changes).toBe(0);

    const named = await providerError(f.provider.setPassword!(ref(f, "acme"), { user: null, password: "acme-and-more-1!" }));
    expect(named.message).toContain("Sorry, the password may not contain the username for security reasons.");
    expect(named.message).not.toContain("acme-and-more-1!");
  });

  it("honours the server's minimum strength from the state", async () => {
    const f = await fixture([ACME], { state: { minpwstrength: 0, accounts: [ACME] } });
    await f.provider.setPassword!(ref(f, "acme"), { user: null, password: "abcdef12" });
    expect(f.emu.passwordMatches("acme", "abcdef12")).toBe(true);
  });

  it("keeps the password out of every message, even a lost answer's", async () => {
    const f = await fixture([ACME]);
    f.emu.setKnobs({ dropAfterWork: { passwd: 1 } });
    const err = await providerError(f.provider.setPassword!(ref(f, "acme"), { user: null, password: STRONG }));
    expect(err.kind).toBe("unknown-outcome");
    expect(err.message).not.toContain(STRONG);
    expect(err.message).not.toContain(encodeURIComponent(STRONG));
    expectNoToken(err.message, f.emu.token);
    const other = await providerError(f.provider.setPassword!(ref(f, "acme"), { user: "root", password: STRONG }));
    expect(other.message).toMatch(/login is its cPanel user acme, not "root"/);
  });
});

describe("describe", () => {
  it("gives cPanel's address for the account, deep links into its apps and what WHM says of it", async () => {
    const f = await fixture([ACME]);
    const info = await f.provider.describe!(ref(f, "acme"));
    expect(info.panelUrl).toBe("https://127.0.0.1:2083/");
    expect(info.links).toEqual([
      { label: "file manager", url: "https://127.0.0.1:2083/frontend/jupiter/filemanager/index.html", app: "filemanager" },
      { label: "email accounts", url: "https://127.0.0.1:2083/frontend/jupiter/email_accounts/index.html", app: "email" },
      { label: "MySQL databases", url: "https://127.0.0.1:2083/frontend/jupiter/sql/index.html", app: "databases" },
      { label: "terminal", url: "https://127.0.0.1:2083/frontend/jupiter/terminal/index.html" },
    ]);
    expect(info.facts).toEqual([
      { label: "cPanel user", value: "acme" },
      { label: "IP", value: "192.0.2.44" },
      { label: "package", value: "starter" },
      { label: "contact email", value: "owner@acme.example" },
      { label: "owner", value: "root" },
      { label: "created", value: "2020-09-13" },
    ]);
    expect(JSON.stringify(info)).not.toMatch(/cpsess|session=/);
    // Each link's app opens the same page signed in.
    for (const link of info.links.filter((l) => l.app !== undefined)) {
      const login = await f.provider.login!(ref(f, "acme"), { user: null, app: link.app! });
      expect(new URL(link.url).pathname.slice(1)).toBe(new URL(login.url).searchParams.get("goto_uri"));
    }
  });
});
