/**
 * Scheduler bookkeeping: the applier's Schedule driven as apply drives it (take what may start,
 * finish the oldest running op, take again) over 10 servers with the CLI's concurrency (8 per
 * server, 80 in all), no calls and no clock, so only the bookkeeping is timed. Every other op
 * waits for the one before it, so releases happen as in a real plan. The figure is the time per
 * 1,000 ops at 100,000 ops against the same at 10,000 ops (the floor): linear bookkeeping gives
 * a ratio near 1, the former rescan of the ready list on every finished op gave about 18.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Schedule } from "../../src/applier/schedule.js";
import type { Op } from "../../src/model/op.js";
import type { BenchResult } from "./run.js";

const SERVERS = 10;
const PER_SERVER = 8;
const RUNS = 7;

// A full collection before each timed run, so garbage left by building 100,000 ops (or by the
// benches before this one) is not collected inside the bookkeeping being timed.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;
const TARGET = 1.5;

function opsOf(count: number): Op[] {
  const ops: Op[] = [];
  for (let i = 0; i < count; i++) {
    const server = `s${i % SERVERS}`;
    const id = `${server}:update:site${i}`;
    // Every odd op waits for the op before it on the same server.
    const dependsOn = i % 2 === 1 && i >= SERVERS ? [ops[i - SERVERS]?.id ?? ""] : [];
    ops.push({
      id,
      server,
      kind: "apiscp/site",
      action: "update",
      target: { id: `site${i}`, name: `site${i}.example`, key: `sites/site${i}.yaml`, source: null },
      changes: [],
      flags: {},
      dependsOn,
      preconditions: { exists: true, id: `site${i}`, fields: {} },
      reason: "bench",
      notes: [],
    });
  }
  return ops;
}

/** Runs the whole schedule; milliseconds of bookkeeping. */
function drive(ops: readonly Op[]): number {
  const perServer = Object.fromEntries(Array.from({ length: SERVERS }, (_, s) => [`s${s}`, PER_SERVER]));
  const start = performance.now();
  const schedule = new Schedule(ops, { perServer, total: SERVERS * PER_SERVER });
  const running: string[] = [];
  let head = 0;
  for (const op of schedule.take()) running.push(op.id);
  while (head < running.length) {
    schedule.finish(running[head++] as string, "done");
    for (const op of schedule.take()) running.push(op.id);
  }
  const ms = performance.now() - start;
  if (!schedule.settled || head !== ops.length) throw new Error(`the schedule ran ${head} of ${ops.length} ops`);
  return ms;
}

/** Best time per 1,000 ops, with only this size's ops alive. */
function perThousand(count: number): number {
  const ops = opsOf(count);
  let best = Infinity;
  for (let i = 0; i < RUNS; i++) {
    collectGarbage();
    best = Math.min(best, drive(ops));
  }
  return (best / count) * 1000;
}

export async function run(): Promise<BenchResult[]> {
  // Both sizes are driven once before any timing, and dropped, so neither is timed on colder
  // code than the other: timed first on cold code, the small size read anywhere from 0.9 to
  // 2.2 ms per 1,000 ops and made the ratio swing from 0.6 to 1.6.
  drive(opsOf(100_000));
  drive(opsOf(10_000));
  const small = perThousand(10_000);
  const large = perThousand(100_000);
  return [
    {
      name: `scheduler bookkeeping per 1,000 ops at 100,000 ops (${large.toFixed(2)} ms) vs at 10,000 ops (${small.toFixed(2)} ms), 10 servers × 8 slots`,
      value: large,
      unit: "ms per 1,000 ops",
      floor: small,
      target: TARGET,
    },
  ];
}
