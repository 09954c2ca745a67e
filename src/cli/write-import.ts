/**
 * Writes an import's files into the inventory directory, all or nothing, and never over a
 * file. First every target is checked without writing (a name the file system cannot hold, the
 * same path twice, a file already there, a folder in the way); any problem refuses the whole
 * import. Then every file is written to a short dot-named temporary beside its target
 * (exclusive create), and only when all of them are written is each hard-linked into place,
 * which fails rather than clobbers if the path appeared in the meantime. A failure at any
 * point (a full disk, no permission, a file that appeared) removes what this import created,
 * temporaries, placed files and new folders, so a failed import leaves the directory as it
 * found it. The only writing `siteform import` does; what to write is the provider's importer's.
 */
import { randomBytes } from "node:crypto";
import * as nodeFs from "node:fs/promises";
import { dirname, join, resolve } from "node:path";

export interface WriteResult {
  /** Paths written, as given; empty whenever `refused` is not. */
  written: string[];
  /** Paths that could not be written and why; when any is set, nothing was written. */
  refused: Array<{ path: string; reason: string }>;
}

export interface ImportFile {
  /** Relative to the inventory directory, `/`-separated. */
  path: string;
  text: string;
}

/** The file operations the writer uses; tests pass one that fails on cue. */
export interface WriterFs {
  mkdir(path: string, options: { recursive: true }): Promise<string | undefined>;
  writeFile(path: string, text: string, options: { flag: "wx" }): Promise<void>;
  link(existing: string, target: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  lstat(path: string): Promise<{ isDirectory(): boolean }>;
  stat(path: string): Promise<{ isDirectory(): boolean }>;
}

const NODE_FS: WriterFs = {
  mkdir: (path, options) => nodeFs.mkdir(path, options),
  writeFile: (path, text, options) => nodeFs.writeFile(path, text, options),
  link: (existing, target) => nodeFs.link(existing, target),
  unlink: (path) => nodeFs.unlink(path),
  rmdir: (path) => nodeFs.rmdir(path),
  lstat: (path) => nodeFs.lstat(path),
  stat: (path) => nodeFs.stat(path),
};

/** The longest file name (in bytes) common file systems take (ext4, XFS, APFS, NTFS). */
const NAME_MAX = 255;
/** The longest path the system calls take, in bytes, leaving room for the terminating NUL. */
const PATH_MAX = process.platform === "darwin" ? 1023 : 4095;

const NEVER_OVERWRITES = "the file already exists; siteform import never overwrites a file: move it away or import again to get a new name";

function errorCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : undefined;
}

/** What went wrong writing `path`, in words that say what to do; never a stack or an errno alone. */
export function writeFailure(err: unknown): string {
  const code = errorCode(err);
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "permission denied: siteform may not create files there; make the folder writable for this user";
    case "EROFS":
      return "the file system is read-only: import into a writable checkout";
    case "ENOSPC":
    case "EDQUOT":
      return "no space left on the device (or the disk quota is used up): free some, then import again";
    case "ENAMETOOLONG":
      return "the file system refuses the name as too long: import into a folder with a shorter path";
    case "ENOTDIR":
      return "a part of the path is a file, not a folder: move that file away";
    case "EEXIST":
      return "the file appeared while importing and was left as it is; import again to get a new name";
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

async function present(fs: WriterFs, path: string): Promise<boolean> {
  try {
    // lstat: a dangling symbolic link is something there too, and writing through it would create a file elsewhere.
    await fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Why `path` cannot be written as an import file without even trying; null when it can. */
function nameProblem(dir: string, path: string): string | null {
  const parts = path.split("/");
  if (path === "" || path.startsWith("/") || parts.some((p) => p === "" || p === "." || p === "..")) {
    return "internal: the importer made a path outside the inventory folder";
  }
  const long = parts.find((p) => Buffer.byteLength(p, "utf8") > NAME_MAX);
  if (long !== undefined) return `the name is ${Buffer.byteLength(long, "utf8")} bytes long; file systems take at most ${NAME_MAX}`;
  const full = Buffer.byteLength(join(dir, path), "utf8");
  if (full > PATH_MAX) return `the whole path is ${full} bytes long; the system takes at most ${PATH_MAX}: import into a folder with a shorter path`;
  return null;
}

/** The first folder on the way to `path` (inside `dir`) that exists but is not a folder, or null. */
async function blockedBy(fs: WriterFs, dir: string, path: string): Promise<string | null> {
  const parts = path.split("/").slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const folder = parts.slice(0, i).join("/");
    try {
      // stat follows links: a `sites` that links to a folder elsewhere is a folder.
      if (!(await fs.stat(join(dir, folder))).isDirectory()) return folder;
    } catch {
      return null; // missing: it will be created
    }
  }
  return null;
}

/**
 * Everything that can be known to fail before writing: names too long, the same path twice, a
 * file already there, a file where a folder must be. Empty when the import may be written.
 * `siteform import --dry-run` stops here.
 */
export async function checkImport(dir: string, files: readonly ImportFile[], fs: WriterFs = NODE_FS): Promise<WriteResult["refused"]> {
  const refused: WriteResult["refused"] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const problem = nameProblem(dir, file.path);
    if (problem !== null) refused.push({ path: file.path, reason: problem });
    else if (seen.has(file.path)) refused.push({ path: file.path, reason: "internal: the importer made the same path twice" });
    else if (await present(fs, join(dir, file.path))) refused.push({ path: file.path, reason: NEVER_OVERWRITES });
    else {
      const blocker = await blockedBy(fs, dir, file.path);
      if (blocker !== null) refused.push({ path: file.path, reason: `${blocker} is a file, not a folder: move it away, then import again` });
    }
    seen.add(file.path);
  }
  return refused;
}

/** What this import created so far, in order, so a failure can take exactly that back. */
class Undo {
  private readonly folders: string[] = [];
  private readonly files: string[] = [];

  folder(path: string): void {
    this.folders.push(path);
  }

  file(path: string): void {
    this.files.push(path);
  }

  /** Removes the files, then the folders it created, deepest first (only while empty). */
  async run(fs: WriterFs): Promise<void> {
    for (const file of this.files.reverse()) await fs.unlink(file).catch(() => undefined);
    for (const folder of this.folders.sort((a, b) => b.length - a.length)) await fs.rmdir(folder).catch(() => undefined);
  }
}

/** Creates the folders on the way to `path`, recording each new one. */
async function makeFolders(fs: WriterFs, dir: string, path: string, undo: Undo): Promise<void> {
  const parent = dirname(join(dir, path));
  const first = await fs.mkdir(parent, { recursive: true });
  if (first === undefined) return;
  // mkdir names only the first (outermost) folder it created; the ones below it are new too.
  for (let folder = parent; ; folder = dirname(folder)) {
    undo.folder(folder);
    if (resolve(folder) === resolve(first) || dirname(folder) === folder) break;
  }
}

/** Links the temporary into place; falls back to an exclusive write where hard links are not supported. */
async function place(fs: WriterFs, temp: string, target: string, text: string): Promise<void> {
  try {
    await fs.link(temp, target);
  } catch (err) {
    const code = errorCode(err);
    // File systems without hard links: exclusive create still never clobbers; only a crash
    // mid-write could leave a partial file there.
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV") throw err;
    await fs.writeFile(target, text, { flag: "wx" });
  }
}

/**
 * Writes `files` (paths relative to `dir`, `/`-separated), all or nothing: refused, with
 * nothing written, when any check fails or when writing fails part-way (what was written by
 * then is removed again). Never throws for a file-system failure; the reason names it.
 */
export async function writeImport(dir: string, files: readonly ImportFile[], fs: WriterFs = NODE_FS): Promise<WriteResult> {
  const refused = await checkImport(dir, files, fs);
  if (refused.length > 0) return { written: [], refused };
  const undo = new Undo();
  const staged: Array<{ file: ImportFile; temp: string; target: string }> = [];
  let current = files[0]?.path ?? "";
  try {
    for (const file of files) {
      current = file.path;
      const target = join(dir, file.path);
      await makeFolders(fs, dir, file.path, undo);
      // A short name of its own, so the temporary is never longer than the file it stands for.
      const temp = join(dirname(target), `.siteform-import-${randomBytes(6).toString("hex")}.tmp`);
      await fs.writeFile(temp, file.text, { flag: "wx" });
      undo.file(temp);
      staged.push({ file, temp, target });
    }
    for (const { file, temp, target } of staged) {
      current = file.path;
      await place(fs, temp, target, file.text);
      undo.file(target);
    }
  } catch (err) {
    await undo.run(fs);
    return { written: [], refused: [{ path: current, reason: writeFailure(err) }] };
  }
  // Every file is in place under its own name; the temporaries were only the way there.
  for (const { temp } of staged) await fs.unlink(temp).catch(() => undefined);
  return { written: files.map((f) => f.path), refused: [] };
}
