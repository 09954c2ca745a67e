/**
 * One op after a lost answer (unknown outcome), on the fake provider with a fake clock: an op
 * that must not be sent twice (create, delete, rename) is read back until it shows or the
 * provider's call timeout has passed again, and is never sent a second time; an op that is
 * harmless to repeat (plain values, suspend, activate) is read back once and sent again.
 */
import { describe, expect, it } from "vitest";
import type { ApplyEvent } from "../../../src/applier/index.js";
import { executeOp, type OpRunContext } from "../../../src/applier/execute-op.js";
import { READ_BACK_NOTE, readBackDelay, readBackUntil, resendIsHarmless } from "../../../src/applier/readback.js";
import type { RetryPolicy } from "../../../src/applier/retry.js";
import type { Op } from "../../../src/model/index.js";
import { FakeProvider, fail, instant } from "./fake-provider.js";
import { CATALOGUE, op, site } from "./ops.js";

const POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5_000, maxTotalMs: 60_000 };
const TIMEOUT_MS = 30_000;

interface Harness {
  provider: FakeProvider;
  clock: ReturnType<typeof instant>;
  events: ApplyEvent[];
  /** The fake clock at each readResource call. */
  readAt: number[];
  ctx: (signal?: AbortSignal) => OpRunContext;
}

function harness(): Harness {
  const provider = new FakeProvider("fra1");
  provider.callTimeoutMs = TIMEOUT_MS;
  const clock = instant();
  const events: ApplyEvent[] = [];
  const readAt: number[] = [];
  const read = provider.readResource.bind(provider);
  provider.readResource = (request) => {
    readAt.push(clock.now());
    return read(request);
  };
  return {
    provider,
    clock,
    events,
    readAt,
    ctx: (signal) => ({ provider, catalogue: CATALOGUE, retry: POLICY, clock, signal, emit: (e) => events.push(e) }),
  };
}

const lost = (message = "no complete answer within 30000 ms") => ({ error: fail("unknown-outcome", message) });
const rename = (domain: string): Op => op("update", domain, { changes: [{ field: "siteinfo.domain", before: domain, after: `new-${domain}` }] });
const renamed = (domain: string) => site(`site-${domain}`, `new-${domain}`);
const quota = { field: "diskquota.quota", before: 25, after: 40 };

describe("which ops may be sent again after a lost answer", () => {
  it("never a create, a delete or a rename (domain or admin user); always plain values, suspend and activate", () => {
    expect(resendIsHarmless(op("create", "n.example"), CATALOGUE)).toBe(false);
    expect(resendIsHarmless(op("delete", "d.example"), CATALOGUE)).toBe(false);
    expect(resendIsHarmless(rename("a.example"), CATALOGUE)).toBe(false);
    expect(resendIsHarmless(op("update", "a.example", { changes: [quota, { field: "siteinfo.admin_user", before: "a", after: "b" }] }), CATALOGUE)).toBe(false);
    expect(resendIsHarmless(op("update", "a.example", { changes: [quota, { field: "siteinfo.email", before: "x@a.example", after: "y@a.example" }] }), CATALOGUE)).toBe(true);
    expect(resendIsHarmless(op("suspend", "s.example"), CATALOGUE)).toBe(true);
    expect(resendIsHarmless(op("activate", "s.example"), CATALOGUE)).toBe(true);
  });
});

describe("executeOp: a lost answer on an op that must not be sent twice", () => {
  it("create: reads back until the site shows (third read) and ends done, sent once", async () => {
    const h = harness();
    const create = op("create", "new.example");
    h.provider.script(create.id, lost()).readBack("new.example", null, null, site("site31", "new.example"));
    const started = h.clock.now();
    const outcome = await executeOp(create, h.ctx());
    expect(outcome).toMatchObject({ status: "done", resourceId: "site31", note: READ_BACK_NOTE, attempts: 1 });
    expect(h.provider.executions()).toBe(1);
    expect(h.readAt).toHaveLength(3);
    // Backoff between reads, well inside the window.
    expect(h.clock.sleeps).toEqual([readBackDelay(POLICY, 1), readBackDelay(POLICY, 2)]);
    expect(h.clock.now() - started).toBeLessThan(TIMEOUT_MS);
    const readBacks = h.events.filter((e) => e.type === "op-read-back");
    expect(readBacks.map((e) => (e.type === "op-read-back" ? e.outcome : null))).toEqual(["undecided", "took-effect"]);
    expect(readBacks[0]?.type === "op-read-back" && readBacks[0].message).toMatch(/no site holds new\.example; reading back for up to 30\.0 s, it will not be sent again/);
  });

  it("create: never found ends unknown after reading back at least the call timeout, sent once, saying what to check", async () => {
    const h = harness();
    const create = op("create", "new.example");
    h.provider.script(create.id, lost(), {}).readBack("new.example", null);
    const started = h.clock.now();
    const outcome = await executeOp(create, h.ctx());
    expect(outcome.status).toBe("unknown");
    expect(outcome.attempts).toBe(1);
    expect(outcome.errorKind).toBe("unknown-outcome");
    expect(h.provider.executions()).toBe(1);
    // The last read is made at the deadline or after it, never before.
    expect((h.readAt.at(-1) ?? 0) - started).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(h.readAt.length).toBeGreaterThan(3);
    for (const ms of h.clock.sleeps) expect(ms).toBeLessThanOrEqual(POLICY.maxDelayMs);
    expect(outcome.message).toMatch(/^no complete answer within 30000 ms; no site holds new\.example \(read back \d+ times over 30\.0 s\); it was not sent again/);
    expect(outcome.message).toMatch(/Check new\.example on fra1, then plan again$/);
  });

  it("delete: reads back until the site is gone, or ends unknown, sent once either way", async () => {
    const gone = harness();
    const del = op("delete", "d.example");
    gone.provider.script(del.id, lost()).readBack("d.example", site("site-d.example", "d.example"), site("site-d.example", "d.example"), null);
    expect(await executeOp(del, gone.ctx())).toMatchObject({ status: "done", resourceId: null, note: READ_BACK_NOTE });
    expect(gone.provider.executions()).toBe(1);
    expect(gone.readAt).toHaveLength(3);

    const kept = harness();
    kept.provider.script(del.id, lost(), {}).readBack("d.example", site("site-d.example", "d.example"));
    const started = kept.clock.now();
    const outcome = await executeOp(del, kept.ctx());
    expect(outcome.status).toBe("unknown");
    expect(outcome.message).toMatch(/site-d\.example is still there .*Check d\.example \(site-d\.example\) on fra1, then plan again/);
    expect(kept.provider.executions()).toBe(1);
    expect((kept.readAt.at(-1) ?? 0) - started).toBeGreaterThanOrEqual(TIMEOUT_MS);
  });

  it("rename: reads back until the new name shows, or ends unknown, sent once either way", async () => {
    const shown = harness();
    const update = rename("a.example");
    shown.provider.script(update.id, lost()).readBack("a.example", site("site-a.example", "a.example"), renamed("a.example"));
    expect(await executeOp(update, shown.ctx())).toMatchObject({ status: "done", resourceId: "site-a.example", note: READ_BACK_NOTE });
    expect(shown.provider.executions()).toBe(1);
    expect(shown.provider.calls.find((c) => c.method === "readResource")?.request).toEqual({ kind: "apiscp/site", id: "site-a.example", name: "a.example", fields: ["siteinfo.domain"] });

    const never = harness();
    never.provider.script(update.id, lost(), {}).readBack("a.example", site("site-a.example", "a.example"));
    const started = never.clock.now();
    const outcome = await executeOp(update, never.ctx());
    expect(outcome.status).toBe("unknown");
    expect(outcome.message).toMatch(/siteinfo\.domain not yet changed/);
    expect(never.provider.executions()).toBe(1);
    expect((never.readAt.at(-1) ?? 0) - started).toBeGreaterThanOrEqual(TIMEOUT_MS);
  });

  it("keeps reading through reads that do not get through, and stops at once on a refused read", async () => {
    const flaky = harness();
    const create = op("create", "new.example");
    flaky.provider.script(create.id, lost()).readBack("new.example", fail("transport", "reset"), null, site("site9", "new.example"));
    expect(await executeOp(create, flaky.ctx())).toMatchObject({ status: "done", resourceId: "site9" });
    expect(flaky.readAt).toHaveLength(3);

    const refused = harness();
    refused.provider.script(create.id, lost("null answer")).readBack("new.example", fail("rejected", "collect refused"));
    const outcome = await executeOp(create, refused.ctx());
    expect(outcome.status).toBe("unknown");
    expect(outcome.message).toContain("null answer; reading it back failed: collect refused");
    expect(refused.readAt).toHaveLength(1);
    expect(refused.provider.executions()).toBe(1);
  });

  it("stops waiting when interrupted and ends unknown, without sitting out the deadline", async () => {
    const h = harness();
    const create = op("create", "new.example");
    h.provider.script(create.id, lost(), {}).readBack("new.example", null);
    const controller = new AbortController();
    const started = h.clock.now();
    // The second wait never ends on its own: only the abort can end it.
    let waits = 0;
    h.clock.sleep = async (ms) => {
      waits += 1;
      if (waits === 1) return void h.clock.sleeps.push(ms);
      controller.abort();
      return new Promise(() => {});
    };
    const outcome = await executeOp(create, h.ctx(controller.signal));
    expect(outcome.status).toBe("unknown");
    expect(outcome.message).toMatch(/interrupted while reading back: no site holds new\.example \(read back 2 times/);
    expect(outcome.message).toMatch(/then plan again$/);
    expect(h.provider.executions()).toBe(1);
    expect(h.clock.now() - started).toBeLessThan(TIMEOUT_MS);
  });

  it("reads once without waiting when already interrupted as the answer is lost", async () => {
    const h = harness();
    const create = op("create", "new.example");
    h.provider.script(create.id, lost()).readBack("new.example", null);
    const controller = new AbortController();
    controller.abort();
    const outcome = await executeOp(create, h.ctx(controller.signal));
    expect(outcome.status).toBe("unknown");
    expect(outcome.message).toMatch(/interrupted while reading back/);
    expect(h.readAt).toHaveLength(1);
    expect(h.clock.sleeps).toEqual([]);
  });
});

describe("executeOp: a lost answer on an op that is harmless to repeat", () => {
  it("update of plain values: one read, then sent again when not taken", async () => {
    const h = harness();
    const update = op("update", "a.example", { changes: [quota] });
    h.provider.script(update.id, lost()).readBack("a.example", site("site-a.example", "a.example", { fields: { diskquota: { quota: 25 } } }));
    const outcome = await executeOp(update, h.ctx());
    expect(outcome).toMatchObject({ status: "done", attempts: 2, note: null });
    expect(h.provider.executions()).toBe(2);
    expect(h.provider.calls.map((c) => c.method)).toEqual(["execute", "readResource", "execute"]);
  });

  it("suspend: one read, then sent again when not taken", async () => {
    const h = harness();
    const suspend = op("suspend", "s.example");
    h.provider.script(suspend.id, lost()).readBack("s.example", site("site-s.example", "s.example", { state: "active" }));
    expect(await executeOp(suspend, h.ctx())).toMatchObject({ status: "done", attempts: 2 });
    expect(h.provider.executions()).toBe(2);
    expect(h.readAt).toHaveLength(1);
  });
});

describe("readBackUntil", () => {
  it("spaces reads by a doubling backoff capped by the policy, and clips the last wait to the deadline", async () => {
    const h = harness();
    const create = op("create", "new.example");
    h.provider.readBack("new.example", null);
    const result = await readBackUntil(create, h.provider, { policy: POLICY, clock: h.clock, signal: undefined, windowMs: 10_000, catalogue: CATALOGUE });
    expect(result).toMatchObject({ verdict: { kind: "not-taken" }, interrupted: false, elapsedMs: 10_000 });
    // 200 + 400 + 800 + 1600 + 3200 = 6200; the next 5000 is clipped to the 3800 left.
    expect(h.clock.sleeps).toEqual([200, 400, 800, 1600, 3200, 3800]);
    expect(result.reads).toBe(7);
  });
});
