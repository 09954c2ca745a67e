/**
 * Plan bench (issue 15): `siteform plan` as an operator runs it (node on the built bin, a process
 * of its own) for 10,000 and 100,000 sites on 10 servers, 1 in 20 with a changed quota, against
 * the bytes-only floor: a process that reads and parses the same YAML and receives the same
 * answers to the same requests (floors/plan-floor.ts). The emulators run in another process
 * behind replay proxies (fleet-host.ts), so after the warm-up every answer is bytes from memory
 * for siteform and the floor alike. Targets: time ≤ 1.5 × the floor at both sizes; peak RSS of
 * the siteform process ≤ 1 GiB at 100,000 sites (printed against that budget, not a floor).
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchResult } from "./run.js";
import { writeFleetInventory } from "./fleet-inventory.js";
import { runMeasured, type Measured } from "./measured.js";
import { ROOT, buildFloor } from "./process-floor.js";
import { FleetHost } from "./remote-fleet.js";

const SERVERS = 10;
const SIZES = (process.env.PLAN_BENCH_SITES ?? "10000,100000").split(",").map(Number);
const TARGET = 1.5;
const RSS_BUDGET_MB = 1024;

export async function run(): Promise<BenchResult[]> {
  const root = await mkdtemp(join(tmpdir(), "siteform-plan-bench-"));
  const host = FleetHost.start();
  try {
    execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "ignore" });
    const floorProgram = await buildFloor("plan-floor");
    const results: BenchResult[] = [];
    for (const sites of SIZES) results.push(...(await scenario(host, join(root, String(sites)), floorProgram, sites)));
    return results;
  } finally {
    host.close();
    await rm(root, { recursive: true, force: true });
  }
}

/** Plans this large pass both helper-thread thresholds (20,000 resources, 3 MB of YAML). */
const ONE_THREAD_FROM = 30_000;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function scenario(host: FleetHost, root: string, floorProgram: string, sites: number): Promise<BenchResult[]> {
  const generated = await writeFleetInventory(join(root, "source"), SERVERS, sites / SERVERS);
  const fleet = await host.fleet({ from: join(root, "source"), to: join(root, "inventory"), tls: false }, Object.fromEntries(generated.sites), true);
  try {
    const planArgs = [join(ROOT, "bin/siteform.js"), "plan", "--dir", fleet.dir];
    const plan = async (threads = "auto"): Promise<Measured> => {
      const measured = await runMeasured(planArgs, { env: { ...fleet.env, SITEFORM_THREADS: threads } });
      if (measured.code !== 0) throw new Error(`siteform plan exited ${measured.code}: ${measured.stderr.slice(0, 2000)}`);
      return measured;
    };
    // The warm-up records every answer; from here on the proxies answer from memory.
    await plan();
    const recorded = await host.recorded();
    const requestsFile = join(root, "requests.json");
    await writeFile(requestsFile, JSON.stringify(recorded.servers));
    const floor = async (): Promise<Measured> => {
      const measured = await runMeasured([floorProgram, fleet.dir, requestsFile]);
      if (measured.code !== 0) throw new Error(`the floor exited ${measured.code}: ${measured.stderr.slice(0, 2000)}`);
      return measured;
    };
    await floor();
    const runs = sites > 20_000 ? 2 : 3;
    let floorMs = Infinity;
    let planMs = Infinity;
    let planRss = 0;
    let floorRss = 0;
    let planCpu = Infinity;
    let floorCpu = Infinity;
    // From the helper thread's thresholds up, the same plan on one thread too: what the second core buys.
    const compareOneThread = sites >= ONE_THREAD_FROM;
    let oneThreadMs = Infinity;
    for (let i = 0; i < runs; i++) {
      const f = await floor();
      floorMs = Math.min(floorMs, f.ms);
      floorRss = Math.max(floorRss, f.peakMb);
      floorCpu = Math.min(floorCpu, f.cpuMs);
      const p = await plan();
      planMs = Math.min(planMs, p.ms);
      planRss = Math.max(planRss, p.peakMb);
      planCpu = Math.min(planCpu, p.cpuMs);
      if (compareOneThread) oneThreadMs = Math.min(oneThreadMs, (await plan("1")).ms);
    }
    if ((await host.recorded()).forwarded !== recorded.forwarded) throw new Error("a measured run asked something the warm-up did not: the floor would not match");
    const label = `plan ${sites.toLocaleString("en")} sites on ${SERVERS} servers`;
    return [
      { name: `${label} vs reading the same YAML and receiving the same answers (peak RSS ${planRss.toFixed(0)} MB, floor's ${floorRss.toFixed(0)} MB; CPU ${seconds(planCpu)} on all threads, floor's ${seconds(floorCpu)})`, value: planMs, unit: "ms", floor: floorMs, target: TARGET },
      ...(sites >= 100_000 ? [{ name: `${label}: peak RSS of the siteform process against the ${RSS_BUDGET_MB} MB budget`, value: planRss, unit: "MB", floor: RSS_BUDGET_MB, target: 1 }] : []),
      ...(compareOneThread ? [{ name: `${label} with the helper thread vs SITEFORM_THREADS=1 (one thread)`, value: planMs, unit: "ms", floor: oneThreadMs, target: 1 }] : []),
    ];
  } finally {
    await fleet.stop();
  }
}
