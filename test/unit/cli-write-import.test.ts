/**
 * The import writer: every file or none. Checks that can be made before writing refuse the
 * whole import with nothing written; a failure part-way (at any call of the file system) takes
 * back everything the import created, temporaries and new folders included; a file is never
 * overwritten, not even one that appears while writing.
 */
import * as fs from "node:fs/promises";
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkImport, writeImport, type WriterFs } from "../../src/cli/write-import.js";

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
  { path: "sites/b.example.yaml", text: "domain: b.example\n" },
];

/** Every file and folder under `dir`, hidden ones included, as relative paths. */
async function everything(): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

const REAL: WriterFs = {
  mkdir: (p, o) => fs.mkdir(p, o),
  writeFile: (p, t, o) => fs.writeFile(p, t, o),
  link: (a, b) => fs.link(a, b),
  unlink: (p) => fs.unlink(p),
  rmdir: (p) => fs.rmdir(p),
  lstat: (p) => fs.lstat(p),
  stat: (p) => fs.stat(p),
};

/** The real file system, except that the `nth` call of `op` fails with `code`. */
function failing(op: "writeFile" | "link" | "mkdir", nth: number, code: string): WriterFs {
  let calls = 0;
  const fail = (): never => {
    throw Object.assign(new Error(`${code}: simulated`), { code });
  };
  return {
    ...REAL,
    [op]: (...args: never[]) => {
      calls += 1;
      if (calls === nth) fail();
      return (REAL[op] as (...a: never[]) => Promise<unknown>)(...args);
    },
  } as WriterFs;
}

describe("writeImport", () => {
  it("writes every file, creating folders, and leaves no temporary behind", async () => {
    const result = await writeImport(dir, FILES);
    expect(result).toEqual({ written: FILES.map((f) => f.path), refused: [] });
    expect(await readFile(join(dir, "sites/a.example.yaml"), "utf8")).toBe("domain: a.example\n");
    expect(await everything()).toEqual(["plans", "plans/reseller.yaml", "sites", "sites/a.example.yaml", "sites/b.example.yaml"]);
  });

  it("writes nothing when any target exists, and keeps the existing file", async () => {
    await mkdir(join(dir, "sites"));
    await writeFile(join(dir, "sites/a.example.yaml"), "mine\n");
    const result = await writeImport(dir, FILES);
    expect(result.written).toEqual([]);
    expect(result.refused).toEqual([{ path: "sites/a.example.yaml", reason: expect.stringContaining("never overwrites") }]);
    expect(await readFile(join(dir, "sites/a.example.yaml"), "utf8")).toBe("mine\n");
    expect(await everything()).toEqual(["sites", "sites/a.example.yaml"]);
  });

  it("counts a dangling symbolic link as a file already there", async () => {
    await mkdir(join(dir, "sites"));
    await symlink(join(dir, "nowhere.yaml"), join(dir, "sites/b.example.yaml"));
    const result = await writeImport(dir, FILES);
    expect(result.refused).toEqual([{ path: "sites/b.example.yaml", reason: expect.stringContaining("already exists") }]);
    expect(await everything()).toEqual(["sites", "sites/b.example.yaml"]);
  });

  it("refuses a second import of the same files", async () => {
    await writeImport(dir, FILES);
    const again = await writeImport(dir, [{ path: "sites/a.example.yaml", text: "other\n" }]);
    expect(again.written).toEqual([]);
    expect(await readFile(join(dir, "sites/a.example.yaml"), "utf8")).toBe("domain: a.example\n");
  });

  it("refuses, before writing anything, a name longer than a file system takes, and says so instead of ENAMETOOLONG", async () => {
    const long = `sites/${"x".repeat(251)}.yaml`;
    const result = await writeImport(dir, [FILES[0]!, { path: long, text: "domain: x\n" }]);
    expect(result).toEqual({ written: [], refused: [{ path: long, reason: "the name is 256 bytes long; file systems take at most 255" }] });
    expect(await everything()).toEqual([]);
  });

  it("refuses the same path twice and a file where a folder must be, writing nothing", async () => {
    await writeFile(join(dir, "plans"), "not a folder\n");
    const result = await writeImport(dir, [...FILES, FILES[1]!]);
    expect(result.written).toEqual([]);
    expect(result.refused).toEqual([
      { path: "plans/reseller.yaml", reason: "plans is a file, not a folder: move it away, then import again" },
      { path: "sites/a.example.yaml", reason: expect.stringContaining("same path twice") },
    ]);
    expect(await everything()).toEqual(["plans"]);
  });

  it.each([
    ["writeFile", 1, "ENOSPC", "plans/reseller.yaml", /no space left/],
    ["writeFile", 3, "ENOSPC", "sites/b.example.yaml", /no space left/],
    ["mkdir", 2, "EACCES", "sites/a.example.yaml", /permission denied: .*make the folder writable/],
    ["link", 1, "EIO", "plans/reseller.yaml", /EIO: simulated/],
    ["link", 3, "ENAMETOOLONG", "sites/b.example.yaml", /refuses the name as too long/],
  ] as const)("when %s call %i fails with %s, removes everything it created and names %s", async (op, nth, code, path, reason) => {
    const result = await writeImport(dir, FILES, failing(op, nth, code));
    expect(result.written).toEqual([]);
    expect(result.refused).toEqual([{ path, reason: expect.stringMatching(reason) }]);
    expect(await everything()).toEqual([]);
  });

  it("keeps folders that were there before, and everything in them, when a failure takes the import back", async () => {
    await mkdir(join(dir, "sites"));
    await writeFile(join(dir, "sites/mine.yaml"), "mine\n");
    const result = await writeImport(dir, FILES, failing("link", 3, "EIO"));
    expect(result.written).toEqual([]);
    expect(await everything()).toEqual(["sites", "sites/mine.yaml"]);
  });

  it("does not clobber a file that appears between the check and the write, and takes back the rest", async () => {
    // The link into place finds the target taken: someone wrote it after the check.
    const racing: WriterFs = {
      ...REAL,
      link: async (existing, target) => {
        if (target.endsWith("b.example.yaml")) await writeFile(target, "theirs\n");
        return REAL.link(existing, target);
      },
    };
    const result = await writeImport(dir, FILES, racing);
    expect(result).toEqual({ written: [], refused: [{ path: "sites/b.example.yaml", reason: expect.stringContaining("appeared while importing") }] });
    expect(await readFile(join(dir, "sites/b.example.yaml"), "utf8")).toBe("theirs\n");
    expect(await everything()).toEqual(["sites", "sites/b.example.yaml"]);
  });
});

describe("checkImport", () => {
  it("finds what writeImport would refuse, without writing anything", async () => {
    expect(await checkImport(dir, FILES)).toEqual([]);
    await mkdir(join(dir, "sites"));
    await writeFile(join(dir, "sites/a.example.yaml"), "mine\n");
    expect(await checkImport(dir, FILES)).toEqual([{ path: "sites/a.example.yaml", reason: expect.stringContaining("never overwrites") }]);
    expect(await everything()).toEqual(["sites", "sites/a.example.yaml"]);
  });
});
