/**
 * Inventory files are UTF-8, strictly: a byte that is not is an error at its line and column,
 * and no U+FFFD replacement character stands in for it (which validate would pass and plan
 * would write to the server). Both through checkInventory (bytes in memory) and loadInventory
 * (the file on disk).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkInventory, loadInventory, type SourceText } from "../../../src/inventory/index.js";
import { decodeUtf8, firstInvalidByte } from "../../../src/inventory/utf8.js";
import { KEYS, baseFiles, expectDiagnostic, expectErrors, site } from "./helpers.js";

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const concat = (...parts: Array<string | number[]>): Uint8Array => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

/** helpers.site with `services.siteinfo.notes` on line 8, its value from column 12. */
function siteWithNotes(notes: Uint8Array): Uint8Array {
  return concat(site("alpha.example", "alpha", ["services:", "  siteinfo:", "    notes: "]).slice(0, -1), [...notes], "\n");
}

function checkBytes(file: string, bytes: Uint8Array) {
  const sources: SourceText[] = Object.entries(baseFiles()).map(([f, text]) => (f === file ? { file, bytes } : { file: f, text }));
  if (!sources.some((s) => s.file === file)) sources.push({ file, bytes });
  return checkInventory(sources, { env: KEYS });
}

describe("decodeUtf8", () => {
  it("decodes valid UTF-8 and keeps a byte-order mark, as reading the file as text did", () => {
    const decoded = decodeUtf8("f.yaml", concat([0xef, 0xbb, 0xbf], "a: ä\n"));
    expect(decoded).toEqual({ ok: true, text: "\uFEFFa: ä\n" });
  });

  it("finds the first byte that is not UTF-8, whatever the way it is wrong", () => {
    expect(firstInvalidByte(concat("ab", [0xe4], "c"))).toBe(2); // Latin-1 ä: a lead byte without its continuation
    expect(firstInvalidByte(concat("ab", [0x80]))).toBe(2); // a continuation byte on its own
    expect(firstInvalidByte(concat("a", [0xc0, 0x80]))).toBe(1); // an overlong NUL
    expect(firstInvalidByte(concat("a", [0xed, 0xa0, 0x80]))).toBe(1); // a UTF-16 surrogate
    expect(firstInvalidByte(concat("a", [0xf4, 0x90, 0x80, 0x80]))).toBe(1); // beyond U+10FFFF
    expect(firstInvalidByte(concat("ä€😀", [0xe2, 0x82]))).toBe(9); // cut short at the end
    expect(firstInvalidByte(utf8("ä€😀"))).toBe(9);
  });

  it("places the bad byte by line and by characters (not bytes) into its line", () => {
    const decoded = decodeUtf8("sites/a.yaml", concat("a: 1\nb: 2\nnotes: ää", [0xe4], "x\n"));
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.diagnostic).toMatchObject({ severity: "error", code: "invalid-utf8", file: "sites/a.yaml", line: 3, column: 10, path: "" });
    expect(decoded.diagnostic.message).toBe("the file is not valid UTF-8: byte 0xE4 here is not part of a UTF-8 character");
    expect(decoded.diagnostic.hint).toMatch(/save the file as UTF-8.*Latin-1/);
  });

  it("a bad first byte is at line 1, column 1", () => {
    const decoded = decodeUtf8("f.yaml", concat([0xff], "\nx\n"));
    expect(decoded.ok ? null : decoded.diagnostic).toMatchObject({ line: 1, column: 1 });
  });

  it("a UTF-16 file gets a hint saying so", () => {
    const decoded = decodeUtf8("f.yaml", Buffer.from("\uFEFFa: 1\n", "utf16le"));
    expect(decoded.ok ? null : decoded.diagnostic.hint).toMatch(/UTF-16/);
  });
});

describe("invalid UTF-8 in an inventory file", () => {
  it("a Latin-1 byte in a site's notes is an error at its line and column, and no U+FFFD reaches the result", () => {
    const result = checkBytes("sites/alpha.yaml", siteWithNotes(concat("B", [0xe4], "ckerei")));
    expectDiagnostic(result, { code: "invalid-utf8", file: "sites/alpha.yaml", line: 8, column: 13, message: /not valid UTF-8: byte 0xE4/ });
    expectErrors(result, ["invalid-utf8"]);
    expect(JSON.stringify(result)).not.toContain("\uFFFD");
  });

  it.each(["siteform.yaml", "plans/basic.yaml", "sites/alpha.yaml", "services/vps.yaml", "licenses/panel.yaml"])("in %s too", (file) => {
    const result = checkBytes(file, concat("description: caf", [0xe9], "\n"));
    expectDiagnostic(result, { code: "invalid-utf8", file, line: 1, column: 17, message: /0xE9/ });
  });

  it("the same text as valid UTF-8 is read as if given as text", () => {
    const text = site("alpha.example", "alpha", ["services:", "  siteinfo:", "    notes: Bäckerei"]);
    const fromBytes = checkBytes("sites/alpha.yaml", utf8(text));
    const fromText = checkInventory(Object.entries({ ...baseFiles(), "sites/alpha.yaml": text }).map(([file, t]) => ({ file, text: t })), { env: KEYS });
    expect(fromBytes).toEqual(fromText);
    expect(fromBytes.inventory?.resources[0]?.fields.siteinfo?.notes).toBe("Bäckerei");
  });
});

describe("invalid UTF-8 on disk", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "siteform-utf8-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("loadInventory reports the byte where the file has it", async () => {
    for (const [file, text] of Object.entries(baseFiles())) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), text);
    }
    await writeFile(join(dir, "sites/alpha.yaml"), siteWithNotes(concat("Gr", [0xfc], "n")));
    const result = await loadInventory(dir, { env: KEYS });
    expectDiagnostic(result, { code: "invalid-utf8", file: "sites/alpha.yaml", line: 8, column: 14, message: /byte 0xFC/ });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain("\uFFFD");
  });
});
