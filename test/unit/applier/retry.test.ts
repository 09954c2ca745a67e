import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_RETRY_POLICY, isRetryable, type ApplyEvent, type RetryPolicy } from "../../../src/applier/index.js";
import { executeOp, type OpOutcome } from "../../../src/applier/execute-op.js";
import type { Op } from "../../../src/model/index.js";
import { ProviderError } from "../../../src/providers/provider.js";
import { FakeProvider, fail, instant } from "./fake-provider.js";
import { CATALOGUE, op } from "./ops.js";

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5_000, maxTotalMs: 60_000 };

describe("backoff", () => {
  it("doubles the ceiling per failure up to the cap, with full jitter below it", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(policy, n, () => 0.999999))).toEqual([199, 399, 799, 1599, 3199, 4999, 4999]);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(400);
  });

  it("retries transport errors and retryable ones, never refusals, auth or nonsense", () => {
    expect(isRetryable(new ProviderError("transport", "reset", true))).toBe(true);
    expect(isRetryable(new ProviderError("protocol", "HTTP 503", true))).toBe(true);
    expect(isRetryable(new ProviderError("rejected", "fault", false))).toBe(false);
    expect(isRetryable(new ProviderError("auth", "key refused", false))).toBe(false);
    expect(isRetryable(new ProviderError("protocol", "garbage", false))).toBe(false);
    expect(isRetryable(new Error("plain"))).toBe(false);
  });

  it("has the documented defaults", () => {
    expect(DEFAULT_RETRY_POLICY).toEqual(policy);
  });
});

/** One op carried out alone, as the run does for each (the graph is not what these tests are about). */
function attempt(o: Op, provider: FakeProvider, options: { retry: RetryPolicy; clock: ReturnType<typeof instant>; signal?: AbortSignal; events?: ApplyEvent[] }): Promise<OpOutcome> {
  return executeOp(o, { provider, catalogue: CATALOGUE, retry: options.retry, clock: options.clock, signal: options.signal, emit: (e) => options.events?.push(e) });
}

describe("executeOp: retries", () => {
  it("recovers from transient failures with one attempt per failure plus one, waiting within the backoff bounds", async () => {
    const fra1 = new FakeProvider("fra1");
    const update = op("update", "a.example");
    fra1.script(update.id, { error: fail("transport", "connection reset") }, { error: fail("transport") }, { error: fail("protocol", "HTTP 502", true) });
    const clock = instant({ random: () => 0.75 });
    const events: ApplyEvent[] = [];
    const outcome = await attempt(update, fra1, { retry: policy, clock, events });
    expect(outcome).toMatchObject({ status: "done", attempts: 4 });
    expect(fra1.executions(update.id)).toBe(4);
    expect(clock.sleeps).toEqual([150, 300, 600]);
    clock.sleeps.forEach((ms, i) => expect(ms).toBeLessThan(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** i)));
    expect(events.filter((e) => e.type === "op-retrying").map((e) => (e.type === "op-retrying" ? e.attempt : 0))).toEqual([2, 3, 4]);
  });

  it("gives up after the attempt limit with the last message", async () => {
    const fra1 = new FakeProvider("fra1");
    const update = op("update", "a.example");
    fra1.script(update.id, ...Array.from({ length: 9 }, () => ({ error: fail("transport", "connection refused") })));
    const clock = instant();
    const outcome = await attempt(update, fra1, { retry: { ...policy, maxAttempts: 3 }, clock });
    expect(outcome).toMatchObject({ status: "failed", attempts: 3 });
    expect(outcome.message).toMatch(/^gave up after 3 attempts over .* s: connection refused$/);
    expect(clock.sleeps).toHaveLength(2);
  });

  it("gives up when the next wait would pass the total time bound", async () => {
    const fra1 = new FakeProvider("fra1");
    const update = op("update", "a.example");
    fra1.script(update.id, ...Array.from({ length: 9 }, () => ({ error: fail("transport") })));
    const clock = instant({ random: () => 0.99 });
    const outcome = await attempt(update, fra1, { retry: { ...policy, maxAttempts: 20, maxTotalMs: 1_000 }, clock });
    // Waits of 198 and 396 fit in one second; the third (792) would not.
    expect(clock.sleeps).toEqual([198, 396]);
    expect(outcome).toMatchObject({ status: "failed", attempts: 3 });
  });

  it("does not retry a rejection", async () => {
    const fra1 = new FakeProvider("fra1");
    const update = op("update", "a.example");
    fra1.script(update.id, { error: fail("rejected", "invalid quota") });
    const clock = instant();
    const outcome = await attempt(update, fra1, { retry: policy, clock });
    expect(outcome).toMatchObject({ status: "failed", attempts: 1, message: "invalid quota" });
    expect(clock.sleeps).toEqual([]);
  });

  it("does not start another attempt once interrupted", async () => {
    const fra1 = new FakeProvider("fra1");
    const update = op("update", "a.example");
    fra1.script(update.id, { error: fail("transport", "reset") });
    const controller = new AbortController();
    const clock = instant();
    clock.sleep = () => {
      controller.abort();
      return new Promise(() => {});
    };
    const outcome = await attempt(update, fra1, { retry: policy, clock, signal: controller.signal });
    expect(outcome).toMatchObject({ status: "failed", attempts: 1, message: "interrupted before retrying: reset" });
    expect(fra1.executions()).toBe(1);
  });
});
