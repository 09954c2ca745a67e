/**
 * The built program (`node bin/siteform.js`, which the test run builds first) in a child
 * process of its own: for what only a real process shows, such as signals, the helper thread
 * and exit codes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BUILT_BIN = fileURLToPath(new URL("../../bin/siteform.js", import.meta.url));

export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface BuiltRun {
  child: ChildProcess;
  /** Settles once the process has ended and all it wrote has been read. */
  ended: Promise<Ended>;
  /** Whether the process has exited yet. */
  exited(): boolean;
  /** What it has written to stderr so far. */
  stderr(): string;
}

/** Starts `siteform ARGS`; `env` is added to this process's environment. */
export function runBuilt(args: readonly string[], options: { cwd?: string; env?: Readonly<Record<string, string | undefined>> } = {}): BuiltRun {
  const child = spawn(process.execPath, [BUILT_BIN, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let exited = false;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.on("exit", () => (exited = true));
  const ended = new Promise<Ended>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, ended, exited: () => exited, stderr: () => stderr };
}
