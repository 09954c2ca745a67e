/**
 * `siteform emulator --fail METHOD=P` through the CLI against the real ApisCP emulator: a bare
 * number is a probability and a number with `%` a percentage, so `0.5` and `50%` both fail about
 * half of the calls (and, with one seed, exactly the same calls); the knobs in effect are
 * printed at start; a value out of range is refused with what to write instead.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../src/cli/main.js";
import { memoryIO, startEmulatorCli } from "../support/emulator-cli.js";
import { decodeReply, encodeCall } from "../../src/providers/apiscp/wire/index.js";
import { post, result } from "../unit/emulator-server/support/soap-http.js";

const CALLS = 200;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "siteform-knob-odds-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the emulator with `fail`, edits one site CALLS times, and returns which calls failed (HTTP 503) and what it printed. */
async function failures(fail: string, seed: string): Promise<{ failed: boolean[]; printed: string; edits: number }> {
  const io = memoryIO(dir);
  const key = "ab".repeat(32);
  const { exit, printed } = await startEmulatorCli("apiscp", ["--key", key, "--seed", seed, "--fail", fail], io);
  const url = printed["endpoint"]!;
  expect(await result(url, "admin_add_site", ["odds.example", "odds", {}, {}], { key })).toBe(true);
  const failed: boolean[] = [];
  let edits = 0;
  for (let i = 0; i < CALLS; i++) {
    // A failed call is an HTTP 503 with an empty body, so the reply is decoded only for the others.
    const response = await post(url, encodeCall("admin_edit_site", ["site1", { "siteinfo.email": `owner${i}@odds.example` }, {}]), { key });
    failed.push(response.status === 503);
    if (response.status === 200 && decodeReply(response.body).kind === "result") edits += 1;
  }
  io.stop();
  expect(await exit).toBe(0);
  return { failed, printed: io.out.join(""), edits };
}

describe("--fail takes a probability or a percentage", () => {
  it("fails about half the calls for 0.5 and for 50%, the same calls with the same seed, and says so at start", async () => {
    const probability = await failures("admin_edit_site=0.5", "7");
    const percentage = await failures("admin_edit_site=50%", "7");
    const count = (xs: boolean[]): number => xs.filter(Boolean).length;
    // 200 fair coin flips: 70..130 holds with probability 1 - 2e-5; with the fixed seed it is exact anyway.
    expect(count(probability.failed)).toBeGreaterThan(70);
    expect(count(probability.failed)).toBeLessThan(130);
    expect(percentage.failed).toEqual(probability.failed);
    // A failed call does no work: every other call edited the site.
    expect(probability.edits).toBe(CALLS - count(probability.failed));
    for (const run of [probability, percentage]) {
      expect(run.printed).toMatch(/^ {2}faults: {3}admin_edit_site fails 50 % of calls without doing the work \(HTTP 503\)$/m);
      expect(run.printed).toMatch(/^ {12}random choices seeded with 7 /m);
    }
  });

  it("prints every active knob, and 'none' without any", async () => {
    const io = memoryIO(dir);
    const { exit } = await startEmulatorCli(
      "apiscp",
      ["--fail", "*=2.5%:reset", "--drop", "admin_delete_site=1", "--null", "admin_collect=0.1", "--latency", "admin_collect=40", "--admin-disabled"],
      io,
    );
    io.stop();
    expect(await exit).toBe(0);
    const printed = io.out.join("");
    expect(printed).toContain("faults:   admin_collect answers 40 ms late\n");
    expect(printed).toContain("every method fails 2.5 % of calls without doing the work (connection reset)\n");
    expect(printed).toContain("admin_delete_site: 100 % of calls are done, then the connection is dropped unanswered\n");
    expect(printed).toContain("admin_collect: 10 % of calls are done, then answered with nothing\n");
    expect(printed).toContain("the credentials lack administrative privileges\n");

    const quiet = memoryIO(dir);
    const started = await startEmulatorCli("apiscp", [], quiet);
    quiet.stop();
    expect(await started.exit).toBe(0);
    expect(quiet.out.join("")).toMatch(/^ {2}faults: {3}none$/m);
  });

  it.each([
    ["admin_edit_site=50", /--fail 'admin_edit_site=50': 50 is not a probability from 0 to 1 \(0\.5 means half the calls\); for 50 per cent write 50%/],
    ["admin_edit_site=150%", /--fail 'admin_edit_site=150%': 150% is more than 100%/],
    ["admin_edit_site=-0.5", /'-0\.5' is neither a probability from 0 to 1 \(0\.5\) nor a percentage from 0% to 100% \(50%\)/],
    ["admin_edit_site=half", /'half' is neither a probability/],
  ])("refuses --fail %s with exit 1, starting nothing", async (value, message) => {
    const io = memoryIO(dir);
    expect(await run(["node", "siteform", "emulator", "--fail", value], io)).toBe(1);
    expect(io.err.join("")).toMatch(message);
    expect(io.out.join("")).not.toMatch(/running|endpoint/);
  });

  it("refuses the same way for --drop and --null, on every emulator", async () => {
    const whm = memoryIO(dir);
    expect(await run(["node", "siteform", "emulator", "--provider", "whm", "--drop", "createacct=20"], whm)).toBe(1);
    expect(whm.err.join("")).toMatch(/--drop 'createacct=20': 20 is not a probability from 0 to 1 .*; for 20 per cent write 20%/);
    const billmgr = memoryIO(dir);
    expect(await run(["node", "siteform", "emulator", "--provider", "billmgr", "--null", "vds=1.5"], billmgr)).toBe(1);
    expect(billmgr.err.join("")).toMatch(/--null 'vds=1\.5': 1\.5 is not a probability from 0 to 1/);
  });
});
