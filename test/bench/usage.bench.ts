/**
 * Usage bench (issue 16): `siteform usage --format json` for 10,000 sites on 10 servers, run
 * in-process as the CLI runs it, against the floor of the same raw calls: loading the same
 * inventory and, per server within the same bound of servers at once, the same
 * `admin_get_usage` (storage, bandwidth) and `admin_get_domains` calls with the raw client.
 * Target: ≤ 1.3 × the floor.
 *
 * The emulators run in a child process (remote-fleet.ts), seeded with the sites and a usage
 * for each, so their work does not share the event loop siteform is measured on, as a real
 * panel's would not.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pLimit from "p-limit";
import type { CliIO } from "../../src/cli/io.js";
import { run as siteform } from "../../src/cli/main.js";
import { COLLECT_PARALLELISM } from "../../src/engine/observe.js";
import { loadInventory } from "../../src/inventory/index.js";
import { ApiscpClient } from "../../src/providers/apiscp/client.js";
import { bestOfAlternating } from "./best-of.js";
import { writeFleetInventory } from "./fleet-inventory.js";
import { FleetHost } from "./remote-fleet.js";
import type { BenchResult } from "./run.js";

const SERVERS = 10;
const SITES = Number(process.env.USAGE_BENCH_SITES ?? 10_000);
const TARGET = 1.3;
const RUNS = 5;

export async function run(): Promise<BenchResult[]> {
  const root = await mkdtemp(join(tmpdir(), "siteform-usage-bench-"));
  const host = FleetHost.start();
  try {
    const generated = await writeFleetInventory(join(root, "source"), SERVERS, SITES / SERVERS);
    const seeds = Object.fromEntries([...generated.sites].map(([server, sites]) => [server, sites.map((site) => ({ ...site, usage: usageOf(Number(site.domain.replace(/\D/g, ""))) }))]));
    const fleet = await host.fleet({ from: join(root, "source"), to: join(root, "inventory"), tls: false }, seeds);
    let printed = 0;
    const usage = async (): Promise<void> => {
      const io = quietIO(fleet.dir, fleet.env, (text) => (printed = text.length));
      const code = await siteform(["node", "siteform", "usage", "--format", "json"], io);
      if (code !== 0) throw new Error(`siteform usage exited ${code}: ${io.errors.join("").slice(0, 2000)}`);
    };
    const floor = async (): Promise<void> => {
      const loaded = await loadInventory(fleet.dir, { env: fleet.env, requireKeys: true });
      if (!loaded.ok) throw new Error("the inventory did not load");
      const limit = pLimit(COLLECT_PARALLELISM);
      await Promise.all(
        loaded.inventory.servers.map((server) =>
          limit(async () => {
            const client = new ApiscpClient({ url: server.url, key: fleet.env[server.keyEnv] ?? "", timeoutMs: server.timeoutSeconds * 1000 });
            try {
              await Promise.all([client.getUsage("storage", null), client.getUsage("bandwidth", null), client.getDomains()]);
            } finally {
              client.close();
            }
          }),
        ),
      );
    };
    const { floor: floorMs, value } = await bestOfAlternating(RUNS, floor, usage);
    if (printed < SITES * 100) throw new Error(`siteform usage printed ${printed} characters for ${SITES} sites: it did not report them all`);
    return [{ name: `usage ${SITES.toLocaleString("en")} sites on ${SERVERS} servers vs loading the inventory + the same raw usage and domain calls`, value, unit: "ms", floor: floorMs, target: TARGET }];
  } finally {
    host.close();
    await rm(root, { recursive: true, force: true });
  }
}

/** A CliIO that keeps stderr (for a failure) and only measures stdout. */
function quietIO(cwd: string, env: Record<string, string>, out: (text: string) => void): CliIO & { errors: string[] } {
  const errors: string[] = [];
  return { stdout: out, stderr: (text) => void errors.push(text), errors, env, cwd, isTTY: false, logFormat: "json", interrupted: new AbortController().signal, forced: new AbortController().signal };
}

/** Some sites near their 2000 MB quota, most well below; traffic in bytes. */
function usageOf(n: number): { storageKb: number; bandwidthBytes: number } {
  return { storageKb: ((n * 7919) % 2000) * 1024, bandwidthBytes: ((n * 104_729) % 10_000) * 1_000_000 };
}
