import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LockError, withServerLocks, type LockOptions } from "../../../src/engine/server-lock.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "siteform-lock-test-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fra1 = { name: "fra1", url: "https://fra1.example:2083/soap" };

function options(overrides: Partial<LockOptions> = {}): LockOptions & { waits: string[] } {
  const waits: string[] = [];
  return { dir, timeoutMs: 10_000, onWait: (m) => waits.push(m), purpose: "apply", waits, ...overrides };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Another apply holding fra1's lock until `release()`; `done` settles once it has let go. */
async function holder(): Promise<{ release: () => void; done: Promise<void> }> {
  const held = deferred();
  const letGo = deferred();
  const done = withServerLocks([fra1], options(), async () => {
    held.resolve();
    await letGo.promise;
  });
  await held.promise;
  return { release: letGo.resolve, done };
}

describe("server locks", () => {
  it("a second apply on the same server waits for the first, says for whom, then runs", async () => {
    const order: string[] = [];
    const firstHolds = deferred();
    const letFirstGo = deferred();
    const first = withServerLocks([fra1], options(), async () => {
      order.push("first start");
      firstHolds.resolve();
      await letFirstGo.promise;
      order.push("first end");
    });
    await firstHolds.promise;
    const second = options();
    const secondRun = withServerLocks([fra1], second, async () => {
      order.push("second");
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(order).toEqual(["first start"]);
    expect(second.waits).toHaveLength(1);
    expect(second.waits[0]).toMatch(new RegExp(`waiting for siteform process ${process.pid} \\(apply, since .*\\) to finish with server fra1`));
    letFirstGo.resolve();
    await Promise.all([first, secondRun]);
    expect(order).toEqual(["first start", "first end", "second"]);
  });

  it("--lock-timeout 0 refuses at once, naming the holder, and runs nothing", async () => {
    const first = await holder();
    let ran = false;
    const refused = withServerLocks([{ name: "fra1", url: "https://FRA1.example:2083/soap/" }], options({ timeoutMs: 0 }), async () => {
      ran = true;
    });
    await expect(refused).rejects.toThrow(LockError);
    await expect(refused).rejects.toThrow(/server fra1 is being changed by siteform process \d+ .*nothing was applied/);
    expect(ran).toBe(false);
    first.release();
    await first.done;
  });

  it("different servers do not wait for each other", async () => {
    const first = await holder();
    const other = options({ timeoutMs: 0 });
    await expect(withServerLocks([{ name: "ams1", url: "https://ams1.example:2083/soap" }], other, async () => "ran")).resolves.toBe("ran");
    expect(other.waits).toEqual([]);
    first.release();
    await first.done;
  });

  it("a lock left by a process that no longer runs is taken over", async () => {
    // A real pid that has ended: a child that exited.
    const child = spawnSync(process.execPath, ["-e", "0"]);
    const deadPid = child.pid;
    expect(typeof deadPid).toBe("number");
    // Learn the lock's file names from a real lock, then leave one behind as a killed apply would.
    const key = await withServerLocks([fra1], options(), async () => {
      const lock = (await readdir(dir)).find((n) => n.endsWith(".lock"));
      expect(lock).toBeDefined();
      return (lock ?? "").replace(/\.lock$/, "");
    });
    await mkdir(join(dir, `${key}.lock`));
    await writeFile(join(dir, `${key}.holder.json`), JSON.stringify({ pid: deadPid, server: "fra1", purpose: "apply", since: "2026-01-01T00:00:00.000Z" }));
    const next = options({ timeoutMs: 0 });
    await expect(withServerLocks([fra1], next, async () => "ran")).resolves.toBe("ran");
    expect(next.waits).toEqual([]);
  });

  it("an interrupt ends the wait without running anything", async () => {
    const first = await holder();
    const controller = new AbortController();
    let ran = false;
    const waiting = withServerLocks([fra1], options({ signal: controller.signal }), async () => {
      ran = true;
    });
    setTimeout(() => controller.abort(), 100);
    await expect(waiting).rejects.toMatchObject({ reason: "interrupted" });
    expect(ran).toBe(false);
    first.release();
    await first.done;
  });
});

describe("a lock directory that cannot be used", () => {
  it("is refused with where and what to do, and nothing runs", async () => {
    // A file where the directory should be: mkdir fails, as for another user's directory.
    const blocked = join(dir, "not-a-dir");
    await writeFile(blocked, "x");
    let ran = false;
    const attempt = withServerLocks([fra1], { ...options(), dir: join(blocked, "locks") }, async () => {
      ran = true;
    });
    await expect(attempt).rejects.toMatchObject({ reason: "unusable" });
    await expect(attempt).rejects.toThrow(/cannot take apply's server lock in .*not-a-dir\/locks \(ENOTDIR\); nothing was applied\. Set SITEFORM_LOCK_DIR/);
    expect(ran).toBe(false);
  });
});
