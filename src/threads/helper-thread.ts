/**
 * A second thread for the long work of a large run (parsing the inventory's YAML, decoding the
 * servers' answers), so that a machine's second core works while the first does. A run uses at
 * most one helper: the main thread keeps half of the work, and the machines siteform runs on
 * (CI runners, an operator's laptop) have two cores or more.
 *
 * Only the built program has a helper: its entry point says where the worker's code is
 * (`useHelperThreads`). Run from the sources (tests, tsx) there is none and all the work stays
 * on the main thread, with the same outcome: a task's result never depends on where it ran.
 * A helper that fails (it cannot start, it dies) is not an error either: the work is done on
 * the main thread instead, unless SITEFORM_THREADS asked for a helper, when it is (so that a
 * test that asks for one sees it fail).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { TaskInput, TaskName, TaskOutput } from "./tasks.js";

/** `SITEFORM_THREADS`: unset or `auto`, a helper when the work is large; `1`, never; `2` (or more), always. */
export type ThreadPolicy = "auto" | "never" | "always";

interface Settings {
  entry: URL | null;
  policy: ThreadPolicy;
}

const settings: Settings = { entry: null, policy: "auto" };

/** Reads `SITEFORM_THREADS`; anything but a whole number or `auto` is a mistake the caller reports. */
export function parseThreadPolicy(value: string | undefined): ThreadPolicy | null {
  if (value === undefined || value === "" || value === "auto") return "auto";
  if (!/^[0-9]+$/.test(value) || Number(value) < 1) return null;
  return Number(value) === 1 ? "never" : "always";
}

/** Set once by the program's entry point: where the worker's code is, and SITEFORM_THREADS. */
export function useHelperThreads(entry: URL | null, policy: ThreadPolicy): void {
  settings.entry = entry;
  settings.policy = policy;
}

/** Whether work goes to a helper; `large`: the caller's judgement that the work is worth a second thread. */
export function helperWanted(large: boolean): boolean {
  if (settings.entry === null || settings.policy === "never") return false;
  if (settings.policy === "always") return true;
  return large && availableParallelism() >= 2;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type Reply = { id: number; ok: true; output: unknown } | { id: number; ok: false; error: string };

/**
 * One worker thread, started on first use. It keeps the process alive only while it owes an
 * answer: a ref'd idle worker would keep a finished command from exiting, and an unref'd busy
 * one would let the process exit (code 13) while its caller still awaits the answer.
 */
class Helper {
  private worker: Worker | null = null;
  private next = 0;
  private readonly pending = new Map<number, Pending>();

  run<K extends TaskName>(task: K, input: TaskInput<K>, signal?: AbortSignal): Promise<TaskOutput<K>> {
    const entry = settings.entry;
    if (entry === null) return Promise.reject(new Error("no helper thread in this program"));
    signal?.throwIfAborted();
    const worker = (this.worker ??= this.start(entry));
    const id = this.next++;
    return new Promise<TaskOutput<K>>((resolve, reject) => {
      const stop = (): void => this.stop(signal?.reason);
      signal?.addEventListener("abort", stop, { once: true });
      const settle = (done: () => void): void => {
        signal?.removeEventListener("abort", stop);
        this.pending.delete(id);
        if (this.pending.size === 0) this.worker?.unref();
        done();
      };
      this.pending.set(id, {
        resolve: (value) => settle(() => resolve(value as TaskOutput<K>)),
        reject: (reason) => settle(() => reject(reason)),
      });
      worker.ref();
      worker.postMessage({ id, task, input });
    });
  }

  /** Ends an idle worker, and with it its heap; the next task starts a fresh one. */
  retire(): void {
    if (this.pending.size > 0 || this.worker === null) return;
    const worker = this.worker;
    this.worker = null;
    void worker.terminate();
  }

  private start(entry: URL): Worker {
    const worker = new Worker(entry);
    worker.on("message", (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (waiting === undefined) return;
      if (reply.ok) waiting.resolve(reply.output);
      else waiting.reject(new Error(`helper thread: ${reply.error}`));
    });
    // A worker ended on purpose (retired, stopped) still reports its end later: by then another may be the helper.
    worker.on("error", (err) => {
      if (this.worker === worker) this.fail(err);
    });
    worker.on("exit", (code) => {
      if (this.worker === worker) this.fail(new Error(`helper thread exited with code ${code}`));
    });
    // After the listeners: adding a "message" listener refs the worker again.
    worker.unref();
    return worker;
  }

  /** Ends the worker (a signal fired): what it owed is rejected with `reason`, and the next task starts a new one. */
  private stop(reason: unknown): void {
    const worker = this.worker;
    this.fail(reason);
    void worker?.terminate();
  }

  private fail(reason: unknown): void {
    this.worker = null;
    for (const waiting of [...this.pending.values()]) waiting.reject(reason);
  }
}

const helper = new Helper();

/**
 * Ends the helper thread if it owes nothing: a phase that is done with it hands its memory back
 * (a worker's heap keeps what the task needed at its peak until the worker ends).
 */
export function retireHelper(): void {
  helper.retire();
}

/**
 * Runs `task` on the helper thread; if the helper cannot do it, `fallback` does it here. A
 * fired signal ends the helper at once and rejects with the signal's reason.
 */
export async function onHelper<K extends TaskName>(task: K, input: TaskInput<K>, fallback: () => Promise<TaskOutput<K>>, signal?: AbortSignal): Promise<TaskOutput<K>> {
  try {
    return await helper.run(task, input, signal);
  } catch (err) {
    if (signal?.aborted === true) throw signal.reason;
    if (settings.policy === "always") throw err;
    return fallback();
  }
}
