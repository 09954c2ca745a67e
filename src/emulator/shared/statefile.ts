/**
 * An emulator's state on disk (`--state FILE`): JSON, validated by the emulator's own model on
 * load and replaced atomically (write a temporary file beside it, then rename) on save, so a
 * crash or a reader never sees half a file. Shared by every emulator; it knows nothing of HTTP,
 * of what the state holds, or of when to save.
 */
import { randomBytes } from "node:crypto";
import { readFile, rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** The file is there but is not a state the emulator can use. */
export class StateFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateFileError";
  }
}

/**
 * The state in `path`, or undefined when there is no such file. `validate` throws (any Error)
 * when the JSON is not a usable state; `what` names the state in messages ("emulator state").
 * Throws StateFileError when the file is unreadable or unusable.
 */
export async function loadJsonState<T>(path: string, validate: (raw: unknown) => T, what: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new StateFileError(`cannot read state file ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StateFileError(`state file ${path} is not JSON: ${(err as Error).message}`);
  }
  try {
    return validate(raw);
  } catch (err) {
    throw new StateFileError(`state file ${path} is not a valid ${what}: ${(err as Error).message}`);
  }
}

/** Writes `state` to `path` as JSON, atomically. */
export async function saveJsonState(path: string, state: unknown): Promise<void> {
  // Same directory, so the rename never crosses a filesystem; a unique name, so two emulators
  // (or two saves) never write into each other's temporary file.
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    // No fsync: atomicity matters for tests and demos, durability across power loss does not.
    await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/**
 * Serialises saves and coalesces bursts: while a write is running, any number of further
 * requests share one follow-up write, which snapshots the state when it starts and so includes
 * every change made before those requests.
 */
export class StateSaver<T = unknown> {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => T,
  ) {}

  /** Resolves once a write that started after this call has finished. */
  save(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    const after = this.running.catch(() => undefined);
    this.queued = after.then(() => {
      this.queued = undefined;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<void> {
    const tracked: Promise<void> = saveJsonState(this.path, this.snapshot()).finally(() => {
      if (this.running === tracked) this.running = undefined;
    });
    this.running = tracked;
    return tracked;
  }
}
