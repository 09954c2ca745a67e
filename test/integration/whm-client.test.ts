/**
 * The WHM client against the real WHM emulator over HTTP(S): each function siteform calls and
 * the quirks of its answer, WHM's refusals (a taken user, an unknown package, a name starting
 * with `test`), the HTTP-level refusals (a wrong token, a token without privileges), and the
 * shared fault knobs as the client must classify them: a 503 is retryable transport, a lost
 * answer to createacct is an unknown outcome although the account exists. No error's text ever
 * holds the token. One fresh emulator per test.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startWhmEmulator, type RunningWhmEmulator, type WhmEmulatorOptions } from "../../src/emulator/whm/index.js";
import { decodeEnvelope } from "../../src/providers/whm/envelope.js";
import {
  WhmAuthError,
  WhmClient,
  WhmRejectedError,
  WhmTransportError,
  WhmUnknownOutcomeError,
  type WhmConnection,
} from "../../src/providers/whm/index.js";
import { mbToBytes } from "../../src/providers/whm/limits.js";
import { cleanupsAfterEach } from "../support/cleanups.js";

const START = 1_800_000_000;
const cleanups = cleanupsAfterEach();

async function emulator(options: WhmEmulatorOptions = {}): Promise<RunningWhmEmulator> {
  const emu = await startWhmEmulator({ clock: () => START, ...options });
  cleanups.push(() => emu.stop());
  return emu;
}

function client(emu: RunningWhmEmulator, extra: Partial<WhmConnection> = {}): WhmClient {
  const c = new WhmClient({ url: emu.url, user: emu.user, token: emu.token, timeoutMs: 5_000, ...extra });
  cleanups.push(() => c.close());
  return c;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`threw a non-error: ${String(err)}`, { cause: err });
  }
  throw new Error("expected the call to fail");
}

/** The token is in no part of the error a caller could print or serialise. */
function holdsNoToken(err: Error, token: string): void {
  const text = [err.message, err.stack ?? "", JSON.stringify(err), String(err.cause ?? "")].join("\n");
  expect(text).not.toContain(token);
}

async function withAccount(emu: RunningWhmEmulator, c: WhmClient, user = "acme", domain = "acme.example"): Promise<void> {
  await c.createacct({ username: user, domain, plan: "starter", contactemail: `owner@${domain}` });
  expect(emu.accounts().map((a) => a.user)).toContain(user);
}

describe("functions", () => {
  it("version answers the cPanel version", async () => {
    const emu = await emulator();
    expect(await client(emu).version()).toMatch(/^11\.\d+\.\d+\.\d+$/);
  });

  it("listpkgs lists the packages with their limits as WHM writes them", async () => {
    const emu = await emulator();
    const packages = await client(emu).listpkgs();
    expect(packages.map((p) => p.name)).toEqual(["default", "starter", "business"]);
    expect(packages.find((p) => p.name === "starter")?.raw).toMatchObject({ QUOTA: expect.anything(), HASSHELL: "n" });
  });

  it("createacct makes an account on the package; listaccts and accountsummary report it with WHM's quirks", async () => {
    const emu = await emulator();
    const c = client(emu);
    await withAccount(emu, c);
    const [row] = await c.listaccts();
    expect(row).toMatchObject({ uid: "1001", user: "acme", domain: "acme.example", suspended: false });
    expect(row?.raw).toMatchObject({ plan: "starter", email: "owner@acme.example", suspendreason: "not suspended", suspendtime: null, disklimit: "5120M", diskused: "0M" });
    const [summary] = await c.accountsummary({ domain: "acme.example" });
    expect(summary?.uid).toBe("1001");
    expect((await c.accountsummary({ user: "acme" }))[0]?.domain).toBe("acme.example");
  });

  it("listaccts returns only the wanted fields, and only the accounts a search finds", async () => {
    const emu = await emulator();
    const c = client(emu);
    await withAccount(emu, c);
    await withAccount(emu, c, "bravo", "bravo.example");
    const rows = await c.listaccts({ want: ["uid", "user", "domain"] });
    expect(rows.map((r) => Object.keys(r.raw).sort())).toEqual([
      ["domain", "uid", "user"],
      ["domain", "uid", "user"],
    ]);
    const found = await c.listaccts({ search: "bravo.example", searchtype: "domain", searchmethod: "exact" });
    expect(found.map((r) => r.user)).toEqual(["bravo"]);
  });

  it("accountsummary of an account that does not exist is WHM's refusal", async () => {
    const emu = await emulator();
    const err = await failure(client(emu).accountsummary({ domain: "nope.example" }));
    expect(err).toBeInstanceOf(WhmRejectedError);
    expect((err as WhmRejectedError).reason).toMatch(/does not exist/);
  });

  it("editquota and limitbw set MB (0 is unlimited); showbw reports the limit in bytes", async () => {
    const emu = await emulator();
    const c = client(emu);
    await withAccount(emu, c);
    await c.editquota("acme", 2048);
    await c.limitbw("acme", 20000);
    expect((await c.listaccts())[0]?.raw.disklimit).toBe("2048M");
    expect(await c.showbw()).toEqual([{ user: "acme", limit: mbToBytes(20000), used: 0 }]);
    await c.editquota("acme", 0);
    await c.limitbw("acme", 0);
    expect((await c.listaccts())[0]?.raw.disklimit).toBe("unlimited");
    expect((await c.showbw("acme"))[0]?.limit).toBe(0);
  });

  it("modifyacct renames the user and the domain in place: the uid stays", async () => {
    const emu = await emulator();
    const c = client(emu);
    await withAccount(emu, c);
    await c.modifyacct("acme", { newuser: "acmenew", DNS: "acme.test", contactemail: "new@acme.test", MAXPOP: 0, MAXSQL: "unlimited", HASSHELL: true });
    const [row] = await c.listaccts();
    expect(row).toMatchObject({ uid: "1001", user: "acmenew", domain: "acme.test" });
    expect(row?.raw).toMatchObject({ email: "new@acme.test", maxpop: "0", maxsql: "unlimited", shell: "/bin/bash" });
  });

  it("changepackage moves the account and rewrites its limits with the package's", async () => {
    const emu = await emulator();
    const c = client(emu);
    await withAccount(emu, c);
    await c.editquota("acme", 100);
    await c.changepackage("acme", "business");
    const [row] = await c.listaccts();
    expect(row?.raw).toMatchObject({ plan: "business", disklimit: "20480M" });
  });

  it("suspendacct stores the reason and the time; unsuspendacct clears them; removeacct removes", async () => {
    const emu = await emulator();
    const c = client(emu);
    await withAccount(emu, c);
    await c.suspendacct("acme", "siteform: cancelled on 2026-01-01");
    expect((await c.accountsummary({ user: "acme" }))[0]).toMatchObject({ suspended: true, raw: { suspendreason: "siteform: cancelled on 2026-01-01", suspendtime: START } });
    await c.unsuspendacct("acme");
    expect((await c.accountsummary({ user: "acme" }))[0]).toMatchObject({ suspended: false, raw: { suspendreason: "not suspended" } });
    await c.removeacct("acme");
    expect(await c.listaccts()).toEqual([]);
  });
});

describe("WHM's refusals", () => {
  it("refuses a user that exists, a package that does not, and a name starting with test", async () => {
    const emu = await emulator();
    const c = client(emu);
    await withAccount(emu, c);
    const taken = await failure(c.createacct({ username: "acme", domain: "other.example" }));
    expect(taken).toBeInstanceOf(WhmRejectedError);
    expect(taken).toMatchObject({ kind: "rejected", retryable: false, fn: "createacct" });
    const pkg = await failure(c.createacct({ username: "bravo", domain: "bravo.example", plan: "gold" }));
    expect(pkg).toBeInstanceOf(WhmRejectedError);
    expect((pkg as WhmRejectedError).reason).toMatch(/gold/);
    expect(await failure(c.changepackage("acme", "gold"))).toBeInstanceOf(WhmRejectedError);
    expect(await failure(c.createacct({ username: "testing", domain: "t.example" }))).toBeInstanceOf(WhmRejectedError);
    expect(emu.accounts().map((a) => a.user)).toEqual(["acme"]);
  });

  it("answers API 0's shape to a call without api.version, which the decoder recognises", async () => {
    const emu = await emulator();
    const res = await fetch(`${emu.url}/listaccts`, { headers: { Authorization: `whm ${emu.user}:${emu.token}` } });
    expect(decodeEnvelope(await res.text()).kind).toBe("api0");
  });
});

describe("authentication", () => {
  it("reads a wrong token as an auth error that does not quote either token", async () => {
    const emu = await emulator();
    const wrong = "W".repeat(32);
    const err = await failure(client(emu, { token: wrong }).listaccts());
    expect(err).toBeInstanceOf(WhmAuthError);
    expect(err).toMatchObject({ kind: "auth", retryable: false, status: 401 });
    holdsNoToken(err, wrong);
    holdsNoToken(err, emu.token);
  });

  it("reads a token without the privileges for a function (HTTP 403) as auth", async () => {
    const emu = await emulator({ knobs: { adminDisabled: true } });
    const err = await failure(client(emu).listaccts());
    expect(err).toBeInstanceOf(WhmAuthError);
    expect(err).toMatchObject({ status: 403 });
  });
});

describe("faults", () => {
  it("reads HTTP 503 as retryable transport, with nothing done", async () => {
    const emu = await emulator({ knobs: { failProbability: { "*": 1 }, failForm: { "*": "http503" } } });
    const c = client(emu);
    for (const call of [c.listaccts(), c.createacct({ username: "acme", domain: "acme.example" })]) {
      const err = await failure(call);
      expect(err).toBeInstanceOf(WhmTransportError);
      expect(err).toMatchObject({ retryable: true });
    }
    expect(emu.accounts()).toEqual([]);
  });

  it("reads WHM's in-band 'try again later' as a retryable refusal", async () => {
    const emu = await emulator({ knobs: { failProbability: { createacct: 1 }, failForm: { createacct: "fault" } } });
    const err = await failure(client(emu).createacct({ username: "acme", domain: "acme.example" }));
    expect(err).toMatchObject({ kind: "rejected", retryable: true });
  });

  it("reads a createacct whose answer was dropped after the work as an unknown outcome: the account exists", async () => {
    const emu = await emulator({ knobs: { dropAfterWork: { createacct: 1 } } });
    const c = client(emu);
    const err = await failure(c.createacct({ username: "acme", domain: "acme.example" }));
    expect(err).toBeInstanceOf(WhmUnknownOutcomeError);
    expect(err.message).toMatch(/read the account back/);
    expect(emu.accounts().map((a) => a.user)).toEqual(["acme"]);
    // A read that loses its answer is only a transport failure: asking again is safe.
    emu.setKnobs({ dropAfterWork: { listaccts: 1 } });
    expect(await failure(c.listaccts())).toBeInstanceOf(WhmTransportError);
  });

  it("reads an empty answer to a mutation as an unknown outcome", async () => {
    const emu = await emulator({ knobs: { returnNull: { suspendacct: 1 } } });
    const c = client(emu);
    await withAccount(emu, c);
    expect(await failure(c.suspendacct("acme", "x"))).toBeInstanceOf(WhmUnknownOutcomeError);
    expect(emu.accounts()[0]?.suspended).toBe(true);
  });

  it("reads a mutation that outlives the timeout as an unknown outcome", async () => {
    const emu = await emulator({ knobs: { latencyMs: { removeacct: 1_000 } } });
    const c = client(emu, { timeoutMs: 200 });
    await withAccount(emu, c);
    const err = await failure(c.removeacct("acme"));
    expect(err).toBeInstanceOf(WhmUnknownOutcomeError);
    expect(err.message).toMatch(/ETIMEDOUT/);
  });

  it("never puts the token in an error, whatever the failure", async () => {
    const emu = await emulator();
    const c = client(emu);
    const errors: Error[] = [];
    emu.setKnobs({ failProbability: { "*": 1 }, failForm: { "*": "reset" } });
    errors.push(await failure(c.listaccts()), await failure(c.createacct({ username: "acme", domain: "acme.example" })));
    emu.setKnobs({ failProbability: {}, dropAfterWork: { "*": 1 } });
    errors.push(await failure(c.suspendacct("acme")));
    emu.setKnobs({ dropAfterWork: {} });
    errors.push(await failure(c.accountsummary({ user: emu.token.toLowerCase().slice(0, 16) })));
    for (const err of errors) holdsNoToken(err, emu.token);
  });
});

describe("TLS", () => {
  it("verifies the emulator's certificate against ca_file, and refuses it without one", async () => {
    const emu = await emulator({ tls: true });
    const dir = mkdtempSync(join(tmpdir(), "whm-ca-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const caFile = join(dir, "ca.pem");
    writeFileSync(caFile, emu.caCert ?? "");
    expect(emu.url.startsWith("https://")).toBe(true);
    expect(await client(emu, { caFile }).version()).toMatch(/^11\./);
    const err = await failure(client(emu).version());
    expect(err).toBeInstanceOf(WhmTransportError);
    expect(err.message).toMatch(/TLS: name the server.s CA certificate.*`ca_file` in siteform\.yaml.*`insecure_tls: true`/);
    expect(await client(emu, { insecureTls: true }).version()).toMatch(/^11\./);
  });
});
