/**
 * Writes an import's files into the inventory directory without ever replacing one: every
 * target is checked first (any that exists refuses the whole import, before anything is
 * written), then each file is written to a dot-named temporary beside it (exclusive create)
 * and hard-linked into place, which fails rather than clobbers if the path appeared in the
 * meantime. A reader never sees a half-written file. The only writing `siteform import` does;
 * what to write is the provider's importer's.
 */
import { randomBytes } from "node:crypto";
import { access, link, mkdir, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export interface WriteResult {
  /** Paths written, as given. */
  written: string[];
  /** Paths not written and why; when any is set before writing started, nothing was written. */
  refused: Array<{ path: string; reason: string }>;
}

async function present(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function errorCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : undefined;
}

/** Places `text` at `target` only if nothing is there; false when something is. */
async function placeExclusively(target: string, text: string): Promise<boolean> {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  await writeFile(temp, text, { flag: "wx" });
  try {
    await link(temp, target);
    return true;
  } catch (err) {
    if (errorCode(err) === "EEXIST") return false;
    // File systems without hard links: exclusive create still never clobbers, only a crash
    // mid-write could leave a partial file.
    if (errorCode(err) === "EPERM" || errorCode(err) === "ENOTSUP" || errorCode(err) === "EXDEV") {
      try {
        await writeFile(target, text, { flag: "wx" });
        return true;
      } catch (fallback) {
        if (errorCode(fallback) === "EEXIST") return false;
        throw fallback;
      }
    }
    throw err;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/**
 * Writes `files` (paths relative to `dir`, `/`-separated). Refuses, writing nothing, when
 * any target exists; a target that appears while writing is reported and left alone.
 * Throws only for I/O failures other than "exists" (a full disk, no permission).
 */
export async function writeImport(dir: string, files: readonly { path: string; text: string }[]): Promise<WriteResult> {
  const refused: WriteResult["refused"] = [];
  for (const file of files) {
    if (await present(join(dir, file.path))) {
      refused.push({ path: file.path, reason: "the file already exists; siteform import never overwrites a file: move it away or import again to get a new name" });
    }
  }
  if (refused.length > 0) return { written: [], refused };
  const written: string[] = [];
  for (const file of files) {
    const target = join(dir, file.path);
    await mkdir(dirname(target), { recursive: true });
    if (await placeExclusively(target, file.text)) written.push(file.path);
    else refused.push({ path: file.path, reason: "the file appeared while importing and was left as it is" });
  }
  return { written, refused };
}
