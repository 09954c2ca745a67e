/**
 * How siteform writes, as a new operator and a CI job see it: colour only where wanted
 * (`--no-color`, NO_COLOR, FORCE_COLOR, a terminal), stderr carrying each event once (progress
 * lines with `--log-format text`, JSON objects with `json`), and progress while the servers are
 * read, so a slow read is never silent. Against a real emulator, through the real CLI.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ALPHA_SITE_YAML, ONE_SERVER_CONFIG, SMALL_PLAN_YAML, TWO_SERVERS_CONFIG, addSite, startTestFleet, type TestFleet } from "./cli-harness.js";

const CONFIG = ONE_SERVER_CONFIG;
const ESC = "\x1b[";

let fleet: TestFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

/** A server without alpha.example: the plan creates it. */
async function start(): Promise<TestFleet> {
  fleet = await startTestFleet({ "siteform.yaml": CONFIG, "plans/small.yaml": SMALL_PLAN_YAML, "sites/alpha.yaml": ALPHA_SITE_YAML });
  return fleet;
}

describe("colour", () => {
  it("is used on a terminal, and not with --no-color (before or after the command) or NO_COLOR", async () => {
    const f = await start();
    expect((await f.cli(["plan"], { isTTY: true })).stdout).toContain(ESC);
    expect((await f.cli(["plan", "--no-color"], { isTTY: true })).stdout).not.toContain(ESC);
    expect((await f.cli(["--no-color", "plan"], { isTTY: true })).stdout).not.toContain(ESC);
    const noColor = await f.cli(["plan"], { isTTY: true, env: { ...f.io().env, NO_COLOR: "1" } });
    expect(noColor.code).toBe(0);
    expect(noColor.stdout).toContain("+ create");
    expect(noColor.stdout).not.toContain(ESC);
  });

  it("is forced without a terminal by FORCE_COLOR, and NO_COLOR still wins", async () => {
    const f = await start();
    expect((await f.cli(["plan"])).stdout).not.toContain(ESC);
    expect((await f.cli(["plan"], { env: { ...f.io().env, FORCE_COLOR: "1" } })).stdout).toContain(ESC);
    expect((await f.cli(["plan"], { env: { ...f.io().env, FORCE_COLOR: "0" } })).stdout).not.toContain(ESC);
    expect((await f.cli(["plan"], { env: { ...f.io().env, FORCE_COLOR: "1", NO_COLOR: "1" } })).stdout).not.toContain(ESC);
    expect((await f.cli(["validate"], { env: { ...f.io().env, FORCE_COLOR: "1" } })).stdout).toContain(ESC);
  });
});

describe("progress while reading servers", () => {
  it("says in CI which servers are read, and each one's holdings and time as it finishes", async () => {
    const f = await start();
    const { code, stderr } = await f.cli(["plan"]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^\S+Z reading 1 server: s1\n\S+Z read s1: nothing in \d+\.\d s\n/);
  });

  it("reminds, while a read is slow, which server it is waiting for", async () => {
    const f = await start();
    f.server("s1").setKnobs({ latencyMs: { admin_collect: 6_000 } });
    const { code, stderr } = await f.cli(["plan"]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/\S+Z still reading s1 \(5\.\d s\)\n/);
    expect(stderr).toMatch(/read s1: nothing in 6\.\d s/);
  }, 20_000);

  it("counts what a server holds by the kind's own noun", async () => {
    const f = await start();
    await f.cli(["apply", "--auto-approve"]);
    const { stderr } = await f.cli(["plan"], { isTTY: true });
    // On a terminal the lines carry no timestamp.
    expect(stderr).toMatch(/^reading 1 server: s1\nread s1: 1 site in \d+\.\d s\n/);
  });
});

describe("--log-format", () => {
  it("json: stderr is only JSON objects, one per event, for plan and apply", async () => {
    const f = await start();
    const plan = await f.cli(["plan", "--log-format", "json"]);
    expect(plan.code).toBe(0);
    const planEvents = plan.stderr.trimEnd().split("\n").map((l) => JSON.parse(l) as { event: string; server?: string; resources?: Record<string, number> });
    expect(planEvents.map((e) => e.event)).toEqual(["reads-started", "read-finished"]);
    expect(planEvents[1]).toMatchObject({ server: "s1", resources: {} });

    const apply = await f.cli(["--log-format", "json", "apply", "--auto-approve"]);
    expect(apply.code, apply.stderr).toBe(0);
    const events = apply.stderr.trimEnd().split("\n").map((l) => JSON.parse(l) as { event: string; status?: string; changes?: string[] });
    expect(events.filter((e) => e.event === "op-finished")).toEqual([expect.objectContaining({ status: "done", changes: expect.arrayContaining(["siteinfo.domain = alpha.example"]) })]);
    expect(events.filter((e) => e.event === "op-started")).toHaveLength(1);
    // Human progress is not there as well: each event once.
    expect(apply.stderr).not.toMatch(/^\S+Z (start|done) /m);
  });

  it("text: progress lines only, no JSON, a failure and its retries told once", async () => {
    const f = await start();
    f.server("s1").setKnobs({ failProbability: { admin_add_site: 1 } });
    const apply = await f.cli(["apply", "--auto-approve"]);
    expect(apply.code).not.toBe(0);
    expect(apply.stderr).not.toMatch(/^\{/m);
    const retries = apply.stderr.split("\n").filter((l) => / retry s1 create alpha\.example /.test(l));
    expect(retries.length).toBeGreaterThan(0);
    expect(apply.stderr.split("\n").filter((l) => / failed s1 create alpha\.example /.test(l))).toHaveLength(1);
  }, 30_000);

  it("json: import tells its read of the server as one JSON event too", async () => {
    const f = await start();
    addSite(f.server("s1"), "stray.example", "stray");
    const imported = await f.cli(["--log-format", "json", "import", "--server", "s1"]);
    expect(imported.code, imported.stderr).toBe(0);
    const events = imported.stderr.trimEnd().split("\n").map((l) => JSON.parse(l) as { event: string; server?: string; resources?: Record<string, number> });
    expect(events.map((e) => e.event)).toEqual(["reads-started", "read-finished"]);
    expect(events[1]).toMatchObject({ server: "s1", resources: { "apiscp/site": 1 } });
  });

  it("refuses a format it does not know, naming both", async () => {
    const f = await start();
    const { code, stderr } = await f.cli(["plan", "--log-format", "yaml"]);
    expect(code).toBe(1);
    expect(stderr).toContain("must be text (progress lines for people) or json (one JSON object per event)");
  });
});

describe("validate --server", () => {

  it("requires the keys of the servers named only, and refuses a server siteform.yaml lacks", async () => {
    fleet = await startTestFleet({ "siteform.yaml": TWO_SERVERS_CONFIG, "plans/small.yaml": SMALL_PLAN_YAML, "sites/alpha.yaml": ALPHA_SITE_YAML });
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(fleet.io().env)) if (name !== "S2_APISCP_KEY" && value !== undefined) env[name] = value;
    expect((await fleet.cli(["validate", "--require-keys"], { env })).code).toBe(1);
    const s1 = await fleet.cli(["validate", "--server", "s1"], { env });
    expect(s1.code, s1.stdout).toBe(0);
    const s2 = await fleet.cli(["validate", "--server", "s2"], { env });
    expect(s2.code).toBe(1);
    expect(s2.stdout).toContain("S2_APISCP_KEY");
    const unknown = await fleet.cli(["validate", "--server", "s3"], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown server 's3' in --server: siteform.yaml defines s1, s2");
  });
});
