/**
 * Plan bench: `siteform plan` for 10,000 sites on 10 emulated servers (1 in 20 with a changed
 * quota), against the floor of the work plan cannot avoid: loading the inventory and making
 * the same `admin_collect` round trips with the raw client. Target: ratio ≤ 1.3. Peak memory
 * (max RSS of the process) is printed alongside.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFleet } from "../../src/emulator/fleet.js";
import { runPlan } from "../../src/engine/plan-run.js";
import { loadInventory } from "../../src/inventory/index.js";
import { managedFields } from "../../src/planner/index.js";
import { ApiscpClient } from "../../src/providers/apiscp/index.js";
import { SITE_KIND } from "../../src/providers/apiscp/kinds.js";
import type { BenchResult } from "./run.js";
import { seedEmulator, writeFleetInventory } from "./fleet-inventory.js";

const SERVERS = 10;
const SITES_PER_SERVER = 1000;
const RUNS = 3;

export async function run(): Promise<BenchResult[]> {
  const root = await mkdtemp(join(tmpdir(), "siteform-plan-bench-"));
  try {
    const generated = await writeFleetInventory(join(root, "source"), SERVERS, SITES_PER_SERVER);
    const fleet = await startFleet({ from: join(root, "source"), to: join(root, "inventory"), tls: false });
    try {
      for (const [name, emulator] of fleet.servers) seedEmulator(emulator, generated.sites.get(name) ?? []);
      const floor = async (): Promise<void> => {
        const loaded = await loadInventory(fleet.dir, { env: fleet.env, requireKeys: true });
        if (!loaded.ok) throw new Error("bench inventory does not validate");
        const inventory = loaded.inventory;
        await Promise.all(
          inventory.servers.map(async (server) => {
            const client = new ApiscpClient({ url: server.url, key: fleet.env[server.keyEnv] ?? "" });
            try {
              await client.collect(managedFields(inventory, server.name, inventory.catalogue)[SITE_KIND] ?? [], null, null);
              await client.listPlans();
            } finally {
              client.close();
            }
          }),
        );
      };
      let opsSeen = 0;
      const plan = async (): Promise<void> => {
        const result = await runPlan({ dir: fleet.dir, env: fleet.env, servers: null, allowDeletes: null, resetPlanDefaults: false, now: new Date() });
        if (result.kind !== "planned" || result.plan.servers.some((s) => s.error !== null)) throw new Error("bench plan failed");
        opsSeen = result.plan.ops.length;
      };
      const floorMs = await best(floor);
      const planMs = await best(plan);
      const peakMb = process.resourceUsage().maxRSS / 1024;
      return [
        {
          name: `plan ${SERVERS * SITES_PER_SERVER} sites on ${SERVERS} servers (${opsSeen} ops, peak RSS ${peakMb.toFixed(0)} MB)`,
          value: planMs,
          unit: "ms",
          floor: floorMs,
          target: 1.3,
        },
      ];
    } finally {
      await fleet.stop();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The fastest of RUNS after one warm-up: the least disturbed by the machine's other work. */
async function best(work: () => Promise<void>): Promise<number> {
  await work();
  let fastest = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await work();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}
