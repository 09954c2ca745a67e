/**
 * An import's file names (ApisCP and WHM): safe on any file system, short enough for the writer's
 * temporary beside them, the same for the same name on every import, distinct for distinct
 * names, and never a path already taken.
 */
import { describe, expect, it } from "vitest";
import { FilePaths, MAX_STEM, fileStem } from "../../src/providers/import-paths.js";
import { planNameFor } from "../../src/providers/whm/importer/plan-choice.js";

const label = (c: string, n = 63): string => c.repeat(n);

describe("fileStem", () => {
  it("keeps a domain as it is", () => {
    expect(fileStem("acme.example", "account")).toBe("acme.example");
    expect(fileStem("xn--bcher-kva.example", "account")).toBe("xn--bcher-kva.example");
  });

  it("lowercases, replaces what a file name should not hold, and never makes a hidden file", () => {
    expect(fileStem("ACME.Example", "account")).toBe("acme.example");
    expect(fileStem("../../etc/passwd", "account")).toBe("etc-passwd");
    expect(fileStem("..hidden", "account")).toBe("hidden");
    expect(fileStem("a b\tc\u0000d", "account")).toBe("a-b-c-d");
    expect(fileStem("trailing.-", "account")).toBe("trailing");
  });

  it("falls back when nothing is left", () => {
    expect(fileStem("...", "account")).toBe("account");
    expect(fileStem("", "account")).toBe("account");
  });

  it("cuts a long name to at most MAX_STEM characters with a digest of the whole name", () => {
    const long = `${label("a")}.${label("b")}.${label("c")}.${label("d", 49)}.example`;
    const stem = fileStem(long, "account");
    expect(stem.length).toBeLessThanOrEqual(MAX_STEM);
    expect(stem).toMatch(/^a{63}\.b+-[0-9a-f]{8}$/);
    expect(fileStem(long, "account")).toBe(stem);
    // Room for ".yaml", a "-N" suffix and the writer's temporary name within a 255-byte file name.
    expect(`.${stem}-99.yaml.4194304.ffffffff.tmp`.length).toBeLessThan(255);
  });

  it("tells apart long names that share their beginning", () => {
    const one = `${label("a")}.${label("b")}.${label("c")}.one.example`;
    const two = `${label("a")}.${label("b")}.${label("c")}.two.example`;
    expect(fileStem(one, "account")).not.toBe(fileStem(two, "account"));
  });
});

describe("planNameFor", () => {
  it("makes a plan name (no dots, lowercase) from a package name", () => {
    expect(planNameFor("starter")).toBe("starter");
    expect(planNameFor("Reseller Gold")).toBe("reseller-gold");
    expect(planNameFor("reseller_pro.v2")).toBe("reseller_pro-v2");
    expect(planNameFor("__")).toBe("whm-package");
  });
});

describe("FilePaths", () => {
  it("never hands out a path the inventory has, one on disk, or one it handed out", () => {
    const paths = new FilePaths(["sites/acme.example.yaml"], (path) => path === "sites/acme.example-2.yaml");
    expect(paths.claim("sites", "acme.example")).toEqual({ path: "sites/acme.example-3.yaml", stem: "acme.example-3" });
    expect(paths.claim("sites", "acme.example")).toEqual({ path: "sites/acme.example-4.yaml", stem: "acme.example-4" });
    expect(paths.claim("plans", "acme.example")).toEqual({ path: "plans/acme.example.yaml", stem: "acme.example" });
  });
});
