import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadInventory } from "../../../src/inventory/index.js";
import { KEYS, baseFiles, expectDiagnostic, site, type Files } from "./helpers.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "siteform-inventory-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(files: Files): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), text);
  }
}

describe("loadInventory", () => {
  it("reads siteform.yaml, plans/** and sites/** and resolves them", async () => {
    await write({ ...baseFiles(), "sites/nested/deep/beta.yaml": site("beta.example", "beta"), "sites/README.md": "notes", "other/x.yaml": "ignored: [" });
    const result = await loadInventory(dir, { env: KEYS });
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.files).toEqual(["siteform.yaml", "plans/basic.yaml", "sites/alpha.yaml", "sites/nested/deep/beta.yaml"]);
    expect(result.inventory?.dir).toBe(dir);
    expect(result.inventory?.resources.map((s) => s.key)).toEqual(["sites/alpha.yaml", "sites/nested/deep/beta.yaml"]);
  });

  it("reports a directory without siteform.yaml", async () => {
    const result = await loadInventory(join(dir, "nowhere"));
    expectDiagnostic(result, { code: "missing-config", file: "siteform.yaml", line: 1, message: /no siteform\.yaml/ });
    expect(result.ok).toBe(false);
  });

  it("checks that ca_file exists, relative to the inventory", async () => {
    const files = baseFiles();
    files["siteform.yaml"] = (files["siteform.yaml"] ?? "").replace("    key_env: FRA1_KEY\n", "    key_env: FRA1_KEY\n    ca_file: certs/fra1.pem\n");
    await write(files);
    const missing = await loadInventory(dir, { env: KEYS, requireKeys: true });
    expectDiagnostic(missing, { code: "missing-ca-file", file: "siteform.yaml", line: 5, message: /certs\/fra1\.pem/ });
    await write({ "certs/fra1.pem": "-----BEGIN CERTIFICATE-----\n" });
    const found = await loadInventory(dir, { env: KEYS, requireKeys: true });
    expect(found.diagnostics).toEqual([]);
    expect(found.inventory?.servers.find((s) => s.name === "fra1")?.caFile).toBe(join(dir, "certs/fra1.pem"));
  });

  it("reports a file it cannot read", async () => {
    // A dangling symlink fails to read for every user, root included (chmod 000 does not stop root).
    await write(baseFiles());
    await symlink(join(dir, "nowhere.yaml"), join(dir, "sites/locked.yaml"));
    const result = await loadInventory(dir, { env: KEYS });
    expectDiagnostic(result, { code: "unreadable-file", file: "sites/locked.yaml", line: 1, message: /ENOENT/ });
  });
});
