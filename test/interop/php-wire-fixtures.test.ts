/**
 * The committed PHP wire fixtures (test/fixtures/php-wire/) are what the PHP installed here
 * produces today: capture.php is run into a scratch directory and every file must match byte
 * for byte. A failure means either a case changed without regenerating (run
 * `php test/interop/php/capture.php`) or this PHP encodes differently from the one that
 * recorded them, which the codec must then be checked against.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requirePhpSoap, runPhpScript, stopAllPhp, tempDir } from "./php-process.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "php-wire");
const generated = (file: string): boolean => file.endsWith(".xml") || file === "index.json";

interface IndexEntry {
  name: string;
  direction: "request" | "response" | "fault";
  file: string;
  value: unknown;
}

const scratch = tempDir("php-wire");

beforeAll(() => requirePhpSoap());

afterAll(async () => {
  await stopAllPhp();
  scratch.cleanup();
});

describe("PHP wire fixtures", () => {
  it("capture.php regenerates exactly the committed files", async () => {
    const run = await runPhpScript("capture.php", [scratch.path]);
    expect(run.code, run.stderr).toBe(0);
    const committed = readdirSync(FIXTURES).filter(generated).sort();
    expect(readdirSync(scratch.path).filter(generated).sort()).toEqual(committed);
    for (const file of committed) {
      expect(readFileSync(join(scratch.path, file), "utf8"), `${file} is stale: run php test/interop/php/capture.php`).toBe(
        readFileSync(join(FIXTURES, file), "utf8"),
      );
    }
  });

  it("index.json names every fixture file once, with a direction and a value", () => {
    const index = JSON.parse(readFileSync(join(FIXTURES, "index.json"), "utf8")) as IndexEntry[];
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".xml")).sort();
    expect(index.map((e) => e.file).sort()).toEqual(files);
    for (const entry of index) {
      expect(entry.file).toBe(`${entry.name}.xml`);
      expect(["request", "response", "fault"]).toContain(entry.direction);
      expect(entry).toHaveProperty("value");
    }
  });
});
