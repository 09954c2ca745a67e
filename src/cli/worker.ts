/**
 * Entry point of siteform's helper thread (threads/helper-thread.ts): runs the tasks the main
 * thread posts (several at once when they wait on the network) and posts back each result, or
 * the reason it failed.
 */
import { parentPort } from "node:worker_threads";
import { TASKS, type TaskName } from "../threads/tasks.js";

interface Request {
  id: number;
  task: TaskName;
  input: never;
}

const port = parentPort;
if (port === null) throw new Error("siteform's worker runs as a helper thread, not as a program");
port.on("message", async ({ id, task, input }: Request) => {
  try {
    port.postMessage({ id, ok: true, output: await TASKS[task](input) });
  } catch (err) {
    port.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
