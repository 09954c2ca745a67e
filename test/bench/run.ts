/**
 * The benchmark runner: `npm run bench` (all), `npm run bench -- inventory` (names containing
 * "inventory").
 *
 * Convention for a bench module (keep it this small):
 * - it is a file `test/bench/NAME.bench.ts` exporting `run(): Promise<BenchResult[]>`;
 * - every result is measured against a floor taken in the same run on the same machine (the
 *   cheapest way to do the same work, such as reading and parsing the files without checking
 *   them), so figures compare across machines as a ratio, not as milliseconds;
 * - `target` is the largest acceptable ratio value/floor;
 * - it prints nothing itself, cleans up what it creates, and uses `import type` only from here.
 *
 * Modules run one after the other, in file-name order, so they never compete for the two
 * cores. Each result prints as `name: value unit (ratio X.XX vs floor, target ≤ T) PASS|FAIL`;
 * the exit code is 1 when any result fails.
 */
import { readdir } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface BenchResult {
  name: string;
  /** The measured figure, in `unit` (lower is better). */
  value: number;
  unit: string;
  /** The same figure for the floor, in the same unit. */
  floor: number;
  /** Largest acceptable value / floor. */
  target: number;
}

interface BenchModule {
  run(): Promise<BenchResult[]>;
}

export function formatResult(result: BenchResult): string {
  const ratio = result.value / result.floor;
  const verdict = ratio <= result.target ? "PASS" : "FAIL";
  return `${result.name}: ${result.value.toFixed(1)} ${result.unit} (ratio ${ratio.toFixed(2)} vs floor, target ≤ ${result.target}) ${verdict}`;
}

async function main(filter: string | undefined): Promise<number> {
  const dir = fileURLToPath(new URL(".", import.meta.url));
  const files = (await readdir(dir)).filter((f) => f.endsWith(".bench.ts") && (filter === undefined || f.includes(filter))).sort();
  let failed = false;
  for (const file of files) {
    const module = (await import(pathToFileURL(`${dir}${file}`).href)) as Partial<BenchModule>;
    if (typeof module.run !== "function") {
      console.error(`${file}: exports no run(); skipped`);
      failed = true;
      continue;
    }
    for (const result of await module.run()) {
      console.log(formatResult(result));
      if (result.value / result.floor > result.target) failed = true;
    }
  }
  if (files.length === 0) console.error(filter === undefined ? "no benches found" : `no bench matches '${filter}'`);
  return failed || files.length === 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv[2]);
}
