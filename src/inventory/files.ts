/**
 * Finding and reading an inventory directory's files: siteform.yaml and everything under
 * plans/ and the resource folders that file-kinds.ts says siteform reads (or should report). I/O only;
 * what the files mean is decided elsewhere.
 */
import { constants } from "node:fs";
import { open, readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import pLimit from "p-limit";
import { CONFIG_FILE, INVENTORY_FOLDERS, classifyPath, compareInventoryPaths } from "./file-kinds.js";
import { MAX_FILE_BYTES } from "./limits.js";
import type { SourceText } from "./source-file.js";

/** Relative, `/`-separated paths of the files to read, in report order. */
export async function listInventoryFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const top of INVENTORY_FOLDERS) {
    let entries;
    try {
      entries = await readdir(join(dir, top), { recursive: true, withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") continue;
      throw err;
    }
    for (const entry of entries) {
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      // Dirent.parentPath is the directory that holds the entry (Node ≥ 20.12).
      const path = relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/");
      if (classifyPath(path).kind !== "ignored") found.push(path);
    }
  }
  found.push(CONFIG_FILE);
  return found.sort(compareInventoryPaths);
}

/**
 * Reads the files concurrently (bounded, so 10,000 site files do not exhaust descriptors);
 * the result keeps the order of `paths`. Each file is read as bytes, to be decoded strictly
 * (utf8.ts), and never past MAX_FILE_BYTES: a larger file is only measured. A file that cannot
 * be read becomes an entry saying why, except a missing siteform.yaml, which is simply absent.
 * A fired `signal` stops it between files with the signal's reason.
 */
export async function readInventoryFiles(
  dir: string,
  paths: readonly string[],
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<SourceText[]> {
  const { concurrency = 64, signal } = options;
  const limit = pLimit(concurrency);
  const read = paths.map((file) =>
    limit(async (): Promise<SourceText | null> => {
      // Once stopped, the files still queued are not read: the whole read rejects with the reason.
      signal?.throwIfAborted();
      try {
        return await readBounded(file, join(dir, file));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (file === CONFIG_FILE && code === "ENOENT") return null;
        return { file, unreadable: code ?? (err as Error).message };
      }
    }),
  );
  return (await Promise.all(read)).filter((entry): entry is SourceText => entry !== null);
}

/**
 * A regular file's bytes, never more than MAX_FILE_BYTES of them. Not a FIFO or a device (a
 * symlink to /dev/zero would never end): opened without blocking (opening a FIFO would wait for
 * a writer) and checked on the open handle. Exactly the size the handle reports is read, as
 * reading the file whole would (a file that grows meanwhile is read as it was), so the limit
 * holds and no call is spent beyond what any reader needs.
 */
async function readBounded(file: string, path: string): Promise<SourceText> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { file, unreadable: "not a regular file" };
    if (info.size > MAX_FILE_BYTES) return { file, tooLarge: info.size };
    const buffer = Buffer.allocUnsafe(info.size);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      // Shorter than reported: it shrank while it was read; what is there is the file.
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return { file, bytes: buffer.subarray(0, length) };
  } finally {
    await handle.close();
  }
}
