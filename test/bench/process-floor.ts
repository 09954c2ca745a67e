/**
 * Builds a floor program (floors/*.ts) the way siteform itself is built: one ESM bundle that
 * loads its packages from node_modules, so siteform and its floor start alike and load the
 * same yaml. Returns the bundle's path.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export async function buildFloor(name: string): Promise<string> {
  const outfile = join(ROOT, "node_modules/.cache/siteform-bench", `${name}.mjs`);
  await build({ entryPoints: [join(ROOT, "test/bench/floors", `${name}.ts`)], bundle: true, packages: "external", platform: "node", format: "esm", target: "node20", outfile, logLevel: "warning" });
  return outfile;
}
