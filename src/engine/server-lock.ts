/**
 * One apply at a time per server on this machine. Two applies against the same server would
 * both plan against the same reading and the later would silently overwrite the earlier; with
 * the lock the second waits (saying who holds it) and then plans against what the first left.
 *
 * A lock is keyed by the server's endpoint, not its name in siteform.yaml, so two checkouts of
 * the inventory still exclude each other. proper-lockfile does the locking (an atomic mkdir,
 * kept fresh while held; one left by a crashed process goes stale); beside each lock a small
 * holder file names the process, so the waiting apply can say who it waits for and take over
 * at once from a holder that is no longer running.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import lockfile from "proper-lockfile";

/** A held lock is touched this often; one not touched for STALE_MS belongs to a process that hung or died. */
const UPDATE_MS = 10_000;
/** Long enough that a busy event loop (planning 100,000 sites) never loses its own lock. */
const STALE_MS = 120_000;
const POLL_MS = 250;

export interface LockTarget {
  /** The server's name, for messages. */
  name: string;
  /** Its endpoint: what the lock is keyed by. */
  url: string;
}

export interface LockOptions {
  /** Where the locks live (default: `siteform-locks` in the system's temporary directory). */
  dir: string;
  /** How long to wait for a lock another apply holds; 0 refuses at once. */
  timeoutMs: number;
  /** Called once per server when this apply has to wait, with a sentence saying for whom. */
  onWait: (message: string) => void;
  /** Waiting ends (with LockError) when this fires. */
  signal?: AbortSignal;
  /** What this process is doing, recorded for whoever waits for it. */
  purpose: string;
}

export class LockError extends Error {
  constructor(
    message: string,
    readonly reason: "busy" | "interrupted" | "unusable",
  ) {
    super(message);
    this.name = "LockError";
  }
}

interface Holder {
  pid: number;
  server: string;
  purpose: string;
  since: string;
}

export function defaultLockDir(env: Readonly<Record<string, string | undefined>>): string {
  return env.SITEFORM_LOCK_DIR ?? join(tmpdir(), "siteform-locks");
}

/**
 * The panel a URL reaches, whatever its path or spelling: scheme and host:port, host in lower
 * case. One panel per host and port is what a lock must keep to one apply, and a URL written
 * with or without the provider's standard path still reaches the same panel.
 */
function lockKey(url: string): string {
  let canonical = url;
  try {
    const u = new URL(url);
    canonical = `${u.protocol}//${u.host.toLowerCase()}`;
  } catch {
    // Not a URL: the inventory check refuses it long before; key by the text.
  }
  return createHash("sha256").update(canonical).digest("hex").slice(0, 24);
}

/** Locks every target (in a fixed order, so two applies never wait for each other), runs `use`, releases. */
export async function withServerLocks<T>(targets: readonly LockTarget[], options: LockOptions, use: () => Promise<T>): Promise<T> {
  try {
    await mkdir(options.dir, { recursive: true });
  } catch (err) {
    throw unusable(options.dir, err);
  }
  const ordered = [...targets].sort((a, b) => (lockKey(a.url) < lockKey(b.url) ? -1 : 1));
  const releases: Array<() => Promise<void>> = [];
  try {
    for (const target of ordered) releases.push(await lockOne(target, options));
    return await use();
  } finally {
    for (const release of releases.reverse()) await release().catch(() => undefined);
  }
}

async function lockOne(target: LockTarget, options: LockOptions): Promise<() => Promise<void>> {
  const key = lockKey(target.url);
  const file = join(options.dir, key);
  const lockfilePath = `${file}.lock`;
  const holderPath = `${file}.holder.json`;
  const started = Date.now();
  let told = false;
  let deadSeen: string | null = null;
  for (;;) {
    if (options.signal?.aborted === true) throw new LockError(`interrupted while waiting for the lock on ${target.name}`, "interrupted");
    try {
      const release = await lockfile.lock(file, {
        realpath: false,
        lockfilePath,
        stale: STALE_MS,
        update: UPDATE_MS,
        // Losing the lock (the machine slept past STALE_MS) is not a reason to stop ops half-way; the re-read before each op still guards them.
        onCompromised: () => undefined,
      });
      const holder: Holder = { pid: process.pid, server: target.name, purpose: options.purpose, since: new Date().toISOString() };
      await writeFile(holderPath, `${JSON.stringify(holder)}\n`, "utf8").catch(() => undefined);
      return async () => {
        await rm(holderPath, { force: true });
        await release();
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ELOCKED") throw unusable(options.dir, err);
    }
    const holder = await readHolder(holderPath);
    if (holder !== null && !isRunning(holder.pid)) {
      // The holder ended without releasing (killed): its lock protects nothing. Looked at twice,
      // so a holder file left by a dead process is not mistaken for a new holder's that is
      // about to be written.
      if (deadSeen === holder.since) {
        await rm(lockfilePath, { recursive: true, force: true });
        deadSeen = null;
        continue;
      }
      deadSeen = holder.since;
      await pause(POLL_MS, options.signal);
      continue;
    }
    const who = holder === null ? "another siteform process" : `siteform process ${holder.pid} (${holder.purpose}, since ${holder.since})`;
    if (options.timeoutMs <= 0 || Date.now() - started >= options.timeoutMs) {
      const waited = options.timeoutMs <= 0 ? "" : ` after waiting ${Math.round(options.timeoutMs / 1000)} s`;
      throw new LockError(
        `server ${target.name} is being changed by ${who}${waited}; nothing was applied. ` +
          "Wait for it to finish and run apply again (it plans against what that run leaves), or pass a longer --lock-timeout.",
        "busy",
      );
    }
    if (!told) {
      told = true;
      options.onWait(`waiting for ${who} to finish with server ${target.name} (at most ${Math.round(options.timeoutMs / 1000)} s; --lock-timeout) ...`);
    }
    await pause(POLL_MS, options.signal);
  }
}

/** The lock directory cannot be used (another user's, read-only): say where and what to do, not a stack trace. */
function unusable(dir: string, err: unknown): LockError {
  const code = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
  return new LockError(
    `cannot take apply's server lock in ${dir} (${code}); nothing was applied. Set SITEFORM_LOCK_DIR to a directory this user can write (the same one for every apply on this machine)`,
    "unusable",
  );
}

async function readHolder(path: string): Promise<Holder | null> {
  try {
    const value = JSON.parse(await readFile(path, "utf8")) as Partial<Holder>;
    return typeof value.pid === "number" ? (value as Holder) : null;
  } catch {
    // Not written yet (the holder is between its mkdir and its write), or removed: no one to name.
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
