/**
 * `siteform login` and `siteform password` against the ApisCP emulator. A login URL opens the
 * panel once (the emulator's browser entry refuses the same URL a second time), is printed only
 * to a terminal or with --print (and then no session is made without them), and its session id
 * is on no other output. A password is read from a hidden prompt twice or from stdin, never from
 * the command line; the emulator records it (sealed); a weak one is refused in the panel's words.
 */
import { afterEach, describe, expect, it } from "vitest";
import { seal } from "../../src/emulator/apiscp/model/secrets.js";
import { ALPHA_SITE_YAML, ONE_SERVER_CONFIG, SMALL_PLAN_YAML, invoke, startTestFleet, withoutReadProgress, type TestFleet } from "./cli-harness.js";

let fleet: TestFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

async function start(): Promise<TestFleet> {
  const f = (fleet = await startTestFleet({ "siteform.yaml": ONE_SERVER_CONFIG, "plans/small.yaml": SMALL_PLAN_YAML, "sites/alpha.yaml": ALPHA_SITE_YAML }));
  expect((await f.cli(["apply", "--auto-approve"])).code).toBe(0);
  f.server("s1").calls.reset();
  return f;
}

/** The site's stored services, as the emulator keeps them (secrets sealed). */
function storedAuth(f: TestFleet, domain: string): Record<string, unknown> {
  const site = f.server("s1").api.snapshot().sites.find((s) => s.services.siteinfo?.domain === domain);
  return (site?.services.auth ?? {}) as Record<string, unknown>;
}

describe("siteform login", () => {
  it("prints a URL the panel accepts once, and refuses the second time", async () => {
    const f = await start();
    const r = await f.cli(["login", "alpha.example", "--print"]);
    expect(r.code, r.stderr).toBe(0);
    const url = r.stdout.trim();
    const origin = new URL(f.server("s1").url).origin;
    expect(url).toMatch(new RegExp(`^${origin.replace(/[.]/g, "\\.")}/apps/dashboard\\?esprit_id=[0-9a-f]{32}$`));
    const session = new URL(url).searchParams.get("esprit_id") ?? "";
    expect(r.stderr).toMatch(/login URL for alpha\.example \(site\d+\) on s1: it signs in once; treat it as a password\n/);
    expect(r.stderr).not.toContain(session);

    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(await first.text()).toMatch(/Signed in to site\d+ as alpha: dashboard\./);
    const second = await fetch(url);
    expect(second.status).toBe(403);
    expect(await second.text()).toMatch(/Invalid or expired session/);
    expect(f.server("s1").calls.byMethod()).toMatchObject({ admin_hijack: 1 });
  });

  it("opens an app on a terminal, by user name or id, and says so in JSON logs without the URL", async () => {
    const f = await start();
    const r = await f.cli(["--log-format", "json", "login", "alpha", "--app", "filemanager"], { isTTY: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\/apps\/filemanager\?esprit_id=[0-9a-f]{32}\n$/);
    const session = new URL(r.stdout.trim()).searchParams.get("esprit_id") ?? "";
    const events = r.stderr.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.find((e) => e.event === "login-issued")).toMatchObject({ server: "s1", name: "alpha.example", app: "filemanager" });
    expect(r.stderr).not.toContain(session);
    expect(r.stderr).not.toContain("esprit_id");
    expect((await fetch(r.stdout.trim())).status).toBe(200);
  });

  it("refuses to print the URL where it is not a terminal without --print, and makes no session", async () => {
    const f = await start();
    const r = await f.cli(["login", "alpha.example"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("error: the login URL is a credential, and stdout is not a terminal: add --print to print it anyway (and keep it out of logs)\n");
    expect(f.server("s1").calls.total).toBe(0);
  });

  it("shows the panel's refusal (a suspended site, an unknown user) and refuses an app name that is not one", async () => {
    const f = await start();
    const unknownUser = await f.cli(["login", "alpha.example", "--print", "--user", "mallory"]);
    expect(unknownUser.code).toBe(1);
    expect(withoutReadProgress(unknownUser.stderr)).toMatch(/^error: s1: log in to alpha\.example \(site\d+\): the server refused it: unknown user `mallory' on site\d+\n$/);
    const badApp = await f.cli(["login", "alpha.example", "--print", "--app", "../admin"]);
    expect(badApp.code).toBe(1);
    expect(badApp.stderr).toMatch(/"\.\.\/admin" is not a panel app's name/);
    invoke(f.server("s1"), "admin_deactivate_site", "alpha.example", { reason: "unpaid" });
    const suspended = await f.cli(["login", "alpha.example", "--print"]);
    expect(suspended.code).toBe(1);
    expect(suspended.stderr).toMatch(/the server refused it: site\d+ is suspended/);
  });
});

describe("siteform password", () => {
  it("sets the password piped on stdin; the emulator records it, and no output holds it", async () => {
    const f = await start();
    const password = "Corr3ct-Horse-Battery";
    const r = await f.cli(["password", "alpha.example"], { stdinLine: async () => password });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Password of its login set for alpha\.example \(site\d+\) on s1\.\n$/);
    expect(storedAuth(f, "alpha.example")).toMatchObject({ cpasswd: seal(password), tpasswd: null });
    expect(f.server("s1").calls.byMethod()).toMatchObject({ auth_change_password: 1 });
    expect(`${r.stdout}${r.stderr}`).not.toContain(password);
  });

  it("asks twice at a terminal without echo, and changes nothing when the two differ", async () => {
    const f = await start();
    const asked: string[] = [];
    const typed = ["Tw1ce-Typed-Secret", "Tw1ce-Typed-Secret"];
    const ok = await f.cli(["password", "s1/alpha"], { secret: async (q) => (asked.push(q), typed.shift() ?? null) });
    expect(ok.code, ok.stderr).toBe(0);
    expect(asked).toEqual(["New password for alpha.example on s1: ", "Again: "]);
    expect(storedAuth(f, "alpha.example").cpasswd).toBe(seal("Tw1ce-Typed-Secret"));

    const answers = ["First-Try-1234", "Second-Try-1234"];
    const differ = await f.cli(["password", "alpha.example"], { secret: async () => answers.shift() ?? null });
    expect(differ.code).toBe(1);
    expect(withoutReadProgress(differ.stderr)).toBe("error: the two passwords differ: nothing was changed\n");
    expect(storedAuth(f, "alpha.example").cpasswd).toBe(seal("Tw1ce-Typed-Secret"));
  });

  it("shows a weak password's refusal as the panel words it", async () => {
    const f = await start();
    const weak = await f.cli(["password", "alpha.example"], { stdinLine: async () => "qwerty" });
    expect(weak.code).toBe(1);
    expect(withoutReadProgress(weak.stderr)).toMatch(/^error: s1: set the password of the admin user of alpha\.example \(site\d+\): the server refused it: password is weak\n$/);
    const named = await f.cli(["password", "alpha.example"], { stdinLine: async () => "my-alpha-2024" });
    expect(named.stderr).toMatch(/the server refused it: password cannot be same as username\n$/);
    expect(named.stderr).not.toContain("my-alpha-2024");
    const other = await f.cli(["password", "alpha.example", "--user", "bob"], { stdinLine: async () => "Fine-Password-99" });
    expect(other.stderr).toMatch(/the server refused it: bob: user not found\n$/);
    expect(storedAuth(f, "alpha.example").cpasswd).not.toBe(seal("Fine-Password-99"));
  });

  it("never takes the password from the command line, and never echoes it", async () => {
    const f = await start();
    for (const args of [["--password", "Argv-Secret-77"], ["--password=Argv-Secret-77"], ["Argv-Secret-77"]]) {
      const r = await f.cli(["password", "alpha.example", ...args], { stdinLine: async () => "Other-Secret-88" });
      expect(r.code, args.join(" ")).toBe(1);
      expect(`${r.stdout}${r.stderr}`).not.toContain("Argv-Secret-77");
    }
    expect((await f.cli(["password", "alpha.example", "--password", "x"])).stderr).toMatch(/never takes a password on the command line/);
    const none = await f.cli(["password", "alpha.example"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no password given: type it at a terminal, or pipe it on stdin/);
    expect(f.server("s1").calls.byMethod().auth_change_password).toBeUndefined();
  });
});
