/**
 * A large generated inventory and matching emulated servers for the plan and apply benches:
 * `servers` servers with `sitesPerServer` sites each, written as invoice-group files of ten
 * sites, and each server seeded in-process (no wire) with the same sites, a share of them
 * changed so the plan has work to do.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunningEmulator } from "../../src/emulator/apiscp/server/index.js";
import type { SoapMap, SoapValue } from "../../src/providers/apiscp/wire/value.js";

/** A site as `admin_add_site` arguments, and optionally what it uses (for `siteform usage`). */
export interface SeedSite {
  domain: string;
  adminUser: string;
  opts: SoapMap;
  usage?: { storageKb: number; bandwidthBytes: number };
}

export interface GeneratedFleet {
  servers: string[];
  /** Per server, its sites. */
  sites: Map<string, SeedSite[]>;
}

export async function writeFleetInventory(dir: string, servers: number, sitesPerServer: number): Promise<GeneratedFleet> {
  const names = Array.from({ length: servers }, (_, i) => `srv${String(i + 1).padStart(2, "0")}`);
  await mkdir(join(dir, "plans"), { recursive: true });
  await mkdir(join(dir, "sites"), { recursive: true });
  const config = [
    "servers:",
    ...names.flatMap((n) => [`  ${n}:`, `    url: http://127.0.0.1:1/soap`, `    key_env: ${n.toUpperCase()}_KEY`, "    concurrency: 8"]),
    "policy:",
    "  max_deletes: 5",
    "",
  ].join("\n");
  await writeFile(join(dir, "siteform.yaml"), config);
  await writeFile(join(dir, "plans", "starter.yaml"), "apiscp_plan: basic\nservices:\n  diskquota:\n    quota: 2000\n    units: MB\n  ssh:\n    enabled: false\n");
  await writeFile(join(dir, "plans", "business.yaml"), "apiscp_plan: business\nservices:\n  cgroup:\n    memory: 2048\n");
  const sites = new Map<string, SeedSite[]>();
  for (const [s, server] of names.entries()) {
    const list: SeedSite[] = [];
    for (let g = 0; g < sitesPerServer / 10; g++) {
      const invoice = `INV-${s}-${g}`;
      const lines = [`invoice: ${invoice}`, `server: ${server}`, "sites:"];
      for (let k = 0; k < 10; k++) {
        const n = s * sitesPerServer + g * 10 + k;
        const plan = n % 3 === 0 ? "business" : "starter";
        const domain = `customer${n}.example`;
        const adminUser = `cust${n}`;
        lines.push(`  - domain: ${domain}`, `    admin_user: ${adminUser}`, `    email: owner@customer${n}.example`, `    plan: ${plan}`, "    aliases:", `      - customer${n}-shop.example`);
        const opts: Record<string, SoapValue> = {
          "siteinfo.email": `owner@customer${n}.example`,
          "siteinfo.plan": plan === "business" ? "business" : "basic",
          "aliases.aliases": [`customer${n}-shop.example`],
          [k === 0 ? "billing.invoice" : "billing.parent_invoice"]: invoice,
          ...(plan === "starter" ? { "diskquota.quota": n % 20 === 0 ? 1000 : 2000, "diskquota.units": "MB", "ssh.enabled": 0 } : { "cgroup.memory": 2048 }),
        };
        list.push({ domain, adminUser, opts });
      }
      await writeFile(join(dir, "sites", `group-${server}-${g}.yaml`), `${lines.join("\n")}\n`);
    }
    sites.set(server, list);
  }
  return { servers: names, sites };
}

/** Adds the sites in-process, as if they had always been there, with what each uses when given. */
export function seedEmulator(emulator: RunningEmulator, sites: readonly SeedSite[]): void {
  const now = Math.floor(Date.now() / 1000);
  for (const site of sites) {
    const plan = site.opts["siteinfo.plan"];
    emulator.api.invoke("admin_add_site", [site.domain, site.adminUser, site.opts, { plan: typeof plan === "string" ? plan : "basic" }], { now });
    if (site.usage !== undefined) emulator.api.setUsage?.(site.domain, site.usage);
  }
}
