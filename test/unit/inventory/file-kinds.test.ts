/**
 * Which files an inventory directory holds for siteform: siteform.yaml, repository plans, and
 * resource files in sites/, services/ and licenses/ (read from disk in that order), with
 * `.yml` files there reported and everything else left alone.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyPath, compareInventoryPaths } from "../../../src/inventory/file-kinds.js";
import { listInventoryFiles } from "../../../src/inventory/files.js";

describe("inventory paths", () => {
  it("reads resource files from sites/, services/ and licenses/, and reports a .yml there", () => {
    expect(classifyPath("services/vps/shop.yaml")).toEqual({ kind: "resource" });
    expect(classifyPath("licenses/cloudlinux-fra1.yaml")).toEqual({ kind: "resource" });
    expect(classifyPath("sites/acme.yaml")).toEqual({ kind: "resource" });
    expect(classifyPath("plans/basic.yaml")).toEqual({ kind: "plan" });
    expect(classifyPath("licenses/x.yml")).toEqual({ kind: "misnamed", expected: "licenses/x.yaml" });
    expect(classifyPath("notes/x.yaml")).toEqual({ kind: "ignored" });
    expect(classifyPath("services/.draft/x.yaml")).toEqual({ kind: "ignored" });
    expect(classifyPath("services.yaml")).toEqual({ kind: "ignored" });
  });

  it("orders siteform.yaml, plans, sites, services, licenses", () => {
    const paths = ["licenses/a.yaml", "services/b.yaml", "sites/z.yaml", "plans/p.yaml", "siteform.yaml", "sites/a.yaml"];
    expect([...paths].sort(compareInventoryPaths)).toEqual(["siteform.yaml", "plans/p.yaml", "sites/a.yaml", "sites/z.yaml", "services/b.yaml", "licenses/a.yaml"]);
  });

  it("finds them on disk in that order", async () => {
    const dir = await mkdtemp(join(tmpdir(), "siteform-paths-"));
    try {
      for (const file of ["siteform.yaml", "licenses/l.yaml", "services/vps/s.yaml", "sites/a.yaml", "plans/p.yaml", "README.md", "services/notes.txt"]) {
        await mkdir(dirname(join(dir, file)), { recursive: true });
        await writeFile(join(dir, file), "x: 1\n");
      }
      expect(await listInventoryFiles(dir)).toEqual(["siteform.yaml", "plans/p.yaml", "sites/a.yaml", "services/vps/s.yaml", "licenses/l.yaml"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
