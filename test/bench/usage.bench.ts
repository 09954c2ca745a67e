/**
 * Usage bench (issue 16): `siteform usage --format json` for 10,000 sites on 10 servers, run
 * in-process as the CLI runs it, against the floor of the same raw calls: loading the same
 * inventory and, per server within the same bound of servers at once, the same
 * `admin_get_usage` (storage, bandwidth) and `admin_get_domains` calls with the raw client.
 * Target: ≤ 1.3 × the floor.
 *
 * The emulators run in a child process (this file, forked with SITEFORM_USAGE_BENCH_HOST=1),
 * seeded with the sites and a usage for each, so their work does not share the event loop
 * siteform is measured on, as a real panel's would not.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pLimit from "p-limit";
import type { CliIO } from "../../src/cli/io.js";
import { run as siteform } from "../../src/cli/main.js";
import { startFleet, type EmulatedFleet } from "../../src/emulator/fleet.js";
import { COLLECT_PARALLELISM } from "../../src/engine/observe.js";
import { loadInventory } from "../../src/inventory/index.js";
import { ApiscpClient } from "../../src/providers/apiscp/client.js";
import { bestOfAlternating } from "./best-of.js";
import { seedEmulator, writeFleetInventory, type GeneratedFleet } from "./fleet-inventory.js";
import type { BenchResult } from "./run.js";

const SERVERS = 10;
const SITES = Number(process.env.USAGE_BENCH_SITES ?? 10_000);
const TARGET = 1.3;
const RUNS = 5;

type HostRequest = { type: "start"; from: string; to: string; sites: Array<[string, GeneratedFleet["sites"] extends Map<string, infer V> ? V : never]> };
type HostReply = { type: "started"; dir: string; env: Record<string, string> } | { type: "error"; message: string };

export async function run(): Promise<BenchResult[]> {
  const root = await mkdtemp(join(tmpdir(), "siteform-usage-bench-"));
  const host = fork(fileURLToPath(import.meta.url), [], { execArgv: ["--import", "tsx"], env: { ...process.env, SITEFORM_USAGE_BENCH_HOST: "1" }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  try {
    const generated = await writeFleetInventory(join(root, "source"), SERVERS, SITES / SERVERS);
    const fleet = await ask(host, { type: "start", from: join(root, "source"), to: join(root, "inventory"), sites: [...generated.sites] });
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
    host.disconnect();
    await rm(root, { recursive: true, force: true });
  }
}

/** A CliIO that keeps stderr (for a failure) and only measures stdout. */
function quietIO(cwd: string, env: Record<string, string>, out: (text: string) => void): CliIO & { errors: string[] } {
  const errors: string[] = [];
  return { stdout: out, stderr: (text) => void errors.push(text), errors, env, cwd, isTTY: false, logFormat: "json", interrupted: new AbortController().signal, forced: new AbortController().signal };
}

function ask(child: ChildProcess, request: HostRequest): Promise<{ dir: string; env: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`usage bench host exited (${code ?? "signal"})`));
    child.once("exit", onExit);
    child.once("message", (reply: HostReply) => {
      child.off("exit", onExit);
      if (reply.type === "started") resolve(reply);
      else reject(new Error(`usage bench host: ${reply.message}`));
    });
    child.send(request);
  });
}

// ---- the host: the emulators, seeded with the sites and what each uses ----------------------

/** Some sites near their 2000 MB quota, most well below; traffic in bytes. */
function usageOf(n: number): { storageKb: number; bandwidthBytes: number } {
  return { storageKb: ((n * 7919) % 2000) * 1024, bandwidthBytes: ((n * 104_729) % 10_000) * 1_000_000 };
}

async function host(): Promise<void> {
  let fleet: EmulatedFleet | undefined;
  process.on("message", (request: HostRequest) => {
    void (async (): Promise<HostReply> => {
      fleet = await startFleet({ from: request.from, to: request.to, tls: false });
      for (const [name, sites] of request.sites) {
        const emulator = fleet.servers.get(name);
        if (emulator === undefined) throw new Error(`no emulator for ${name}`);
        seedEmulator(emulator, sites);
        for (const site of sites) emulator.api.setUsage?.(site.domain, usageOf(Number(site.domain.replace(/\D/g, ""))));
      }
      return { type: "started", dir: fleet.dir, env: fleet.env };
    })().then(
      (reply) => process.send?.(reply),
      (err: unknown) => process.send?.({ type: "error", message: err instanceof Error ? err.message : String(err) } satisfies HostReply),
    );
  });
  process.on("disconnect", () => {
    void (fleet?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
  });
}

if (process.env.SITEFORM_USAGE_BENCH_HOST === "1") await host();
