/**
 * Start-up: `siteform --help` as a user runs it (node on the built bin, a fresh process each
 * time) against the floor of starting node itself (`node -e 0`). Target: at most three times
 * the floor (issue 15). Builds first, so it measures the current sources.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchResult } from "./run.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const RUNS = 15;
const TARGET = 3;

function best(args: readonly string[]): number {
  let fastest = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    execFileSync(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

export async function run(): Promise<BenchResult[]> {
  execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "ignore" });
  const floor = best(["-e", "0"]);
  const value = best(["bin/siteform.js", "--help"]);
  return [{ name: "start-up: siteform --help (built bin) vs node -e 0", value, unit: "ms", floor, target: TARGET }];
}
