import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIO } from "../../../src/cli/io.js";
import { run } from "../../../src/cli/main.js";
import { KEYS, baseFiles, site } from "./helpers.js";

function memoryIO(cwd: string, env: NodeJS.ProcessEnv = {}): CliIO & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: () => out.join(""),
    err: () => err.join(""),
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env,
    cwd,
    isTTY: false,
    interrupted: new AbortController().signal,
    forced: new AbortController().signal,
  };
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "siteform-validate-"));
  const files = { ...baseFiles(), "sites/bad/beta.yaml": site("beta.example", "beta", ["state: paused"]) };
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, "broken", file)), { recursive: true });
    await writeFile(join(dir, "broken", file), text);
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("siteform validate", () => {
  it("exits 0 on the repository's own inventory", async () => {
    const io = memoryIO(resolve("."), { FRA1_APISCP_KEY: "k", AMS1_APISCP_KEY: "k", CP1_WHM_TOKEN: "T", CP1_WHM_USER: "root", BM1_BILLMGR_PASSWORD: "p", BM1_BILLMGR_USER: "u" });
    expect(await run(["node", "siteform", "validate"], io)).toBe(0);
    expect(io.out()).toMatch(/^inventory is valid: 12 sites \(1 invoice group\), 3 accounts, 1 service, 1 licence, 5 plans, 4 servers\n0 errors, 0 warnings in 20 files\n$/);
  });

  it("exits 1 and prints file:line:column for a broken inventory, relative to --dir", async () => {
    const io = memoryIO(dir, KEYS);
    expect(await run(["node", "siteform", "validate", "--dir", "broken"], io)).toBe(1);
    expect(io.out()).toContain('sites/bad/beta.yaml:6:8 error "paused" is not a valid state for `state`');
    expect(io.out()).toMatch(/1 error, 0 warnings in 4 files\n$/);
  });

  it("prints JSON for tools", async () => {
    const io = memoryIO(dir, KEYS);
    expect(await run(["node", "siteform", "validate", "--dir", "broken", "--format", "json"], io)).toBe(1);
    const report = JSON.parse(io.out()) as { valid: boolean; errors: Array<{ file: string; line: number; code: string }> };
    expect(report.valid).toBe(false);
    expect(report.errors).toMatchObject([{ file: "sites/bad/beta.yaml", line: 6, code: "bad-value" }]);
  });

  it("--require-keys turns a missing key into an error", async () => {
    const io = memoryIO(resolve("."), {});
    expect(await run(["node", "siteform", "validate", "--require-keys"], io)).toBe(1);
    expect(io.out()).toContain("siteform.yaml:13:14 error environment variable FRA1_APISCP_KEY");
    expect(io.out()).toContain("siteform.yaml:32:14 error environment variable CP1_WHM_TOKEN");
    expect(io.out()).toContain("siteform.yaml:33:15 error environment variable CP1_WHM_USER (the API user of server `cp1`) is not set");
    expect(io.out()).toContain("siteform.yaml:42:15 error environment variable BM1_BILLMGR_USER (the API user of server `bm1`) is not set");
  });

  it("refuses an unknown format", async () => {
    const io = memoryIO(dir);
    expect(await run(["node", "siteform", "validate", "--format", "xml"], io)).toBe(1);
    expect(io.err()).toMatch(/--format must be text or json/);
  });
});
