/**
 * `siteform usage`, `login`, `password` and `show RESOURCE` against the WHM emulator over HTTPS,
 * through the CLI as a user types them (issue 16):
 * - usage is what the emulator holds, converted to bytes once (listaccts' disk in MB × 1,048,576,
 *   showbw's bytes as they are, "unlimited" as no limit), in one listaccts and one showbw;
 *   `--over` exits 2 when an account is at or above it and 0 when none is; `--target` finds an
 *   account by any of its names (a user too, in git or not), as `login` does;
 * - a login URL that the emulator's cPanel side, fetched over HTTPS trusting the fleet's CA file,
 *   accepts once and refuses the second time; printed only with --print or to a terminal;
 * - a password change the emulator records (a hash and a counter), a weak one refused in WHM's
 *   exact words, the server's own minimum strength in them;
 * - the service-info view of an account: git's entry, cPanel's address and deep links, what
 *   listaccts says, the suspension's reason, usage;
 * - the login URL's session (the cpsess token and the session id) and the new password appear in
 *   no other output, JSON log, report, journal or written file.
 */
import { readFile } from "node:fs/promises";
import https from "node:https";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { passwordStrength, type RunningWhmEmulator, type WhmAccountInput, type WhmStateInput } from "../../src/emulator/whm/index.js";
import type { ResourceView } from "../../src/resources/resource-view.js";
import type { UsageReport } from "../../src/resources/usage-report.js";
import { everythingAfter, startTestFleet, type TestFleet, WHM_CONFIG, whmMutatingCalls, whmServer, withoutReadProgress } from "./cli-harness.js";

const MB = 1024 ** 2;
const GB = 1024 ** 3;
/** Strong enough for WHM's default minimum (65). */
const STRONG = "Xk9#mP2$vL7!qR4z";
/** cPanel's refusal of a password weaker than the server's minimum, as the emulator words it. */
const TOO_WEAK = (minimum: number): string =>
  `Sorry, the password you selected cannot be used because it is too weak and would be too easy to guess. Please select a password with strength rating of ${minimum} or higher.`;

/** On the `starter` package (5120 MB of disk, 51200 MB of bandwidth). */
const ACME_YAML = "server: cp1\nuser: acme\ndomain: acme.example\nemail: owner@acme.example\nplan: small\n";
/** A comment first: the entry starts on line 2. Its own disk limit, and no bandwidth limit. */
const BRAVO_YAML = "# Bravo's shop needs less disk and all the traffic it can get.\nserver: cp1\nuser: bravo\ndomain: bravo.example\nemail: it@bravo.example\nplan: small\nservices:\n  limits:\n    disk_mb: 1024\n    bandwidth_mb: unlimited\n";

const FILES = { "siteform.yaml": WHM_CONFIG, "plans/small.yaml": "whm_package: starter\n", "sites/acme.yaml": ACME_YAML, "sites/bravo.yaml": BRAVO_YAML };

/** acme 4900 MB of 5120 (95.7 %); bravo 256 MB of 1024 (25 %); held (suspended, not in git) nothing; stray (not in git) on `default`, unlimited. */
const ACCOUNTS: WhmAccountInput[] = [
  { uid: 1001, user: "acme", domain: "acme.example", email: "owner@acme.example", plan: "starter", ip: "192.0.2.44", startdate: 1_600_000_000, usage: { diskMb: 4900, bandwidthBytes: 5_000_000_007 } },
  { uid: 1002, user: "bravo", domain: "bravo.example", email: "it@bravo.example", plan: "starter", limits: { quotaMb: 1024, bwlimitMb: "unlimited" }, usage: { diskMb: 256, bandwidthBytes: 123_456_789 } },
  { uid: 1003, user: "held", domain: "held.example", email: "ops@held.example", plan: "starter", suspended: true, suspendreason: "unpaid invoice 2026-0042", suspendtime: 1_750_000_000 },
  { uid: 1004, user: "stray", domain: "stray.example", email: "ops@stray.example", plan: "default", usage: { diskMb: 2048, bandwidthBytes: 7 } },
];

let fleet: TestFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

async function start(state: Omit<WhmStateInput, "accounts"> = {}): Promise<TestFleet> {
  const f = (fleet = await startTestFleet(FILES, { tls: true, whmStates: { cp1: { ...state, accounts: ACCOUNTS } } }));
  whmServer(f, "cp1").calls.reset();
  return f;
}

function account(f: TestFleet, user: string): ReturnType<RunningWhmEmulator["accounts"]>[number] {
  const found = whmServer(f, "cp1").accounts().find((a) => a.user === user);
  if (found === undefined) throw new Error(`no account ${user}`);
  return found;
}

/** The CA file siteform.yaml names for cp1: what siteform trusts, and so what the test's browser trusts. */
async function fleetCa(f: TestFleet): Promise<Buffer> {
  const config = parse(await f.read("siteform.yaml")) as { servers: { cp1: { ca_file: string } } };
  return readFile(join(f.dir, config.servers.cp1.ca_file));
}

interface Page {
  status: number;
  location: string | undefined;
  cookie: string | undefined;
  body: string;
}

/** One GET as a browser sends it (no redirect followed), over HTTPS trusting only `ca`. */
function get(url: string, ca: Buffer | undefined, cookie?: string): Promise<Page> {
  return new Promise((resolve, reject) => {
    const req = https.get(new URL(url), { ca, agent: false, headers: cookie === undefined ? {} : { Cookie: cookie } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, cookie: res.headers["set-cookie"]?.[0]?.split(";")[0], body }));
    });
    req.on("error", reject);
  });
}

function usageOf(stdout: string): UsageReport {
  return JSON.parse(stdout) as UsageReport;
}

/** What the emulator holds of the account with `uid`, as bytes: MB limits and disk × 1,048,576, bandwidth used as it is. */
function heldInBytes(f: TestFleet, uid: string): { disk: { used: number; limit: number | null }; bandwidth: { used: number; limit: number | null } } {
  const a = whmServer(f, "cp1").accounts().find((held) => String(held.uid) === uid);
  if (a === undefined) throw new Error(`no account with uid ${uid}`);
  const mb = (limit: number | "unlimited"): number | null => (limit === "unlimited" || limit === 0 ? null : limit * MB);
  return { disk: { used: a.usage.diskMb * MB, limit: mb(a.limits.quotaMb) }, bandwidth: { used: a.usage.bandwidthBytes, limit: mb(a.limits.bwlimitMb) } };
}

describe("siteform usage on a WHM server", () => {
  it("reports what the emulator holds, converted to bytes once, closest to a limit first, in one listaccts and one showbw", async () => {
    const f = await start();
    const r = await f.cli(["usage", "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const report = usageOf(r.stdout);
    expect(report.servers).toEqual([{ name: "cp1", provider: "whm", status: "read", error: null }]);
    expect(report.managed.map((row) => row.name)).toEqual(["acme.example", "bravo.example"]);
    // Limited before unlimited: held's 0 % comes before stray, which has no limit at all.
    expect(report.unmanaged.map((row) => row.name)).toEqual(["held.example", "stray.example"]);
    for (const row of [...report.managed, ...report.unmanaged]) {
      const held = heldInBytes(f, row.id);
      expect({ disk: row.disk && { used: row.disk.used, limit: row.disk.limit }, bandwidth: row.bandwidth && { used: row.bandwidth.used, limit: row.bandwidth.limit } }, row.name).toEqual(held);
    }
    // The same figures written out: MB × 1,048,576 once, showbw's bytes untouched (not whole MB), "unlimited" as null.
    expect(report.managed[0]).toEqual({
      server: "cp1",
      kind: "whm/account",
      id: "1001",
      name: "acme.example",
      source: { file: "sites/acme.yaml", line: 1 },
      disk: { used: 4900 * MB, limit: 5120 * MB, percent: (4900 / 5120) * 100 },
      bandwidth: { used: 5_000_000_007, limit: 51200 * MB, percent: (5_000_000_007 / (51200 * MB)) * 100 },
      percent: (4900 / 5120) * 100,
    });
    expect(report.managed[1]).toMatchObject({ id: "1002", source: { file: "sites/bravo.yaml", line: 2 }, disk: { used: 256 * MB, limit: 1024 * MB, percent: 25 }, bandwidth: { used: 123_456_789, limit: null, percent: null }, percent: 25 });
    expect(report.unmanaged[1]).toMatchObject({ id: "1004", source: null, disk: { used: 2 * GB, limit: null }, bandwidth: { used: 7, limit: null }, percent: null });
    expect(report.overLimit).toBe(false);
    expect(whmServer(f, "cp1").calls.byMethod()).toEqual({ listaccts: 1, showbw: 1 });
    expect(whmMutatingCalls(whmServer(f, "cp1"))).toBe(0);

    // The figures follow the emulator: bravo now uses 1000 MB of its 1024 and comes first.
    whmServer(f, "cp1").setUsage("bravo", { diskMb: 1000, bandwidthBytes: 1 });
    const after = usageOf((await f.cli(["usage", "--format", "json"])).stdout);
    expect(after.managed.map((row) => row.name)).toEqual(["bravo.example", "acme.example"]);
    expect(after.managed[0]).toMatchObject({ disk: { used: 1000 * MB, limit: 1024 * MB }, bandwidth: { used: 1, limit: null } });
  });

  it("renders the panels' units in text, and --over exits 2 when an account is at or above it, 0 when none is", async () => {
    const f = await start();
    const text = await f.cli(["usage"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(
      [
        "Disk and bandwidth against their limits, closest to a limit first:",
        "",
        "  RESOURCE              SERVER  DISK                   BANDWIDTH              IN GIT",
        "  acme.example (1001)   cp1     4.8 GB of 5 GB (95 %)  4.7 GB of 50 GB (9 %)  sites/acme.yaml:1",
        "  bravo.example (1002)  cp1     256 MB of 1 GB (25 %)  117.7 MB (no limit)    sites/bravo.yaml:2",
        "",
        "Not in git (unmanaged):",
        "  held.example (1003)   cp1     0 B of 5 GB (0 %)      0 B of 50 GB (0 %)",
        "  stray.example (1004)  cp1     2 GB (no limit)        7 B (no limit)",
        "",
      ].join("\n"),
    );

    const over = await f.cli(["usage", "--over", "90", "--format", "json"]);
    expect(over.code, over.stderr).toBe(2);
    expect(usageOf(over.stdout)).toMatchObject({ over: 90, overLimit: true, managed: [{ name: "acme.example" }], unmanaged: [] });
    // 95.7 % is at or above 95.7 but not 95.8: the threshold compares the exact share.
    expect((await f.cli(["usage", "--over", "95.7"])).code).toBe(2);
    const none = await f.cli(["usage", "--over", "95.8"]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toBe("No resource is at or above 95.8 % of a disk or bandwidth limit.\n");
    const markdown = await f.cli(["usage", "--over", "20", "--format", "markdown"]);
    expect(markdown.code).toBe(2);
    expect(markdown.stdout).toMatch(/^### Near the limit: 20 % or more of disk or bandwidth\n\n2 resources are at or above 20 % of a disk or bandwidth limit, closest first:\n/);
    expect(markdown.stdout).toContain("| acme.example (1001) | cp1 | 4.8 GB of 5 GB (95 %) | 4.7 GB of 50 GB (9 %) | `sites/acme.yaml:1` |");

  });

  it("--target finds an account by any of its names, as login does: a user, a uid, a domain, in git or not", async () => {
    const f = await start();
    for (const [target, name] of [
      ["bravo", "bravo.example"],
      ["cp1/1002", "bravo.example"],
      // Not in git: usage rows carry only the uid and the domain, so the user is found by a full read.
      ["stray", "stray.example"],
      ["cp1/held", "held.example"],
      ["STRAY.example", "stray.example"],
    ] as const) {
      const r = await f.cli(["usage", "--format", "json", "--target", target]);
      expect(r.code, `${target}: ${r.stderr}`).toBe(0);
      const report = usageOf(r.stdout);
      expect([...report.managed, ...report.unmanaged].map((row) => row.name), target).toEqual([name]);
    }
    const both = usageOf((await f.cli(["usage", "--format", "json", "--target", "stray", "--target", "acme"])).stdout);
    expect([...both.managed, ...both.unmanaged].map((row) => row.name)).toEqual(["acme.example", "stray.example"]);
    expect(both.unmanaged[0]).toMatchObject({ id: "1004", disk: { used: 2 * GB, limit: null } });
    const typo = await f.cli(["usage", "--target", "strya"]);
    expect(typo.code).toBe(1);
    expect(withoutReadProgress(typo.stderr)).toBe('error: --target "strya" names no resource in the inventory or on the servers read\n  hint: did you mean "stray"?\n');
  });

  it("names a WHM server it cannot read, and exits 1", async () => {
    const f = await start();
    whmServer(f, "cp1").setKnobs({ adminDisabled: true });
    const r = await f.cli(["usage", "--over", "90"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^cp1: could not be read: cp1: read disk and bandwidth usage: .*CP1_WHM_TOKEN/m);
    expect(r.stdout + r.stderr).not.toContain(whmServer(f, "cp1").token);
  });
});

describe("siteform login on a WHM server", () => {
  it("prints a URL that the emulator's cPanel, over HTTPS with the fleet's CA, accepts once and refuses the second time", async () => {
    const f = await start();
    const before = Date.now();
    const r = await f.cli(["login", "acme.example", "--print"]);
    expect(r.code, r.stderr).toBe(0);
    const url = r.stdout.trim();
    expect(r.stdout).toBe(`${url}\n`);
    expect(new URL(url).origin).toBe(whmServer(f, "cp1").origin);
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/cpsess\d{10}\/login\/\?session=acme%3A[\w-]{16,}$/);
    const stderr = withoutReadProgress(r.stderr);
    const until = /^login URL for acme\.example \(1001\) on cp1, valid until (\S+): it signs in once; treat it as a password\n$/.exec(stderr);
    expect(until, stderr).not.toBeNull();
    // cPanel's five minutes to use it.
    expect(Date.parse(until?.[1] ?? "")).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 299_000);
    expect(Date.parse(until?.[1] ?? "")).toBeLessThanOrEqual(Date.now() + 301_000);
    expect(r.stderr).not.toMatch(/cpsess|session=/);
    expect(whmServer(f, "cp1").calls.count("create_user_session")).toBe(1);

    const ca = await fleetCa(f);
    // Not trusted without the fleet's CA: the URL really is HTTPS, and a refused handshake does not use it up.
    await expect(get(url, undefined)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
    const first = await get(url, ca);
    expect(first.status).toBe(302);
    expect(first.location).toMatch(/^\/cpsess\d{10}\/frontend\/jupiter\/index\.html$/);
    expect(first.cookie).toMatch(/^cpsession=[\w-]+$/);
    const home = await get(new URL(first.location ?? "", url).href, ca, first.cookie);
    expect(home.status).toBe(200);
    expect(home.body).toContain("logged in as acme at /frontend/jupiter/index.html");

    const second = await get(url, ca);
    expect(second.status).toBe(401);
    expect(second.body).toContain("This login URL was already used");
    expect(second.cookie).toBeUndefined();
  });

  it("opens the app asked for on a terminal, and says so in a JSON log without the URL", async () => {
    const f = await start();
    const r = await f.cli(["--log-format", "json", "login", "cp1/acme", "--app", "filemanager"], { isTTY: true });
    expect(r.code, r.stderr).toBe(0);
    const url = r.stdout.trim();
    expect(new URL(url).searchParams.get("goto_uri")).toBe("frontend/jupiter/filemanager/index.html");
    const events = r.stderr.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.find((e) => e.event === "login-issued")).toMatchObject({ server: "cp1", kind: "whm/account", id: "1001", name: "acme.example", user: null, app: "filemanager" });
    const session = new URL(url).searchParams.get("session") ?? "";
    expect(session).toMatch(/^acme:[\w-]{16,}$/);
    expect(r.stderr).not.toContain(session.slice("acme:".length));
    expect(r.stderr).not.toMatch(/cpsess|session=/);
    expect((await get(url, await fleetCa(f))).location).toMatch(/^\/cpsess\d{10}\/frontend\/jupiter\/filemanager\/index\.html$/);
  });

  it("refuses without a terminal or --print before asking WHM; another user before any session; a suspended account and a bad app in WHM's words", async () => {
    const f = await start();
    const quiet = await f.cli(["login", "acme.example"]);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toBe("");
    expect(quiet.stderr).toBe("error: the login URL is a credential, and stdout is not a terminal: add --print to print it anyway (and keep it out of logs)\n");
    expect(whmServer(f, "cp1").calls.total).toBe(0);

    const other = await f.cli(["login", "acme.example", "--print", "--user", "root"]);
    expect(other.code).toBe(1);
    expect(withoutReadProgress(other.stderr)).toMatch(/^error: cp1: log in to acme\.example \(uid 1001\): acme\.example's login is its cPanel user acme, not "root"/);
    const held = await f.cli(["login", "held", "--print"]);
    expect(held.code).toBe(1);
    expect(withoutReadProgress(held.stderr)).toBe(
      "error: cp1: log in to held.example (uid 1003): WHM refused create_user_session: You cannot create a session for the user “held” because they are currently suspended.\n",
    );
    const badApp = await f.cli(["login", "acme.example", "--print", "--app", "file manager"]);
    expect(badApp.code).toBe(1);
    expect(badApp.stderr).toMatch(/WHM refused create_user_session: The requested application, file manager, is invalid\.\n$/);
    for (const r of [other, held, badApp]) expect(r.stdout).toBe("");
    // Only the two WHM refused asked for a session.
    expect(whmServer(f, "cp1").calls.count("create_user_session")).toBe(2);
  });
});

describe("siteform password on a WHM server", () => {
  it("sets the password piped on stdin: the emulator records it, and a login URL made before stops working", async () => {
    const f = await start();
    const earlier = (await f.cli(["login", "acme.example", "--print"])).stdout.trim();
    whmServer(f, "cp1").calls.reset();
    const r = await f.cli(["password", "acme.example"], { stdinLine: async () => STRONG });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("Password of its login set for acme.example (1001) on cp1.\n");
    expect(whmServer(f, "cp1").passwordMatches("acme", STRONG)).toBe(true);
    expect(account(f, "acme").password).toMatchObject({ changes: 1, changedAt: expect.any(Number) as number });
    expect(whmServer(f, "cp1").calls.count("passwd")).toBe(1);
    expect(`${r.stdout}${r.stderr}`).not.toContain(STRONG);
    // cPanel ends a user's sessions when the password changes.
    expect((await get(earlier, await fleetCa(f))).status).toBe(401);
  });

  it("asks twice at a terminal without echo, and changes nothing when the two differ", async () => {
    const f = await start();
    const asked: string[] = [];
    const typed = [STRONG, STRONG];
    const ok = await f.cli(["password", "cp1/bravo"], { secret: async (q) => (asked.push(q), typed.shift() ?? null) });
    expect(ok.code, ok.stderr).toBe(0);
    expect(asked).toEqual(["New password for bravo.example on cp1: ", "Again: "]);
    expect(whmServer(f, "cp1").passwordMatches("bravo", STRONG)).toBe(true);
    const answers = ["t7^Gq!2wZ@e9Lp#4", "t7^Gq!2wZ@e9Lp#5"];
    const differ = await f.cli(["password", "bravo.example"], { secret: async () => answers.shift() ?? null });
    expect(differ.code).toBe(1);
    expect(withoutReadProgress(differ.stderr)).toBe("error: the two passwords differ: nothing was changed\n");
    expect(account(f, "bravo").password.changes).toBe(1);
  });

  it("shows WHM's refusal of a weak password in WHM's exact words, and changes nothing", async () => {
    const f = await start();
    const weak = await f.cli(["password", "acme.example"], { stdinLine: async () => "abcdef12" });
    expect(weak.code).toBe(1);
    expect(weak.stdout).toBe("");
    expect(withoutReadProgress(weak.stderr)).toBe(`error: cp1: set the password of acme.example (uid 1001): WHM refused passwd: ${TOO_WEAK(65)}\n`);
    const named = await f.cli(["password", "acme.example"], { stdinLine: async () => "my-acme-Pa55!word" });
    expect(withoutReadProgress(named.stderr)).toBe("error: cp1: set the password of acme.example (uid 1001): WHM refused passwd: Sorry, the password may not contain the username for security reasons.\n");
    expect(named.stderr).not.toContain("my-acme-Pa55!word");
    const short = await f.cli(["password", "acme.example"], { stdinLine: async () => "x1!Z" });
    expect(short.stderr).toMatch(/WHM refused passwd: Sorry, passwords must be at least 5 characters for security reasons\.\n$/);
    expect(account(f, "acme").password.changes).toBe(0);
    expect(whmServer(f, "cp1").calls.count("passwd")).toBe(3);
  });

  it("words the server's own minimum strength, and refuses another user before asking WHM", async () => {
    const medium = "mountain42";
    const strength = passwordStrength(medium);
    expect(strength).toBeGreaterThanOrEqual(65);
    expect(strength).toBeLessThan(90);
    const f = await start({ minpwstrength: 90 });
    const r = await f.cli(["password", "acme.example"], { stdinLine: async () => medium });
    expect(r.code).toBe(1);
    expect(withoutReadProgress(r.stderr)).toBe(`error: cp1: set the password of acme.example (uid 1001): WHM refused passwd: ${TOO_WEAK(90)}\n`);
    expect(whmServer(f, "cp1").passwordMatches("acme", medium)).toBe(false);
    const other = await f.cli(["password", "acme.example", "--user", "bob"], { stdinLine: async () => STRONG });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/acme\.example's login is its cPanel user acme, not "bob"/);
    expect(whmServer(f, "cp1").calls.count("passwd")).toBe(1);
  });

  it("says a lost answer may or may not have changed the password, without the password", async () => {
    const f = await start();
    whmServer(f, "cp1").setKnobs({ dropAfterWork: { passwd: 1 } });
    const r = await f.cli(["password", "acme.example"], { stdinLine: async () => STRONG });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\n {2}hint: the answer was lost, so the password may or may not have changed: set it again\n$/);
    expect(r.stderr).not.toContain(STRONG);
    expect(r.stderr).not.toContain(encodeURIComponent(STRONG));
    // It did change: WHM did the work and the answer was lost.
    expect(whmServer(f, "cp1").passwordMatches("acme", STRONG)).toBe(true);
  });
});

describe("siteform show RESOURCE on a WHM server", () => {
  it("shows git's entry, cPanel's address and deep links, what WHM says of the account and its usage; changes nothing", async () => {
    const f = await start();
    const r = await f.cli(["show", "acme.example"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        "acme.example (1001): account on cp1",
        "  server         cp1 (whm)",
        "  state          active",
        "  in git         sites/acme.yaml:1, plan small",
        "  panel          https://127.0.0.1:2083/",
        "  cPanel user    acme",
        "  IP             192.0.2.44",
        "  package        starter",
        "  contact email  owner@acme.example",
        "  owner          root",
        "  created        2020-09-13",
        "  disk           4.8 GB of 5 GB (95 %)",
        "  bandwidth      4.7 GB of 50 GB (9 %)",
        "  links",
        "    file manager     https://127.0.0.1:2083/frontend/jupiter/filemanager/index.html  (signed in: siteform login cp1/acme.example --app filemanager)",
        "    email accounts   https://127.0.0.1:2083/frontend/jupiter/email_accounts/index.html  (signed in: siteform login cp1/acme.example --app email)",
        "    MySQL databases  https://127.0.0.1:2083/frontend/jupiter/sql/index.html  (signed in: siteform login cp1/acme.example --app databases)",
        "    terminal         https://127.0.0.1:2083/frontend/jupiter/terminal/index.html",
        "",
      ].join("\n"),
    );
    expect(whmMutatingCalls(whmServer(f, "cp1"))).toBe(0);
    expect(whmServer(f, "cp1").calls.count("create_user_session")).toBe(0);

    const json = await f.cli(["show", "bravo", "--format", "json"]);
    expect(json.code, json.stderr).toBe(0);
    const view = JSON.parse(json.stdout) as ResourceView;
    expect(view).toMatchObject({
      server: "cp1",
      provider: "whm",
      kind: "whm/account",
      noun: "account",
      id: "1002",
      name: "bravo.example",
      state: "active",
      git: { file: "sites/bravo.yaml", line: 2, plan: "small", state: "active", protect: false },
      panelUrl: "https://127.0.0.1:2083/",
      notes: [],
    });
    expect(view.usage).toEqual({ disk: { used: 256 * MB, limit: 1024 * MB, percent: 25 }, bandwidth: { used: 123_456_789, limit: null, percent: null } });
    expect(view.facts).toContainEqual({ label: "package", value: "starter" });
  });

  it("finds an account by user, uid, inventory file or server and domain, in any case", async () => {
    const f = await start();
    for (const name of ["bravo", "BRAVO.example", "1002", "cp1/1002", "sites/bravo.yaml", "cp1/bravo.example"]) {
      const r = await f.cli(["show", name, "--format", "json"]);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect((JSON.parse(r.stdout) as ResourceView).name, name).toBe("bravo.example");
    }
  });

  it("gives WHM's suspension reason, and says what is unmanaged or only in git", async () => {
    const f = await start();
    const held = await f.cli(["show", "held.example"]);
    expect(held.code, held.stderr).toBe(0);
    expect(held.stdout).toMatch(/\n {2}state +suspended since \S+: unpaid invoice 2026-0042\n {2}in git +no: unmanaged \(`siteform import` writes its file\)\n/);
    await f.write("sites/new.yaml", "server: cp1\nuser: newbie\ndomain: new.example\nemail: a@new.example\nplan: small\n");
    const only = await f.cli(["show", "new.example"]);
    expect(only.code, only.stderr).toBe(0);
    expect(only.stdout).toMatch(/^new\.example: account on cp1\n {2}server +cp1 \(whm\)\n {2}state +not on cp1 \(only in git\)\n {2}in git +sites\/new\.yaml:1, plan small\n/);
  });
});

describe("a WHM login URL and a new password", () => {
  it("appear in no other output, JSON log, report, journal or written file, in this process or another", async () => {
    const f = await start();
    const ca = await fleetCa(f);
    const login = await f.cli(["--log-format", "json", "login", "acme.example", "--print", "--app", "filemanager"]);
    expect(login.code, login.stderr).toBe(0);
    const url = new URL(login.stdout.trim());
    const token = /^\/(cpsess\d{10})\//.exec(url.pathname)?.[1] ?? "";
    const session = url.searchParams.get("session") ?? "";
    expect(token).toMatch(/^cpsess\d{10}$/);
    expect(session).toMatch(/^acme:[\w-]{16,}$/);
    const password = "Fresh-Pa55word/4567&x";
    const changed = await f.cli(["--log-format", "json", "password", "acme.example"], { stdinLine: async () => password });
    expect(changed.code, changed.stderr).toBe(0);
    expect(whmServer(f, "cp1").passwordMatches("acme", password)).toBe(true);
    // A second login, never opened: its session is alive on the server while everything else runs.
    const alive = await f.cli(["login", "bravo", "--print"]);
    expect(alive.code, alive.stderr).toBe(0);
    const aliveUrl = new URL(alive.stdout.trim());

    // Something for apply to do (acme's contact e-mail), and an account for import to write.
    await f.write("sites/acme.yaml", ACME_YAML.replace("owner@acme.example", "billing@acme.example"));
    const after = await everythingAfter(f, "acme.example", [["import", "--server", "cp1", "--site", "stray"]]);

    // The runs did their work: the e-mail was applied, the stray account imported.
    expect(account(f, "acme").email).toBe("billing@acme.example");
    expect(await f.read("sites/stray.example.yaml")).toMatch(/user: stray/);
    expect(after.outputs).toMatch(/acme\.example/);
    const everything = [login.stderr, changed.stdout, changed.stderr, alive.stderr, after.outputs, after.files].join("\n");
    const aliveToken = /^\/(cpsess\d{10})\//.exec(aliveUrl.pathname)?.[1] ?? "";
    const aliveSession = aliveUrl.searchParams.get("session") ?? "";
    for (const secret of [token, session, encodeURIComponent(session), session.slice("acme:".length), aliveToken, aliveSession.slice("bravo:".length), password, encodeURIComponent(password), whmServer(f, "cp1").token]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(everything.includes(secret), `leaked ${secret}`).toBe(false);
    }
    // Not even masked: no output ever held them.
    expect(everything).not.toContain("[redacted]");
    expect(everything).not.toMatch(/cpsess|session=/);
    // The session that was never opened still works: nothing siteform did since used it.
    expect((await get(aliveUrl.href, ca)).status).toBe(302);
  });
});
