/**
 * Long-list bench: validating one site with as many aliases as the schema allows (its
 * documented `maxItems`, or 200,000 if that were larger), accepted, and the same list with its
 * last alias repeating the first, refused at that line; each against the floor of reading and
 * parsing the same YAML with the `yaml` package alone. Target: at most twice the floor, so a
 * quadratic step (ajv's pairwise `uniqueItems` took 112 s for 50,000 aliases) fails it.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import siteSchema from "../../src/providers/apiscp/schemas/site.schema.json" with { type: "json" };
import { loadInventory } from "../../src/inventory/index.js";
import { bestOfAlternating } from "./best-of.js";
import type { BenchResult } from "./run.js";

const ALIASES = Math.min(200_000, siteSchema.$defs.aliases.maxItems);
const RUNS = 5;
const TARGET = 2;
const ENV = { FRA1_APISCP_KEY: "k" };

const CONFIG = "servers:\n  fra1:\n    url: https://fra1.panel.example.net:2083/soap\n    key_env: FRA1_APISCP_KEY\n";
const PLAN = "apiscp_plan: basic\nservices:\n  diskquota:\n    quota: 2\n    units: GB\n";

function siteYaml(repeatFirst: boolean): string {
  const aliases = Array.from({ length: ALIASES }, (_, i) => `  - alias-${i === ALIASES - 1 && repeatFirst ? 0 : i}.customer.example`);
  return ["domain: customer.example", "server: fra1", "admin_user: customer", "email: owner@customer.example", "plan: basic", "aliases:", ...aliases, ""].join("\n");
}

/** The floor: read and parse the same files with the yaml package, no positions, no checks. */
async function readAndParse(dir: string): Promise<void> {
  for (const file of ["siteform.yaml", "plans/basic.yaml", "sites/customer.yaml"]) parse(await readFile(join(dir, file), "utf8"));
}

async function validate(dir: string, repeatFirst: boolean): Promise<void> {
  const result = await loadInventory(dir, { env: ENV });
  if (repeatFirst) {
    const codes = result.diagnostics.map((d) => `${d.code}@${d.line}`);
    // The repeat is the last alias: line 6 is `aliases:`, so alias i is on line 7 + i.
    if (result.ok || codes.join() !== `duplicate-item@${6 + ALIASES}`) throw new Error(`expected one duplicate-item at the last alias, got ${codes.slice(0, 3).join(", ")}`);
  } else if (!result.ok || result.inventory.resources[0]?.fields.aliases?.aliases === undefined) {
    throw new Error(`bench inventory did not load cleanly: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  }
}

async function scenario(name: string, repeatFirst: boolean): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), "siteform-bench-aliases-"));
  try {
    await mkdir(join(dir, "plans"));
    await mkdir(join(dir, "sites"));
    await writeFile(join(dir, "siteform.yaml"), CONFIG);
    await writeFile(join(dir, "plans", "basic.yaml"), PLAN);
    await writeFile(join(dir, "sites", "customer.yaml"), siteYaml(repeatFirst));
    const { floor, value } = await bestOfAlternating(RUNS, () => readAndParse(dir), () => validate(dir, repeatFirst));
    return { name, value, unit: "ms", floor, target: TARGET };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult[]> {
  const count = ALIASES.toLocaleString("en");
  return [
    await scenario(`validate: one site with ${count} aliases (the documented maximum), accepted`, false),
    await scenario(`validate: one site with ${count} aliases, the last repeating the first, refused`, true),
  ];
}
