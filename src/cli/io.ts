/**
 * What a command may touch of the outside world. Commands receive it instead of reaching for
 * `process` so that tests run them in-process and read exactly what a user would see.
 */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stdout is a terminal: colour and live progress are allowed. */
  isTTY: boolean;
  /** Resolves when the user asks to stop (Ctrl-C); commands that run long watch it. */
  interrupted: AbortSignal;
}

export function processIO(): CliIO {
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    interrupted: controller.signal,
  };
}
