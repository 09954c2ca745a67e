/**
 * Running `siteform emulator --provider P` in-process for the emulator CLI tests: a memory
 * CliIO that can be interrupted like Ctrl-C, and a start that waits for the command to say it
 * is running and collects the `label: value` lines it printed (endpoint, user, key or where the
 * token or password is, CA file, state file).
 */
import type { CliIO } from "../../src/cli/io.js";
import { run } from "../../src/cli/main.js";

export interface MemoryIO extends CliIO {
  out: string[];
  err: string[];
  /** As Ctrl-C. */
  stop(): void;
}

export function memoryIO(cwd: string, env: Record<string, string> = {}): MemoryIO {
  const out: string[] = [];
  const err: string[] = [];
  const interrupt = new AbortController();
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env,
    cwd,
    isTTY: false,
    interrupted: interrupt.signal,
    forced: new AbortController().signal,
    stop: () => interrupt.abort(),
  };
}

/** Starts the emulator of `provider` and waits until it has printed where it listens. */
export async function startEmulatorCli(provider: string, args: string[], io: MemoryIO): Promise<{ exit: Promise<number>; printed: Record<string, string> }> {
  const exit = run(["node", "siteform", "emulator", "--provider", provider, ...args], io);
  for (let i = 0; i < 400 && !io.out.join("").includes("Ctrl-C"); i++) {
    const early = await Promise.race([exit, new Promise((r) => setTimeout(() => r(undefined), 10))]);
    if (early !== undefined) throw new Error(`emulator exited ${String(early)}: ${io.err.join("")}`);
  }
  const printed: Record<string, string> = {};
  for (const line of io.out.join("").split("\n")) {
    const m = /^\s+(endpoint|user|token|password|key|ca file|state):\s+(.+)$/.exec(line);
    if (m) printed[m[1]!] = m[2]!;
  }
  return { exit, printed };
}

/** The path in `in PATH  (hint)` or `PATH  (hint)`. */
export const pathOf = (printed: string): string => printed.split(/\s{2}/)[0]!;
