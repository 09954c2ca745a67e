/**
 * The inventory's boundary through the real CLI: oversized input, bytes that are not UTF-8 and
 * a name on two servers are refused by `validate` with file, line and message, and `plan`
 * refuses them before it sends anything (the emulators count no call); and a real SIGTERM ends
 * `validate` of a heavy inventory within a moment, by itself, with exit code 130.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_FILE_BYTES, MAX_FILE_TOKENS } from "../../src/inventory/limits.js";
import { runBuilt } from "../support/built-cli.js";
import { ALPHA_SITE_YAML, SMALL_PLAN_YAML, TWO_SERVERS_CONFIG, startTestFleet, type TestFleet } from "./cli-harness.js";

const TWO_SERVERS = TWO_SERVERS_CONFIG;

let fleet: TestFleet | undefined;
let scratch: string | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  scratch = undefined;
});

async function start(extra: Record<string, string> = {}): Promise<TestFleet> {
  fleet = await startTestFleet({ "siteform.yaml": TWO_SERVERS, "plans/small.yaml": SMALL_PLAN_YAML, "sites/alpha.yaml": ALPHA_SITE_YAML, ...extra });
  return fleet;
}

function callsTo(f: TestFleet): number {
  return f.server("s1").calls.total + f.server("s2").calls.total;
}

describe("siteform validate and plan at the inventory's limits", () => {
  it("a Latin-1 byte in a site's notes: an error at its line and column; plan sends nothing", async () => {
    const f = await start();
    // Line 7 is `services:`, line 9 the notes, whose value starts at column 12.
    const text = Buffer.concat([Buffer.from(`${ALPHA_SITE_YAML}services:\n  siteinfo:\n    notes: B`), Buffer.from([0xe4]), Buffer.from("ckerei\n")]);
    await writeFile(join(f.dir, "sites/alpha.yaml"), text);
    const validate = await f.cli(["validate"]);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain("sites/alpha.yaml:9:13 error the file is not valid UTF-8: byte 0xE4 here is not part of a UTF-8 character");
    expect(validate.stdout).toContain("hint: save the file as UTF-8");
    const plan = await f.cli(["plan"]);
    expect(plan.code).toBe(1);
    expect(`${plan.stdout}${plan.stderr}`).not.toContain("\uFFFD");
    expect(callsTo(f)).toBe(0);
  });

  it("a domain that is already another server's alias: both places named; plan sends nothing", async () => {
    const alpha = ALPHA_SITE_YAML.replace("invoice: INV-1\n", "invoice: INV-1\naliases:\n  - shop.example\n");
    const f = await start({ "sites/alpha.yaml": alpha, "sites/shop.yaml": "domain: shop.example\nserver: s2\nadmin_user: shop\nemail: owner@shop.example\nplan: small\n" });
    const validate = await f.cli(["validate"]);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain("sites/shop.yaml:1:9 error `shop.example` is already used on server `s1` as a site's alias (sites/alpha.yaml:8:5), and this site is on `s2` [domain]");
    const plan = await f.cli(["plan"]);
    expect(plan.code).toBe(1);
    expect(callsTo(f)).toBe(0);
  });

  it("a file over 8 MiB is refused without being parsed", async () => {
    const f = await start();
    await writeFile(join(f.dir, "sites/huge.yaml"), `[${"x".repeat(MAX_FILE_BYTES)}`);
    const validate = await f.cli(["validate"]);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain("sites/huge.yaml:1:1 error the file is 8.0 MiB: siteform reads inventory files of at most 8.0 MiB, so it was not read");
    expect(validate.stdout).not.toContain("yaml-syntax");
    expect(validate.stdout).toMatch(/^1 error, 0 warnings in \d+ files$/m);
  });

  it("50,000 aliases (112 s before) are refused at the list within seconds", async () => {
    const aliases = Array.from({ length: 50_000 }, (_, i) => `  - a${i}.example`).join("\n");
    const f = await start({ "sites/alpha.yaml": `${ALPHA_SITE_YAML}aliases:\n${aliases}\n` });
    const started = Date.now();
    const validate = await f.cli(["validate"]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain("sites/alpha.yaml:8:3 error `aliases` must be a list of at most 10,000 items, not 50,000 [aliases]");
  });
});

describe("node bin/siteform.js validate, stopped by a real SIGTERM", () => {
  it("ends within a moment while it parses a heavy inventory, with exit code 130", async () => {
    scratch = await mkdtemp(join(tmpdir(), "siteform-sigterm-"));
    // Ten files near the token limit take the parser about ten seconds together.
    const heavy = `apiscp_plan: starter\n${"#\n".repeat(Math.floor(MAX_FILE_TOKENS / 2) - 100)}`;
    const files: Record<string, string> = { "siteform.yaml": TWO_SERVERS, "sites/alpha.yaml": ALPHA_SITE_YAML, "plans/small.yaml": SMALL_PLAN_YAML };
    for (const name of ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]) files[`plans/${name}.yaml`] = heavy;
    for (const [file, text] of Object.entries(files)) {
      await mkdir(dirname(join(scratch, file)), { recursive: true });
      await writeFile(join(scratch, file), text);
    }
    const run = runBuilt(["validate", "--dir", scratch]);
    // Long enough for node to start and siteform to install its handlers; far shorter than the parse.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(run.exited(), run.stderr()).toBe(false);
    const sent = Date.now();
    run.child.kill("SIGTERM");
    const { code, signal, stderr } = await run.ended;
    expect({ code, signal }).toEqual({ code: 130, signal: null });
    expect(stderr).toContain("validate interrupted: the inventory was not checked\n");
    expect(Date.now() - sent).toBeLessThan(1_500);
  }, 60_000);
});
