/**
 * What a command may touch of the outside world. Commands receive it instead of reaching for
 * `process` so that tests run them in-process and read exactly what a user would see.
 */
import { createInterface } from "node:readline/promises";

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stdout is a terminal: colour and live progress are allowed. */
  isTTY: boolean;
  /** Resolves when the user asks to stop (Ctrl-C, SIGTERM); commands that run long watch it. */
  interrupted: AbortSignal;
  /**
   * Asks a person a question and returns the line typed, or null when nobody can answer (stdin
   * is not a terminal). Absent means nobody can answer.
   */
  prompt?: (question: string) => Promise<string | null>;
}

export function processIO(): CliIO {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    interrupted: controller.signal,
    prompt: async (question) => {
      if (!process.stdin.isTTY) return null;
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      // Ctrl-C at the question is read by readline, not delivered as a signal: treat it as one.
      rl.on("SIGINT", stop);
      try {
        return await rl.question(question, { signal: controller.signal });
      } catch (err) {
        // Interrupted while asking: an answer that is not "yes".
        if (controller.signal.aborted) return "";
        throw err;
      } finally {
        rl.close();
      }
    },
  };
}
