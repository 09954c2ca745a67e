import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/main.js";
import { memoryIO } from "../support/emulator-cli.js";


describe("siteform cli", () => {
  it("prints help and exits 0", async () => {
    const io = memoryIO(process.cwd());
    expect(await run(["node", "siteform", "--help"], io)).toBe(0);
    expect(io.out.join("")).toMatch(/Usage: siteform/);
  });

  it("rejects an unknown command with exit 1 and says so", async () => {
    const io = memoryIO(process.cwd());
    expect(await run(["node", "siteform", "frobnicate"], io)).toBe(1);
    expect(io.err.join("")).toMatch(/unknown command 'frobnicate'/);
  });
});
