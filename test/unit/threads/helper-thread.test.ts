/**
 * The helper thread itself, on the built worker (dist/worker.js, which the test run builds
 * first): a task's result is what the same code gives on this thread; a worker that cannot
 * start falls back to this thread when the policy is automatic and fails when a helper was
 * asked for; a signal ends a task at once with its reason.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseAll, parseForTransfer } from "../../../src/inventory/parse-aside.js";
import type { ParseJob } from "../../../src/inventory/source-file.js";
import { onHelper, retireHelper, useHelperThreads } from "../../../src/threads/helper-thread.js";

const BUILT = new URL("../../../dist/worker.js", import.meta.url);
const MISSING = new URL("../../../dist/no-such-worker.js", import.meta.url);

const JOBS: ParseJob[] = [
  { at: 0, kind: "resource", file: "sites/a.yaml", text: "domain: a.example\nserver: s1\n" },
  { at: 0, kind: "resource", file: "sites/b.yaml", text: "domain: b.example\nplan: x\nplan: y\n" },
  { at: 0, kind: "plan", file: "plans/p.yaml", text: "apiscp_plan: basic\nservices:\n  ssh:\n    enabled: 1\n" },
];

afterEach(() => {
  retireHelper();
  useHelperThreads(null, "auto");
});

const refuse = (): Promise<never> => Promise.reject(new Error("the fallback ran"));

describe("the helper thread", () => {
  it("parses on the worker exactly what this thread parses", async () => {
    useHelperThreads(BUILT, "always");
    expect(await onHelper("parse-yaml", JOBS, refuse)).toEqual(parseForTransfer(JOBS));
  });

  it("runs tasks one after another on the same worker", async () => {
    useHelperThreads(BUILT, "always");
    const [first, second] = await Promise.all([onHelper("parse-yaml", JOBS.slice(0, 1), refuse), onHelper("parse-yaml", JOBS.slice(1), refuse)]);
    expect([...first, ...second]).toEqual(parseForTransfer(JOBS));
  });

  it("falls back to this thread when the worker cannot start and the policy is automatic", async () => {
    useHelperThreads(MISSING, "auto");
    expect(await onHelper("parse-yaml", JOBS, async () => parseForTransfer(JOBS))).toEqual(parseForTransfer(JOBS));
  });

  it("fails when a helper was asked for (SITEFORM_THREADS=2) and cannot start", async () => {
    useHelperThreads(MISSING, "always");
    await expect(onHelper("parse-yaml", JOBS, async () => parseForTransfer(JOBS))).rejects.toThrow();
  });

  it("a fired signal rejects with its reason and ends the worker; the next task gets a new one", async () => {
    useHelperThreads(BUILT, "always");
    const controller = new AbortController();
    const big: ParseJob[] = Array.from({ length: 400 }, (_, i) => ({ at: 0, kind: "resource", file: `sites/s${i}.yaml`, text: "sites:\n" + "  - domain: x.example\n    plan: p\n".repeat(500) }));
    const pending = onHelper("parse-yaml", big, refuse, controller.signal);
    const reason = new Error("interrupted");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(await onHelper("parse-yaml", JOBS, refuse)).toEqual(parseForTransfer(JOBS));
  });

  it("a signal during a parse shared between the threads stops both at once", async () => {
    useHelperThreads(BUILT, "always");
    const group = "sites:\n" + Array.from({ length: 50 }, (_, i) => `  - domain: s${i}.example\n    admin_user: u${i}\n    plan: p\n`).join("");
    // 400,000 sites: seconds of parsing on each thread.
    const jobs: ParseJob[] = Array.from({ length: 8_000 }, (_, i) => ({ at: 0, kind: "resource", file: `sites/g${i}.yaml`, text: group }));
    const controller = new AbortController();
    const reason = new Error("interrupted");
    const started = Date.now();
    setTimeout(() => controller.abort(reason), 50);
    await expect(parseAll(jobs, controller.signal)).rejects.toBe(reason);
    // The next task runs on a fresh helper: one still parsing its half would answer seconds later.
    expect(await onHelper("parse-yaml", JOBS, refuse)).toEqual(parseForTransfer(JOBS));
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
