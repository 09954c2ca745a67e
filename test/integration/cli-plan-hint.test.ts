/**
 * `siteform plan -o FILE` ends with the apply command to run next; run as printed, by a real
 * shell in the same directory, it must apply that plan to the same inventory: --dir is part of
 * it when the plan read another directory (quoted for the shell when needed), --server never is
 * (a plan file is applied whole).
 */
import { execFile } from "node:child_process";
import { rename } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { ALPHA_SITE_YAML, ONE_SERVER_CONFIG, SMALL_PLAN_YAML, domainsOn, recordingIO, siteform, startTestFleet, type TestFleet } from "./cli-harness.js";

const BIN = fileURLToPath(new URL("../../bin/siteform.js", import.meta.url));

const CONFIG = ONE_SERVER_CONFIG;

const FILES = { "siteform.yaml": CONFIG, "plans/small.yaml": SMALL_PLAN_YAML, "sites/alpha.yaml": ALPHA_SITE_YAML };

let fleet: TestFleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

/** Runs `siteform plan ARGS` in `cwd`; returns the apply command it printed. */
async function planHint(f: TestFleet, cwd: string, args: readonly string[]): Promise<string> {
  const io = recordingIO({ cwd, env: { ...f.env } });
  const code = await siteform(io, "plan", ...args);
  expect(code, io.stderrText()).toBe(0);
  const hint = /run it with: (.*)\n/.exec(io.stderrText());
  expect(hint, io.stderrText()).not.toBeNull();
  return hint?.[1] ?? "";
}

/** `command` through sh, in `cwd`, with `siteform` being this repository's bin/siteform.js. */
async function runInShell(f: TestFleet, cwd: string, command: string): Promise<void> {
  const script = `siteform() { "$SITEFORM_NODE" "$SITEFORM_BIN" "$@"; }\n${command}\n`;
  await promisify(execFile)("sh", ["-c", script], { cwd, env: { ...process.env, ...f.env, SITEFORM_NODE: process.execPath, SITEFORM_BIN: BIN } });
}

describe("the apply command plan -o prints", () => {
  it("names --dir, quoted for the shell, and applies the same inventory when run as printed", async () => {
    const f = (fleet = await startTestFleet(FILES));
    const dir = "my inv's";
    await rename(f.dir, join(f.root, dir));
    const command = await planHint(f, f.root, ["--dir", dir, "--server", "s1", "-o", "the plan.json"]);
    expect(command).toBe(`siteform apply 'the plan.json' --dir 'my inv'\\''s'`);
    await runInShell(f, f.root, command);
    expect(domainsOn(f.server("s1"))).toEqual(["alpha.example"]);
  });

  it("names a plain --dir as it was typed", async () => {
    const f = (fleet = await startTestFleet(FILES));
    const command = await planHint(f, f.root, ["--dir", "inventory", "-o", "plan.json"]);
    expect(command).toBe("siteform apply plan.json --dir inventory");
    await runInShell(f, f.root, command);
    expect(domainsOn(f.server("s1"))).toEqual(["alpha.example"]);
  });

  it("leaves --dir out when the inventory is the current directory", async () => {
    const f = (fleet = await startTestFleet(FILES));
    expect(await planHint(f, f.dir, ["-o", "plan.json"])).toBe("siteform apply plan.json");
    expect(await planHint(f, f.dir, ["--dir", ".", "-o", "plan.json"])).toBe("siteform apply plan.json");
    expect(await planHint(f, f.dir, ["--dir", "./", "--server", "s1", "-o", "plan.json"])).toBe("siteform apply plan.json");
  });
});
