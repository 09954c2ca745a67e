/**
 * Replacing a file so that readers only ever see the old or the new whole file: the text goes
 * to a temporary file in the same directory (same file system, so the rename is atomic),
 * flushed to disk, then renamed over the target. The temporary file is removed again when
 * anything fails, and the failure is thrown as it came.
 */
import { randomBytes } from "node:crypto";
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";

export interface AtomicWrite {
  /** The temporary file's name before its random part, in the target's directory (a dotfile, so a crash's leftover is never read as data). */
  tempPrefix: string;
  /** The new file's permissions. */
  mode: number;
  /** Set exactly those permissions, whatever the umask (to keep a replaced file's own); otherwise the umask applies. */
  exactMode?: boolean;
}

export async function writeFileAtomically(target: string, text: string, options: AtomicWrite): Promise<void> {
  const temp = join(dirname(target), `${options.tempPrefix}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, "wx", options.mode);
    await handle.writeFile(text, "utf8");
    if (options.exactMode === true) await handle.chmod(options.mode);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, target);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}
