/**
 * WHM plan bench: `siteform plan` for 10,000 cPanel accounts on 10 emulated WHM servers (1 in
 * 20 with a disk quota changed in WHM), against the floor of the work no tool can avoid:
 * reading and parsing the same inventory YAML, and receiving and parsing the same `listaccts`
 * and `listpkgs` answers (the same query, the same bytes) with nothing but fetch and
 * JSON.parse. The emulators run in a process of their own (remote-fleet.ts), so they do not
 * share siteform's event loop. Target: ratio ≤ 1.3. The peak RSS printed is this process's
 * (siteform and the bench, not the emulators).
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import type { WhmAccountInput, WhmStateInput } from "../../src/emulator/whm/index.js";
import { runPlan } from "../../src/engine/plan-run.js";
import { managedFields } from "../../src/planner/index.js";
import { loadInventory } from "../../src/inventory/index.js";
import { wantFor } from "../../src/providers/whm/observe.js";
import { ACCOUNT_KIND } from "../../src/providers/whm/kinds.js";
import type { BenchResult } from "./run.js";
import { FleetHost } from "./remote-fleet.js";

const SERVERS = 10;
const ACCOUNTS_PER_SERVER = 1000;
const RUNS = 3;
const PLANS = {
  "cp-starter": { package: "starter", services: { limits: { mailboxes: 20, disk_mb: 5120 }, shell: { enabled: false } } },
  "cp-business": { package: "business", services: { limits: { disk_mb: 30720, databases: 25 } } },
} as const;

interface Generated {
  states: Record<string, WhmStateInput>;
  /** Per server: its URL base and credentials, filled in after the fleet starts. */
  servers: string[];
}

/** The inventory (siteform.yaml, plans, one file per account) and the servers' matching states. */
async function writeInventory(dir: string): Promise<Generated> {
  await mkdir(join(dir, "plans"), { recursive: true });
  await mkdir(join(dir, "sites"), { recursive: true });
  const servers = Array.from({ length: SERVERS }, (_, i) => `cp${i + 1}`);
  const config = {
    servers: Object.fromEntries(servers.map((s) => [s, { provider: "whm", url: `https://${s}.panel.example.net:2087`, key_env: `${s.toUpperCase()}_TOKEN`, user_env: `${s.toUpperCase()}_USER`, concurrency: 4 }])),
    policy: { max_deletes: 5 },
  };
  await writeFile(join(dir, "siteform.yaml"), stringify(config));
  for (const [name, plan] of Object.entries(PLANS)) await writeFile(join(dir, "plans", `${name}.yaml`), stringify({ kind: ACCOUNT_KIND, whm_package: plan.package, services: plan.services }));
  const states: Record<string, WhmStateInput> = {};
  for (const [s, server] of servers.entries()) {
    const accounts: WhmAccountInput[] = [];
    for (let i = 0; i < ACCOUNTS_PER_SERVER; i++) {
      const n = s * ACCOUNTS_PER_SERVER + i;
      const planName = n % 3 === 0 ? "cp-business" : "cp-starter";
      const plan = PLANS[planName];
      const user = `acct${n}`;
      const domain = `customer${n}.example`;
      const ownDisk = n % 7 === 0 ? 8192 : null;
      const entry = { server, user, domain, email: `owner@${domain}`, plan: planName, ...(ownDisk !== null && { services: { limits: { disk_mb: ownDisk } } }) };
      await writeFile(join(dir, "sites", `${user}.yaml`), stringify(entry));
      const disk = n % 20 === 0 ? 1024 : (ownDisk ?? plan.services.limits.disk_mb);
      accounts.push({
        user,
        domain,
        email: `owner@${domain}`,
        plan: plan.package,
        hasshell: false,
        limits: { quotaMb: disk, ...("mailboxes" in plan.services.limits ? { maxpop: plan.services.limits.mailboxes } : {}), ...("databases" in plan.services.limits ? { maxsql: plan.services.limits.databases } : {}) },
      });
    }
    states[server] = { accounts };
  }
  return { states, servers };
}

export async function run(): Promise<BenchResult[]> {
  const root = await mkdtemp(join(tmpdir(), "siteform-whm-bench-"));
  const host = FleetHost.start();
  try {
    const generated = await writeInventory(join(root, "source"));
    const fleet = await host.fleet({ from: join(root, "source"), to: join(root, "inventory"), tls: false, whmStates: generated.states }, {});
    try {
      const loaded = await loadInventory(fleet.dir, { env: fleet.env, requireKeys: true });
      if (!loaded.ok) throw new Error(`bench inventory does not validate: ${JSON.stringify(loaded.diagnostics.slice(0, 3))}`);
      // The floor asks for exactly what plan asks for: the same fields of the same accounts.
      const want = wantFor(managedFields(loaded.inventory, "cp1", loaded.inventory.catalogue)[ACCOUNT_KIND] ?? []).join(",");
      const targets = loaded.inventory.servers.map((s) => ({ url: s.url, auth: `whm ${fleet.env[s.userEnv ?? ""]}:${fleet.env[s.keyEnv]}` }));
      const floor = async (): Promise<void> => {
        await readAndParse(fleet.dir);
        await Promise.all(
          targets.map(async ({ url, auth }) => {
            const get = async (query: string): Promise<unknown> => {
              const response = await fetch(`${url}/${query}`, { headers: { authorization: auth } });
              return JSON.parse(await response.text()) as unknown;
            };
            await Promise.all([get(`listaccts?api.version=1&want=${encodeURIComponent(want)}`), get("listpkgs?api.version=1")]);
          }),
        );
      };
      let opsSeen = 0;
      const plan = async (): Promise<void> => {
        const result = await runPlan({ dir: fleet.dir, env: fleet.env, servers: null, allowDeletes: null, resetPlanDefaults: false, now: new Date() });
        if (result.kind !== "planned" || result.plan.servers.some((s) => s.error !== null)) throw new Error(`bench plan failed: ${JSON.stringify(result.kind === "planned" ? result.plan.servers.map((s) => s.error) : result)}`);
        opsSeen = result.plan.ops.length;
      };
      const floorMs = await best(floor);
      const planMs = await best(plan);
      const peakMb = process.resourceUsage().maxRSS / 1024;
      return [
        {
          name: `plan ${SERVERS * ACCOUNTS_PER_SERVER} WHM accounts on ${SERVERS} servers (${opsSeen} ops, peak RSS ${peakMb.toFixed(0)} MB) vs reading the same YAML and listaccts answers`,
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
    host.close();
    await rm(root, { recursive: true, force: true });
  }
}

/** Find, read and parse every inventory file, no positions, no checks. */
async function readAndParse(dir: string): Promise<void> {
  const files = ["siteform.yaml"];
  for (const top of ["plans", "sites"]) {
    for (const entry of await readdir(join(dir, top), { recursive: true })) if (entry.endsWith(".yaml")) files.push(join(top, entry));
  }
  await Promise.all(files.map(async (file) => parse(await readFile(join(dir, file), "utf8")) as unknown));
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
