import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/io.js";

function memoryIO(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env: {},
    cwd: process.cwd(),
    isTTY: false,
    interrupted: new AbortController().signal,
    forced: new AbortController().signal,
  };
}

describe("siteform cli", () => {
  it("prints help and exits 0", async () => {
    const io = memoryIO();
    expect(await run(["node", "siteform", "--help"], io)).toBe(0);
    expect(io.out.join("")).toMatch(/Usage: siteform/);
  });

  it("rejects an unknown command with exit 1 and says so", async () => {
    const io = memoryIO();
    expect(await run(["node", "siteform", "frobnicate"], io)).toBe(1);
    expect(io.err.join("")).toMatch(/unknown command 'frobnicate'/);
  });
});
