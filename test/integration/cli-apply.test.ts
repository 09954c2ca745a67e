/**
 * `siteform apply` end to end: the real CLI in-process, the real client, emulated servers on
 * loopback. Saved plans, stale plans, confirmation, fault injection through the emulator's
 * knobs, Ctrl-C, the journal, and a search of every output for the API key.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ApplyReport } from "../../src/applier/index.js";
import { addSite, domainsOn, invoke, invokeDaysAgo, mutatingCalls, startTestFleet, waitFor, type TestFleet, SMALL_PLAN_YAML, ALPHA_SITE_YAML } from "./cli-harness.js";

const CONFIG = `servers:
  s1:
    url: http://127.0.0.1:1/soap
    key_env: S1_APISCP_KEY
    concurrency: 2
policy:
  max_deletes: 3
`;

const SMALL_PLAN = SMALL_PLAN_YAML;
const ALPHA = ALPHA_SITE_YAML;

const GROUP = `invoice: INV-2
server: s1
sites:
  - domain: beta.example
    admin_user: beta
    email: owner@beta.example
    plan: small
  - domain: gamma.example
    admin_user: gamma
    email: owner@beta.example
    plan: small
`;

const BASE = { "siteform.yaml": CONFIG, "plans/small.yaml": SMALL_PLAN, "sites/alpha.yaml": ALPHA, "sites/group.yaml": GROUP };

type JsonReport = ApplyReport & { kind: string; formatVersion: number };

let fleet: TestFleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

async function start(files: Readonly<Record<string, string>> = BASE, options: Parameters<typeof startTestFleet>[1] = {}): Promise<TestFleet> {
  fleet = await startTestFleet(files, options);
  return fleet;
}

function lines(text: string): Array<Record<string, unknown>> {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("siteform apply FILE", () => {
  it("applies a saved plan, journals it, reports it, and a new plan is empty", async () => {
    const f = await start();
    const planned = await f.cli(["plan", "-o", "plan.json", "--detailed-exitcode"]);
    expect(planned.code, planned.stderr).toBe(2);
    expect(planned.stdout).toMatch(/create\s+alpha\.example/);

    const applied = await f.cli(["apply", "plan.json", "--journal", "journal.jsonl", "--report-file", "report.json", "--report-format", "json", "--log-file", "apply.log"]);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toMatch(/Apply complete: all 3 ops done/);
    // Progress goes to stderr, one line per event when not on a terminal.
    expect(applied.stderr).toMatch(/start s1 create alpha\.example/);
    expect(domainsOn(f.server("s1"))).toEqual(["alpha.example", "beta.example", "gamma.example"]);

    const report = JSON.parse(await f.read("report.json")) as JsonReport;
    expect(report.kind).toBe("siteform-apply-report");
    expect(report.ok).toBe(true);
    expect(report.totals).toMatchObject({ done: 3, total: 3 });

    const journal = lines(await f.read("journal.jsonl"));
    expect(journal[0]?.record).toBe("header");
    expect(journal.at(-1)).toMatchObject({ record: "footer", ok: true, interrupted: false });
    for (const op of report.ops) {
      expect(journal.filter((r) => r.op === op.id).map((r) => r.record)).toEqual(["start", "finish"]);
    }
    const log = lines(await f.read("apply.log"));
    expect(log.some((entry) => entry.msg === "apply finished")).toBe(true);

    const again = await f.cli(["plan", "--detailed-exitcode"]);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toMatch(/No changes/);
  });

  it("refuses a plan whose site changed on the server, names the op and the change, and sends nothing", async () => {
    const f = await start();
    const s1 = f.server("s1");
    addSite(s1, "alpha.example", "alpha", { "siteinfo.plan": "starter", "siteinfo.email": "owner@alpha.example", "billing.invoice": "INV-1", "diskquota.quota": 1 });
    const planned = await f.cli(["plan", "-o", "plan.json"]);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toMatch(/update\s+alpha\.example/);

    // Someone changes the site in the panel between review and apply.
    invoke(s1, "admin_edit_site", "alpha.example", { "diskquota.quota": 5 }, {});
    s1.calls.reset();
    const applied = await f.cli(["apply", "plan.json"]);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(/plan\.json is not what siteform would do now, so nothing was applied/);
    expect(applied.stderr).toMatch(/s1 update alpha\.example \[s1:update:alpha\.example\]: the file changes diskquota\.quota 1 → 2, siteform would change diskquota\.quota 5 → 2/);
    expect(applied.stderr).toMatch(/because the server changed since the plan: diskquota\.quota was 1 when planned, is now 5/);
    expect(applied.stderr).toMatch(/Run `siteform plan -o FILE` again/);
    expect(mutatingCalls(s1)).toBe(0);
    expect(s1.calls.count("admin_collect")).toBeGreaterThan(0);
    expect(domainsOn(s1)).toEqual(["alpha.example"]);
  });

  it("refuses a plan file of an unknown format version before talking to any server", async () => {
    const f = await start();
    expect((await f.cli(["plan", "-o", "plan.json"])).code).toBe(0);
    const doc = JSON.parse(await f.read("plan.json")) as Record<string, unknown>;
    await f.write("plan.json", JSON.stringify({ ...doc, formatVersion: 99 }));
    f.server("s1").calls.reset();
    const applied = await f.cli(["apply", "plan.json"]);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(/plan\.json: written by a newer siteform \(plan format 99/);
    expect(applied.stderr).toMatch(/Nothing was applied/);
    expect(f.server("s1").calls.total).toBe(0);
  });

  it("refuses a broken plan file, an unwritable -o, and planning flags with a plan file", async () => {
    const f = await start();
    await f.write("broken.json", "{ not json");
    const broken = await f.cli(["apply", "broken.json"]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.json:1:\d+: not a plan file/);

    const unwritable = await f.cli(["plan", "-o", "no/such/dir/plan.json"]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toMatch(/error: cannot write the plan to .*the directory does not exist/);

    expect((await f.cli(["plan", "-o", "plan.json"])).code).toBe(0);
    const wrong = await f.cli(["apply", "plan.json", "--reset"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/--reset changes how a plan is made, and plan\.json records how it was made/);
    expect(mutatingCalls(f.server("s1"))).toBe(0);
  });

  it("applies a saved plan whole: --server may not leave one of its servers out", async () => {
    const config = `${CONFIG.replace("policy:", "  s2:\n    url: http://127.0.0.1:1/soap\n    key_env: S2_APISCP_KEY\npolicy:")}`;
    const other = "domain: delta.example\nserver: s2\nadmin_user: delta\nemail: owner@delta.example\nplan: small\n";
    const f = await start({ ...BASE, "siteform.yaml": config, "sites/delta.yaml": other });
    expect((await f.cli(["plan", "-o", "both.json"])).code).toBe(0);
    const partial = await f.cli(["apply", "both.json", "--server", "s1"]);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(/also changes server s2, which --server does not name/);
    expect(mutatingCalls(f.server("s1")) + mutatingCalls(f.server("s2"))).toBe(0);

    expect((await f.cli(["plan", "--server", "s2", "-o", "s2.json"])).code).toBe(0);
    const one = await f.cli(["apply", "s2.json", "--server", "s2"]);
    expect(one.code, one.stderr).toBe(0);
    expect(domainsOn(f.server("s2"))).toEqual(["delta.example"]);
    expect(mutatingCalls(f.server("s1"))).toBe(0);
  });

  it("reports a missing key by the variable's name and sends nothing", async () => {
    const f = await start();
    expect((await f.cli(["plan", "-o", "plan.json"])).code).toBe(0);
    const applied = await f.cli(["apply", "plan.json"], { env: {} });
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(/S1_APISCP_KEY/);
    expect(mutatingCalls(f.server("s1"))).toBe(0);
  });
});

describe("siteform apply without a plan file", () => {
  it("shows the plan and refuses without a terminal or --auto-approve, sending nothing", async () => {
    const f = await start();
    const refused = await f.cli(["apply"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/create\s+alpha\.example/);
    expect(refused.stderr).toMatch(/nothing was applied/);
    expect(refused.stderr).toMatch(/--auto-approve/);

    const nobody = await f.cli(["apply"], { prompt: () => Promise.resolve(null) });
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/--auto-approve/);
    expect(mutatingCalls(f.server("s1"))).toBe(0);
    expect(domainsOn(f.server("s1"))).toEqual([]);
  });

  it("asks for exactly 'yes'", async () => {
    const f = await start();
    const questions: string[] = [];
    const no = await f.cli(["apply"], { prompt: (q) => (questions.push(q), Promise.resolve("y")) });
    expect(no.code).toBe(1);
    expect(no.stderr).toMatch(/Apply cancelled/);
    expect(questions[0]).toMatch(/Apply these 3 operations\? Only 'yes' is accepted: $/);
    expect(mutatingCalls(f.server("s1"))).toBe(0);

    const yes = await f.cli(["apply"], { prompt: () => Promise.resolve("yes") });
    expect(yes.code, yes.stderr).toBe(0);
    expect(domainsOn(f.server("s1"))).toEqual(["alpha.example", "beta.example", "gamma.example"]);
  });

  it("applies with --auto-approve, and then there is nothing to do", async () => {
    const f = await start();
    // The report's format follows the file's extension when --report-format is not given.
    const applied = await f.cli(["apply", "--auto-approve", "--report-file", "report.md"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(await f.read("report.md")).toMatch(/### ✅ siteform apply/);
    const again = await f.cli(["apply", "--auto-approve"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/No changes/);
    expect((await f.cli(["plan", "--detailed-exitcode"])).code).toBe(0);
  });

  it("refuses a plan with errors (too many deletions) unless --allow-deletes", async () => {
    const old = "domain: old.example\nserver: s1\nadmin_user: oldsite\nemail: owner@old.example\nplan: small\nstate: cancelled\ncancelled_on: 2020-01-01\n";
    const f = await start({ ...BASE, "siteform.yaml": CONFIG.replace("max_deletes: 3", "max_deletes: 0"), "sites/old.yaml": old });
    const s1 = f.server("s1");
    // Cancelled long ago: siteform suspended it 90 days ago, so this plan deletes it.
    invokeDaysAgo(s1, 90, "admin_add_site", "old.example", "oldsite", { "siteinfo.email": "owner@old.example", "diskquota.quota": 2 }, { plan: "starter" });
    invokeDaysAgo(s1, 90, "admin_deactivate_site", "old.example", { reason: "siteform: cancelled on 2020-01-01" });
    const refused = await f.cli(["apply", "--auto-approve"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/delete\s+old\.example/);
    expect(refused.stdout).toMatch(/policy\.max_deletes/);
    expect(refused.stderr).toMatch(/the plan has errors/);
    expect(mutatingCalls(s1)).toBe(0);

    const allowed = await f.cli(["apply", "--auto-approve", "--allow-deletes", "1"]);
    expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);
    expect(domainsOn(s1)).toEqual(["alpha.example", "beta.example", "gamma.example"]);
  });
});

describe("siteform apply under faults", () => {
  it("recovers from transient failures", async () => {
    const f = await start();
    const s1 = f.server("s1");
    s1.setKnobs({ failProbability: { admin_add_site: 1 }, failForm: { admin_add_site: "http503" } });
    const running = f.cli(["apply", "--auto-approve"]);
    await waitFor(() => s1.calls.count("admin_add_site") >= 2, 10_000, "two failed creates");
    s1.setKnobs({ failProbability: {} });
    const applied = await running;
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/after \d attempts/);
    expect(applied.stderr).toMatch(/retry s1 create/);
    expect(domainsOn(s1)).toEqual(["alpha.example", "beta.example", "gamma.example"]);
  });

  it("skips the dependents of a permanently refused op and runs the independent ones", async () => {
    // The server's starter plan allows one alias; the group's parent asks for two, so ApisCP refuses to create it.
    const group = GROUP.replace("    plan: small\n", "    plan: small\n    aliases: [beta.example.org, beta.example.net]\n");
    const f = await start({ ...BASE, "sites/group.yaml": group });
    const applied = await f.cli(["apply", "--auto-approve", "--report-file", "report.json", "--report-format", "json"]);
    expect(applied.code).toBe(1);
    expect(applied.stdout).toMatch(/Failed \(1\):\n\s+s1 create beta\.example \(\d+ fields set\): .*alias/);
    expect(applied.stdout).toMatch(/Skipped \(1\):\n\s+s1 create gamma\.example/);
    expect(applied.stdout).toMatch(/Done \(1\):\n\s+s1 create alpha\.example/);
    const report = JSON.parse(await f.read("report.json")) as JsonReport;
    expect(report.ok).toBe(false);
    expect(Object.fromEntries(report.ops.map((op) => [op.name, op.status]))).toEqual({ "alpha.example": "done", "beta.example": "failed", "gamma.example": "skipped" });
    // A refusal is final: the create was sent once.
    expect(f.server("s1").calls.count("admin_add_site")).toBe(2);
    expect(domainsOn(f.server("s1"))).toEqual(["alpha.example"]);
  });

  it("reads back a create whose answer was lost instead of creating it twice", async () => {
    const f = await start();
    const s1 = f.server("s1");
    s1.setKnobs({ dropAfterWork: { admin_add_site: 1 } });
    const applied = await f.cli(["apply", "--auto-approve"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/confirmed by reading back/);
    expect(s1.calls.count("admin_add_site")).toBe(3);
    expect(domainsOn(s1)).toEqual(["alpha.example", "beta.example", "gamma.example"]);
    s1.setKnobs({ dropAfterWork: {} });
    expect((await f.cli(["plan", "--detailed-exitcode"])).code).toBe(0);
  });

  it("on Ctrl-C lets the ops in flight finish, starts no new one, and still writes the report and journal", async () => {
    const sites = Object.fromEntries(
      ["one", "two", "three", "four", "five", "six"].map((name, i) => [
        `sites/${name}.yaml`,
        `domain: ${name}.example\nserver: s1\nadmin_user: ${name}\nemail: owner@${name}.example\nplan: small\ninvoice: INV-9${i}\n`,
      ]),
    );
    const f = await start({ "siteform.yaml": CONFIG, "plans/small.yaml": SMALL_PLAN, ...sites });
    const s1 = f.server("s1");
    s1.setKnobs({ latencyMs: { admin_add_site: 1000 } });
    const stop = new AbortController();
    const running = f.cli(["apply", "--auto-approve", "--journal", "journal.jsonl", "--report-file", "report.txt"], { interrupted: stop.signal });
    await waitFor(() => s1.calls.count("admin_add_site") >= 2, 10_000, "two creates in flight");
    stop.abort();
    const applied = await running;
    expect(applied.code).toBe(130);
    expect(applied.stdout).toMatch(/Apply interrupted: 4 skipped, 2 done of 6 ops/);
    expect(applied.stderr).toMatch(/interrupted/);
    // Concurrency 2: the two creates in flight finished, the four others never started.
    expect(s1.calls.count("admin_add_site")).toBe(2);
    expect(domainsOn(s1)).toHaveLength(2);
    const report = await f.read("report.txt");
    expect(report).toMatch(/Totals: 2 done, 0 failed, 0 conflict, 0 unknown, 4 skipped, 6 in all\./);
    const journal = lines(await f.read("journal.jsonl"));
    expect(journal.some((r) => r.record === "interrupted")).toBe(true);
    expect(journal.at(-1)).toMatchObject({ record: "footer", ok: false, interrupted: true });
    expect(journal.filter((r) => r.record === "start")).toHaveLength(2);
    expect(journal.filter((r) => r.record === "finish" && r.status === "skipped")).toHaveLength(4);
  });
});

describe("secrets", () => {
  const KEY = "5ec2e7a1b0c4d9e8f7a6b5c4d3e2f1a05ec2e7a1b0c4d9e8f7a6b5c4d3e2f1a0";
  const WRONG = "0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de";

  it("never prints or writes the API key: plan, apply, drift, faults, a refused key", async () => {
    const f = await start(BASE, { emulator: { key: KEY } });
    expect(f.env.S1_APISCP_KEY).toBe(KEY);
    const s1 = f.server("s1");
    const outputs: string[] = [];
    const keep = (r: { stdout: string; stderr: string }): void => void outputs.push(r.stdout, r.stderr);

    keep(await f.cli(["plan", "-o", "plan.json", "--format", "json"]));
    keep(await f.cli(["plan", "--format", "markdown"]));
    keep(await f.cli(["show", "plan.json"]));
    // A transient failure and a lost answer, so that retry and read-back messages are written too.
    s1.setKnobs({ failProbability: { admin_add_site: 0.5 }, dropAfterWork: { admin_add_site: 0.5 } });
    keep(await f.cli(["apply", "plan.json", "--journal", "journal.jsonl", "--report-file", "report.json", "--report-format", "json", "--log-file", "apply.log"]));
    s1.setKnobs({ failProbability: {}, dropAfterWork: {} });
    keep(await f.cli(["apply", "--auto-approve", "--report-file", "report.md", "--report-format", "markdown"]));
    keep(await f.cli(["drift", "--format", "json"]));
    keep(await f.cli(["drift", "--format", "markdown"]));
    // A key the server refuses: the error names the variable, not the key.
    const refused = await f.cli(["drift"], { env: { S1_APISCP_KEY: WRONG } });
    keep(refused);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/S1_APISCP_KEY/);

    const files = await Promise.all(["plan.json", "journal.jsonl", "report.json", "apply.log", "report.md"].map((p) => readFile(join(f.dir, p), "utf8")));
    expect(files.every((text) => text.length > 0)).toBe(true);
    for (const text of [...outputs, ...files]) {
      for (const secret of [KEY, KEY.toUpperCase(), KEY.slice(0, 32), KEY.slice(32), WRONG, WRONG.slice(0, 32)]) {
        expect(text.includes(secret)).toBe(false);
      }
    }
  });
});
