/**
 * The real signals on the real program: `node bin/siteform.js plan` in a child process, reading
 * an emulated server that takes a minute to answer admin_collect, gets SIGINT or SIGTERM. It
 * must end by itself with exit code 130 (not be killed by the signal) and say so on stderr.
 */
import { readdir } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { runBuilt } from "../support/built-cli.js";
import { ALPHA_SITE_YAML, ONE_SERVER_CONFIG, SMALL_PLAN_YAML, startTestFleet, waitFor, type TestFleet } from "./cli-harness.js";

const CONFIG = ONE_SERVER_CONFIG;

/** Longer than the test's timeout: a process that waited for the answer would fail the test. */
const LATENCY_MS = 60_000;

let fleet: TestFleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** From the first signal sent to the process's end. */
  afterSignalMs: number;
}

/** Starts `siteform plan -o plan.json` on a slow server, sends `signals` once admin_collect is in flight, and waits for the end. */
async function planThenSignal(signals: readonly NodeJS.Signals[]): Promise<Ended> {
  fleet = await startTestFleet({ "siteform.yaml": CONFIG, "plans/small.yaml": SMALL_PLAN_YAML, "sites/alpha.yaml": ALPHA_SITE_YAML });
  const s1 = fleet.server("s1");
  s1.setKnobs({ latencyMs: { admin_collect: LATENCY_MS } });
  const run = runBuilt(["plan", "--dir", fleet.dir, "-o", "plan.json"], { cwd: fleet.dir, env: fleet.env });
  await waitFor(() => s1.calls.count("admin_collect") >= 1 || run.exited(), 25_000, "siteform to start reading the server");
  expect(run.exited(), run.stderr()).toBe(false);
  const sent = Date.now();
  for (const signal of signals) run.child.kill(signal);
  const { code, signal, stderr } = await run.ended;
  return { code, signal, stderr, afterSignalMs: Date.now() - sent };
}

describe("node bin/siteform.js plan, interrupted by a real signal", () => {
  it("SIGINT: exits 130 by itself, promptly, says so, and writes no plan file", async () => {
    const ended = await planThenSignal(["SIGINT"]);
    expect(ended).toMatchObject({ code: 130, signal: null });
    expect(ended.stderr).toContain("plan interrupted: nothing was written or changed\n");
    expect(ended.afterSignalMs).toBeLessThan(LATENCY_MS);
    expect(await readdir(fleet?.dir ?? "")).not.toContain("plan.json");
  });

  it("SIGTERM: the same", async () => {
    const ended = await planThenSignal(["SIGTERM"]);
    expect(ended).toMatchObject({ code: 130, signal: null });
    expect(ended.stderr).toContain("plan interrupted: nothing was written or changed\n");
    expect(ended.afterSignalMs).toBeLessThan(LATENCY_MS);
  });

  it("a second SIGINT right after the first does not kill it without clean-up", async () => {
    const ended = await planThenSignal(["SIGINT", "SIGINT"]);
    expect(ended).toMatchObject({ code: 130, signal: null });
    expect(ended.afterSignalMs).toBeLessThan(LATENCY_MS);
  });
});
