/**
 * Inventory bench: loading, validating and resolving 10,000 sites in 50 invoice-group files,
 * and 1,000 single-site files, against the floor of listing, reading and parsing the same
 * YAML without any checks. Target: the checks add at most 50 % to the floor.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { loadInventory } from "../../src/inventory/index.js";
import { bestOfAlternating } from "./best-of.js";
import type { BenchResult } from "./run.js";

const ENV = { FRA1_APISCP_KEY: "k", AMS1_APISCP_KEY: "k" };
const RUNS = 5;
const TARGET = 1.5;

const CONFIG = `# yaml-language-server: $schema=../schemas/siteform.schema.json
servers:
  fra1:
    url: https://fra1.panel.example.net:2083/soap
    key_env: FRA1_APISCP_KEY
  ams1:
    url: https://ams1.panel.example.net:2083/soap
    key_env: AMS1_APISCP_KEY
policy:
  max_deletes: 5
`;

const PLANS: Record<string, string> = {
  starter: "apiscp_plan: basic\nservices:\n  diskquota:\n    quota: 2\n    units: GB\n  ssh:\n    enabled: false\n",
  business: "apiscp_plan: business\nservices:\n  diskquota:\n    quota: 25\n  cgroup:\n    memory: 2048\n    proclimit: 150\n",
  agency: "apiscp_plan: business\nservices:\n  aliases:\n    max: 50\n  apache:\n    jail: true\n",
};

/** One site as an operator writes it, `indent` spaces in (a group's list item when > 0). */
function siteYaml(n: number, indent: string, standalone: boolean): string {
  const plan = ["starter", "business", "agency"][n % 3] as string;
  const lines = [
    `domain: customer${n}.example`,
    ...(standalone ? [`server: ${n % 2 === 0 ? "fra1" : "ams1"}`, `invoice: INV-${n}`] : []),
    `admin_user: cust${n}`,
    n % 4 === 0 ? `email: [owner@customer${n}.example, billing@customer${n}.example]` : `email: owner@customer${n}.example`,
    `plan: ${plan}`,
    "aliases:",
    `  - customer${n}-shop.example`,
    `  - customer${n}.example.net`,
    ...(n % 5 === 0 ? ["services:", "  mysql:", `    dbaseprefix: c${n}_`, "  cgroup:", "    memory: 1024"] : []),
    ...(n % 50 === 0 ? ["state: suspended", "suspend_reason: unpaid invoice"] : []),
  ];
  return lines.map((line, i) => (i === 0 && indent !== "" ? `${indent.slice(2)}- ${line}` : `${indent}${line}`)).join("\n");
}

async function writeInventory(dir: string, sites: Array<[string, string]>): Promise<void> {
  await mkdir(join(dir, "plans"), { recursive: true });
  await mkdir(join(dir, "sites"), { recursive: true });
  await writeFile(join(dir, "siteform.yaml"), CONFIG);
  for (const [name, text] of Object.entries(PLANS)) await writeFile(join(dir, "plans", `${name}.yaml`), text);
  for (const [file, text] of sites) await writeFile(join(dir, "sites", file), text);
}

function groupFiles(files: number, perFile: number): Array<[string, string]> {
  return Array.from({ length: files }, (_, f) => {
    const members = Array.from({ length: perFile }, (_, i) => siteYaml(f * perFile + i, "    ", false));
    const text = `invoice: GRP-${f}\nserver: ${f % 2 === 0 ? "fra1" : "ams1"}\nsites:\n${members.join("\n")}\n`;
    return [`group-${String(f).padStart(3, "0")}.yaml`, text];
  });
}

function siteFiles(count: number): Array<[string, string]> {
  return Array.from({ length: count }, (_, n) => [`site-${String(n).padStart(5, "0")}.yaml`, `${siteYaml(n, "", true)}\n`]);
}

/** The floor: find, read and parse the same files, no positions, no checks. */
async function readAndParse(dir: string): Promise<number> {
  const files = ["siteform.yaml"];
  for (const top of ["plans", "sites"]) {
    for (const entry of await readdir(join(dir, top), { recursive: true })) if (entry.endsWith(".yaml")) files.push(join(top, entry));
  }
  const parsed = await Promise.all(files.map(async (file) => parse(await readFile(join(dir, file), "utf8")) as unknown));
  return parsed.length;
}

async function loadAll(dir: string, expectedSites: number): Promise<void> {
  const result = await loadInventory(dir, { env: ENV });
  if (!result.ok || result.inventory.resources.length !== expectedSites) {
    throw new Error(`bench inventory did not load cleanly: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  }
}

/** Best of `RUNS` after one warm-up, alternating the two so both see the same cache and JIT state. */
function compare(dir: string, expectedSites: number): Promise<{ floor: number; value: number }> {
  return bestOfAlternating(RUNS, () => readAndParse(dir), () => loadAll(dir, expectedSites));
}

async function scenario(name: string, sites: Array<[string, string]>, expectedSites: number): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), "siteform-bench-"));
  try {
    await writeInventory(dir, sites);
    const { floor, value } = await compare(dir, expectedSites);
    return { name, value, unit: "ms", floor, target: TARGET };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult[]> {
  return [
    await scenario("inventory: load+validate+resolve 10,000 sites in 50 group files", groupFiles(50, 200), 10_000),
    await scenario("inventory: load+validate+resolve 1,000 single-site files", siteFiles(1_000), 1_000),
  ];
}
