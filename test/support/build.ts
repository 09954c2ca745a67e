/**
 * Vitest global setup: builds the bundle (dist/siteform.js) once before any test, so the tests
 * that run `bin/siteform.js` as a real process always run the current sources, whether the
 * suite was started by `npm test` or by `npx vitest` alone.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  execFileSync("npm", ["run", "--silent", "build"], { cwd: fileURLToPath(new URL("../..", import.meta.url)), stdio: "inherit" });
}
