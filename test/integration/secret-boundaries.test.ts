/**
 * The API key at siteform's boundaries, through the real CLI against emulated servers: a key
 * written into a server's `url` or pasted into any field is refused before anything is sent,
 * and never shown; a key that reaches siteform from a server is masked in every output and
 * file; `http://` to another machine and `insecure_tls: true` are warned about; an https URL
 * answered in plain HTTP is said plainly.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ALPHA_SITE_YAML, ONE_SERVER_CONFIG, SMALL_PLAN_YAML, addSite, everyFile, startTestFleet, type TestFleet } from "./cli-harness.js";

const CONFIG = ONE_SERVER_CONFIG;

const FILES = { "siteform.yaml": CONFIG, "plans/small.yaml": SMALL_PLAN_YAML, "sites/alpha.yaml": ALPHA_SITE_YAML };

let fleet: TestFleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

async function start(options: { tls?: boolean } = {}): Promise<{ f: TestFleet; key: string; url: string }> {
  fleet = await startTestFleet(FILES, options);
  const key = fleet.env.S1_APISCP_KEY;
  if (key === undefined) throw new Error("the fleet set no key");
  return { f: fleet, key, url: fleet.server("s1").url };
}

/** The forms a key is pasted in (as issued, upper case, in dashed groups) and a prefix long enough to matter. */
function forms(key: string): string[] {
  return [key, key.toUpperCase(), key.replace(/(.{8})(?=.)/g, "$1-"), key.slice(0, 16)];
}

function expectNoKey(text: string, key: string): void {
  for (const form of forms(key)) expect(text.toLowerCase().includes(form.toLowerCase()), `leaked ${form}`).toBe(false);
}

/** siteform.yaml for server s1 with this url and any extra lines. */
const config = (url: string, ...extra: string[]): string => `servers:\n  s1:\n    url: ${url}\n    key_env: S1_APISCP_KEY\n${extra.map((l) => `    ${l}\n`).join("")}`;

describe("credentials in a server's url", () => {
  it.each([
    ["a user:password@ part", (url: string, key: string) => url.replace("://", `://admin:${key}@`), /carries a credential in a `user:password@` part/],
    ["an authkey query parameter", (url: string, key: string) => `${url}?authkey=${key}`, /carries a credential in the `authkey` query parameter/],
  ])("%s: validate and plan refuse it at the field, never echo it, and send nothing", async (_case, write, message) => {
    const { f, key, url } = await start();
    await f.write("siteform.yaml", config(write(url, key)));
    const validated = await f.cli(["validate"]);
    expect(validated.code).toBe(1);
    expect(validated.stdout).toMatch(/^siteform\.yaml:3:10 error `url` of server `s1` /m);
    expect(validated.stdout).toMatch(message);
    expect(validated.stdout).toMatch(/hint: remove it from `url` and put the key in the environment instead: S1_APISCP_KEY, the variable named by the server's `key_env`/);
    const planned = await f.cli(["plan", "-o", "plan.json"]);
    expect(planned.code).toBe(1);
    expect(`${planned.stdout}${planned.stderr}`).toMatch(message);
    expect(f.server("s1").calls.total).toBe(0);
    await expect(f.read("plan.json")).rejects.toThrow(/ENOENT/);
    expectNoKey([validated.stdout, validated.stderr, planned.stdout, planned.stderr].join("\n"), key);
  });

  it.each(["api_token", "password", "authinfo"])("the %s query parameter is refused the same way, also in JSON", async (name) => {
    const { f, key, url } = await start();
    await f.write("siteform.yaml", config(`${url}?${name}=${key}`));
    const r = await f.cli(["validate", "--format", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { errors: Array<{ code: string; file: string; line: number; path: string; message: string }> };
    expect(report.errors).toEqual([expect.objectContaining({ code: "secret", file: "siteform.yaml", line: 3, path: "servers.s1.url", message: expect.stringContaining(`the \`${name}\` query parameter`) as unknown })]);
    expectNoKey(r.stdout + r.stderr, key);
  });
});

describe("a known key in a field", () => {
  it.each([
    ["as issued", (key: string) => key],
    // Pasted as an operator might: upper case, in dashed groups.
    ["in upper case and dashed groups", (key: string) => key.toUpperCase().replace(/(.{8})(?=.)/g, "$1-")],
  ])("%s: validate and plan refuse it at the field, and no output or file carries it", async (_form, paste) => {
    const { f, key } = await start();
    const pasted = paste(key);
    await f.write("sites/alpha.yaml", `${ALPHA_SITE_YAML}services:\n  siteinfo:\n    notes: "new key ${pasted} (rotated)"\n`);
    const outputs: string[] = [];
    for (const format of ["text", "json"]) {
      const r = await f.cli(["validate", "--format", format]);
      expect(r.code).toBe(1);
      outputs.push(r.stdout, r.stderr);
    }
    expect(outputs[0]).toMatch(/^sites\/alpha\.yaml:9:12 error `services\.siteinfo\.notes` contains the key of server `s1` \(the value of S1_APISCP_KEY\), which must never be in git \(not shown here\) \[services\.siteinfo\.notes\]$/m);
    for (const format of ["text", "markdown", "json"]) {
      const r = await f.cli(["plan", "--format", format, "-o", `plan-${format}.json`]);
      expect(r.code).toBe(1);
      expect(`${r.stdout}${r.stderr}`).toMatch(/contains the key of server `s1`/);
      outputs.push(r.stdout, r.stderr);
      await expect(f.read(`plan-${format}.json`)).rejects.toThrow(/ENOENT/);
    }
    expect(f.server("s1").calls.total).toBe(0);
    // Every file siteform may have written, except the one the operator pasted the key into.
    const written = (await everyFile(f.dir)).replace(pasted, "");
    expectNoKey([...outputs, written].join("\n"), key);
  });
});

describe("a known key that comes from a server", () => {
  it("is masked in the plan and drift in every format, the plan file, and apply's report, journal and log", async () => {
    const { f, key } = await start();
    // Someone pasted the key into the site's notes in the panel; git says the notes are clean.
    addSite(f.server("s1"), "alpha.example", "alpha", { "siteinfo.plan": "starter", "siteinfo.email": "owner@alpha.example", "billing.invoice": "INV-1", "diskquota.quota": 2, "siteinfo.notes": `key ${key}` });
    await f.write("sites/alpha.yaml", `${ALPHA_SITE_YAML}services:\n  siteinfo:\n    notes: clean\n`);
    const outputs: string[] = [];
    for (const format of ["text", "markdown", "json"]) {
      const r = await f.cli(["plan", "--format", format, "-o", `plan-${format}.json`]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/siteinfo\.notes/);
      expect(r.stdout).toContain("[redacted]");
      outputs.push(r.stdout, r.stderr);
    }
    for (const format of ["text", "markdown", "json"]) {
      const drift = await f.cli(["drift", "--format", format]);
      expect(drift.code, drift.stderr).toBe(0);
      expect(drift.stdout).toMatch(/siteinfo\.notes/);
      outputs.push(drift.stdout, drift.stderr);
    }
    const applied = await f.cli(["apply", "plan-json.json", "--journal", "journal.jsonl", "--log-file", "apply.log", "--report-file", "report.json"]);
    expect(applied.code, applied.stderr).toBe(0);
    outputs.push(applied.stdout, applied.stderr);
    const files = await everyFile(f.dir);
    expect(files).toMatch(/"siteinfo\.notes"/);
    expectNoKey([...outputs, files].join("\n"), key);
    // The change itself was made: masking is in what siteform shows, not in what it does.
    const after = (await f.cli(["plan", "--detailed-exitcode"])).code;
    expect(after).toBe(0);
  });
});

describe("how the key travels", () => {
  it("http:// to another machine is a warning at validate and plan time", async () => {
    const { f } = await start();
    await f.write("siteform.yaml", config("http://siteform-test.invalid:2082/soap", "timeout_seconds: 5"));
    const validated = await f.cli(["validate"]);
    expect(validated.code).toBe(0);
    expect(validated.stdout).toMatch(/^siteform\.yaml:3:10 warning `url` of server `s1` is http:\/\/ to siteform-test\.invalid: the API key would travel over the network in clear text \[servers\.s1\.url\]$/m);
    expect(validated.stdout).toMatch(/hint: use https:\/\//);
    const planned = await f.cli(["plan"]);
    expect(planned.stderr).toMatch(/siteform\.yaml:3:10 warning `url` of server `s1` is http:\/\/ to siteform-test\.invalid/);
  });

  it("http:// to this machine is not warned about", async () => {
    const { f } = await start();
    const r = await f.cli(["validate"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 errors, 0 warnings/);
  });

  it("insecure_tls: true warns at validate and plan time, and still works", async () => {
    const { f, url } = await start({ tls: true });
    await f.write("siteform.yaml", config(url, "insecure_tls: true"));
    const validated = await f.cli(["validate"]);
    expect(validated.code).toBe(0);
    expect(validated.stdout).toMatch(/^siteform\.yaml:5:19 warning `insecure_tls: true` on server `s1`: its TLS certificate is not verified/m);
    const planned = await f.cli(["plan"]);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stderr).toMatch(/siteform\.yaml:5:19 warning `insecure_tls: true` on server `s1`/);
    expect(planned.stderr).toMatch(/hint: name the server's CA .* with `ca_file`/);
    expect(planned.stdout).toMatch(/\+ create\s+alpha\.example/);
    expect(f.server("s1").calls.total).toBeGreaterThan(0);
  });

  it("https:// to a plain-HTTP port is said plainly, with no OpenSSL error or CA hint, and nothing reaches the server", async () => {
    const { f, url } = await start();
    await f.write("siteform.yaml", config(url.replace("http://", "https://")));
    const r = await f.cli(["plan"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/s1: could not be read: .*the server answered plain HTTP on an https URL: use http:\/\/ or the server's TLS port in its `url`/);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/wrong version number|ssl3_get_record|EPROTO|ca_file|caFile|insecure/);
    expect(f.server("s1").calls.total).toBe(0);
  });
});
