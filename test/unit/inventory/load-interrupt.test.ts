/**
 * loadInventory gives the event loop a turn while it parses, so a signal that fires in the
 * middle of a large inventory stops it within a moment: the timer that aborts below can only
 * run if the parse lets it. Parsing these files without the turns takes several seconds.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadInventory } from "../../../src/inventory/index.js";
import { MAX_FILE_TOKENS } from "../../../src/inventory/limits.js";
import { KEYS, baseFiles } from "./helpers.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "siteform-interrupt-"));
  // Two plan files just under the token limit: a comment and a line break are two tokens.
  const heavy = `apiscp_plan: basic\n${"#\n".repeat(Math.floor(MAX_FILE_TOKENS / 2) - 100)}`;
  const files = { ...baseFiles(), "plans/a.yaml": heavy, "plans/b.yaml": heavy };
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), text);
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadInventory and a signal", () => {
  it("without a signal, the heavy inventory loads (and takes a while)", async () => {
    const start = performance.now();
    const result = await loadInventory(dir, { env: KEYS });
    expect(result.diagnostics).toEqual([]);
    expect(performance.now() - start).toBeGreaterThan(1_000);
  }, 60_000);

  it("a signal fired while the files are parsed stops it within a moment, with the signal's reason", async () => {
    const controller = new AbortController();
    const reason = new Error("stopped");
    let firedAt = 0;
    setTimeout(() => {
      firedAt = performance.now();
      controller.abort(reason);
    }, 300);
    const start = performance.now();
    await expect(loadInventory(dir, { env: KEYS, signal: controller.signal })).rejects.toBe(reason);
    const ended = performance.now();
    expect(firedAt).toBeGreaterThan(start);
    // The timer fired on time (the loop was free) and the load ended soon after it.
    expect(firedAt - start).toBeLessThan(1_000);
    expect(ended - firedAt).toBeLessThan(500);
  }, 60_000);
});
