/**
 * Secret-marked service fields (passwords, DNS and mail provider keys) live on the server, never
 * in git. Whatever siteform reads or writes (plan in every format, the plan file, drift, import's
 * YAML, apply's report, journal and log) must not carry them, even when the server has them
 * set on sites siteform manages and on sites it imports. And a server that cannot be read
 * costs only its own plan.
 */
import { afterEach, describe, expect, it } from "vitest";
import { TWO_SERVERS_CONFIG, addSite, everyFile, everythingAfter, startTestFleet, type TestFleet } from "./cli-harness.js";


const CONFIG = TWO_SERVERS_CONFIG;

const PLAN = `apiscp_plan: basic
services:
  diskquota:
    quota: 5
    units: GB
`;

const site = (domain: string, server: string, admin: string, quota: number): string => `domain: ${domain}
server: ${server}
admin_user: ${admin}
email: ops@${domain}
plan: small
services:
  diskquota:
    quota: ${quota}
`;

const FILES = {
  "siteform.yaml": CONFIG,
  "plans/small.yaml": PLAN,
  "sites/kept.yaml": site("kept.example", "s1", "kept", 7),
  "sites/other.yaml": site("other.example", "s2", "other", 5),
};

/** Values no output may contain: the plaintext password, its crypt, and a provider key. */
const SECRETS = ["Plain-Pa55word-0123", "$6$rounds=5000$saltsalt$0123456789abcdefXYZ", "dns-provider-key-9f8e7d6c5b4a"];

let fleet: TestFleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});


describe("secret-marked fields and an unreachable server", () => {
  it("never shows a password or provider key the server holds, in any output or written file", async () => {
    fleet = await startTestFleet(FILES);
    const s1 = fleet.server("s1");
    const secrets = { "auth.tpasswd": SECRETS[0] as string, "dns.provider": "powerdns", "dns.key": SECRETS[2] as string };
    // A managed site with a drifted quota, and one git does not know yet: both carry secrets.
    addSite(s1, "kept.example", "kept", { "siteinfo.plan": "basic", "siteinfo.email": "ops@kept.example", "diskquota.quota": 3, "diskquota.units": "GB", ...secrets });
    addSite(s1, "found.example", "found", { "siteinfo.plan": "basic", "siteinfo.email": "ops@found.example", "auth.cpasswd": SECRETS[1] as string, "dns.provider": "powerdns", "dns.key": SECRETS[2] as string });
    addSite(fleet.server("s2"), "other.example", "other", { "siteinfo.plan": "basic", "siteinfo.email": "ops@other.example", "diskquota.quota": 5, "diskquota.units": "GB" });

    const outputs: string[] = [];
    for (const format of ["text", "markdown", "json"]) {
      const r = await fleet.cli(["plan", "--format", format, "-o", `plan-${format}.json`]);
      expect(r.code, r.stderr).toBe(0);
      outputs.push(r.stdout, r.stderr);
    }
    const drift = await fleet.cli(["drift", "--format", "json"]);
    outputs.push(drift.stdout, drift.stderr);
    const imported = await fleet.cli(["import", "--server", "s1"]);
    expect(imported.code, imported.stderr).toBe(0);
    outputs.push(imported.stdout, imported.stderr);
    const applied = await fleet.cli(["apply", "plan-json.json", "--journal", "journal.jsonl", "--log-file", "apply.log", "--report-file", "report.json"]);
    expect(applied.code, applied.stderr).toBe(0);
    outputs.push(applied.stdout, applied.stderr);

    // The runs did see the sites: the quota edit was planned and the unknown site imported.
    expect(outputs.join("\n")).toMatch(/diskquota\.quota/);
    expect(await fleet.read("sites/found.example.yaml")).toMatch(/found\.example/);
    const everything = `${outputs.join("\n")}\n${await everyFile(fleet.dir)}`;
    // Nor do the servers' API keys, which every one of these commands used.
    const keys = Object.values(fleet.env);
    expect(keys.length).toBe(2);
    for (const secret of [...SECRETS, ...keys]) expect(everything.includes(secret), `leaked ${secret}`).toBe(false);
    // The imported YAML validates: no secret field was written even as a placeholder.
    expect((await fleet.cli(["validate"])).code).toBe(0);
  });

  it("plans the servers it can read when another cannot be read, names the one it could not, and exits 1", async () => {
    fleet = await startTestFleet(FILES);
    addSite(fleet.server("s2"), "other.example", "other", { "siteinfo.plan": "basic", "siteinfo.email": "ops@other.example", "diskquota.quota": 5, "diskquota.units": "GB" });
    await fleet.server("s1").stop();
    const r = await fleet.cli(["plan", "--detailed-exitcode", "-o", "plan.json"]);
    expect(r.code).toBe(1);
    // s2 was planned (it matches git), s1 is named with the reason, and no plan file was written.
    expect(r.stdout).toMatch(/s2: no changes/);
    expect(r.stdout).toMatch(/s1: could not be read/);
    expect(r.stderr).toMatch(/not written/);
    await expect(fleet.read("plan.json")).rejects.toThrow(/ENOENT/);
  });

  it("never shows a login URL's session id or a new password anywhere but the one URL printed, in any output, JSON log, report or file", async () => {
    fleet = await startTestFleet(FILES);
    const f = fleet;
    expect((await f.cli(["apply", "--auto-approve"])).code).toBe(0);
    f.server("s1").api.setUsage?.("kept.example", { storageKb: 6 * 1024 * 1024, bandwidthBytes: 1 });

    const login = await f.cli(["--log-format", "json", "login", "kept.example", "--print", "--app", "filemanager"]);
    expect(login.code, login.stderr).toBe(0);
    const session = new URL(login.stdout.trim()).searchParams.get("esprit_id") ?? "";
    expect(session).toMatch(/^[0-9a-f]{32}$/);
    const password = "Fresh-Pa55word-4567";
    const changed = await f.cli(["--log-format", "json", "password", "kept.example"], { stdinLine: async () => password });
    expect(changed.code, changed.stderr).toBe(0);

    // Everything else siteform says and writes afterwards, in this process (where both are known secrets) and in another.
    const after = await everythingAfter(f, "kept.example");
    expect(after.outputs).toMatch(/kept\.example/);
    const everything = [login.stderr, changed.stdout, changed.stderr, after.outputs, after.files].join("\n");
    for (const secret of [session, password]) expect(everything.includes(secret), `leaked ${secret}`).toBe(false);
    // Not even masked: no output ever held them.
    expect(everything).not.toContain("[redacted]");
    expect(everything).not.toContain("esprit_id");
  });
});
