/**
 * Validate bench (issue 15): `siteform validate` as an operator runs it (node on the built bin, a
 * process of its own) on 100,000 sites in 10,000 invoice-group files, against the floor of a
 * process that finds, reads and parses the same YAML (floors/parse-floor.ts). Targets: time ≤
 * 1.5 × the floor, and the siteform process's peak RSS ≤ 2 × the floor process's.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchResult } from "./run.js";
import { writeFleetInventory } from "./fleet-inventory.js";
import { runMeasured, type Measured } from "./measured.js";
import { ROOT, buildFloor } from "./process-floor.js";

const SERVERS = 10;
const SITES = Number(process.env.VALIDATE_BENCH_SITES ?? 100_000);
const RUNS = 3;

export async function run(): Promise<BenchResult[]> {
  const root = await mkdtemp(join(tmpdir(), "siteform-validate-bench-"));
  try {
    execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "ignore" });
    const floorProgram = await buildFloor("parse-floor");
    const generated = await writeFleetInventory(root, SERVERS, SITES / SERVERS);
    const env = Object.fromEntries(generated.servers.map((s) => [`${s.toUpperCase()}_KEY`, "k"]));
    const measure = async (args: string[], what: string, threads = "auto"): Promise<Measured> => {
      const measured = await runMeasured(args, { env: { ...env, SITEFORM_THREADS: threads } });
      if (measured.code !== 0) throw new Error(`${what} exited ${measured.code}: ${measured.stderr.slice(0, 2000)}`);
      return measured;
    };
    const floor = (): Promise<Measured> => measure([floorProgram, root], "the floor");
    const validate = (threads = "auto"): Promise<Measured> => measure([join(ROOT, "bin/siteform.js"), "validate", "--dir", root], "siteform validate", threads);
    await floor();
    await validate();
    const best = { floorMs: Infinity, validateMs: Infinity, floorMb: 0, validateMb: 0, floorCpu: Infinity, validateCpu: Infinity, oneThreadMs: Infinity };
    for (let i = 0; i < RUNS; i++) {
      const f = await floor();
      const v = await validate();
      best.floorMs = Math.min(best.floorMs, f.ms);
      best.validateMs = Math.min(best.validateMs, v.ms);
      best.floorMb = Math.max(best.floorMb, f.peakMb);
      best.validateMb = Math.max(best.validateMb, v.peakMb);
      best.floorCpu = Math.min(best.floorCpu, f.cpuMs);
      best.validateCpu = Math.min(best.validateCpu, v.cpuMs);
      best.oneThreadMs = Math.min(best.oneThreadMs, (await validate("1")).ms);
    }
    const label = `validate ${SITES.toLocaleString("en")} sites in ${(SITES / 10).toLocaleString("en")} files`;
    return [
      { name: `${label} vs reading and parsing the same YAML (CPU ${(best.validateCpu / 1000).toFixed(1)} s on all threads, floor's ${(best.floorCpu / 1000).toFixed(1)} s)`, value: best.validateMs, unit: "ms", floor: best.floorMs, target: 1.5 },
      { name: `${label}: peak RSS vs the floor process's`, value: best.validateMb, unit: "MB", floor: best.floorMb, target: 2 },
      { name: `${label} with the helper thread vs SITEFORM_THREADS=1 (one thread)`, value: best.validateMs, unit: "ms", floor: best.oneThreadMs, target: 1 },
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
