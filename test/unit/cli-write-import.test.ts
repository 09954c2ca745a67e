import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeImport } from "../../src/cli/write-import.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "siteform-import-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const FILES = [
  { path: "plans/reseller.yaml", text: "apiscp_plan: reseller\n" },
  { path: "sites/a.example.yaml", text: "domain: a.example\n" },
];

describe("writeImport", () => {
  it("writes every file, creating folders, and leaves no temporary behind", async () => {
    const result = await writeImport(dir, FILES);
    expect(result).toEqual({ written: ["plans/reseller.yaml", "sites/a.example.yaml"], refused: [] });
    expect(await readFile(join(dir, "sites/a.example.yaml"), "utf8")).toBe("domain: a.example\n");
    expect(await readdir(join(dir, "sites"))).toEqual(["a.example.yaml"]);
    expect(await readdir(join(dir, "plans"))).toEqual(["reseller.yaml"]);
  });

  it("writes nothing when any target exists, and keeps the existing file", async () => {
    await mkdir(join(dir, "sites"));
    await writeFile(join(dir, "sites/a.example.yaml"), "mine\n");
    const result = await writeImport(dir, FILES);
    expect(result.written).toEqual([]);
    expect(result.refused).toEqual([{ path: "sites/a.example.yaml", reason: expect.stringContaining("never overwrites") }]);
    expect(await readFile(join(dir, "sites/a.example.yaml"), "utf8")).toBe("mine\n");
    await expect(readdir(join(dir, "plans"))).rejects.toThrow();
  });

  it("refuses a second import of the same files", async () => {
    await writeImport(dir, FILES);
    const again = await writeImport(dir, [{ path: "sites/a.example.yaml", text: "other\n" }]);
    expect(again.written).toEqual([]);
    expect(await readFile(join(dir, "sites/a.example.yaml"), "utf8")).toBe("domain: a.example\n");
  });

  it("does not clobber a file that appears between the check and the write", async () => {
    // Two files with one path: the second finds the first already placed.
    const result = await writeImport(dir, [
      { path: "sites/b.example.yaml", text: "first\n" },
      { path: "sites/b.example.yaml", text: "second\n" },
    ]);
    expect(result.written).toEqual(["sites/b.example.yaml"]);
    expect(result.refused).toEqual([{ path: "sites/b.example.yaml", reason: "the file appeared while importing and was left as it is" }]);
    expect(await readFile(join(dir, "sites/b.example.yaml"), "utf8")).toBe("first\n");
    expect(await readdir(join(dir, "sites"))).toEqual(["b.example.yaml"]);
  });
});
