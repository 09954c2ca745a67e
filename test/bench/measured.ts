/**
 * Runs a program in a fresh node process and measures it from the outside: wall time from
 * spawn to exit, and the peak RSS and CPU time (every thread's) of that process alone (not
 * the bench's, not the emulators'), which a preloaded hook reports on exit through an extra
 * pipe. Standard output is drained and counted, as a shell pipe would take it.
 */
import { spawn } from "node:child_process";

export interface Measured {
  ms: number;
  peakMb: number;
  /** User and system CPU time of all the process's threads: a program using two cores shows it here, not in `ms`. */
  cpuMs: number;
  code: number | null;
  stdoutBytes: number;
  stderr: string;
}

/** Writes the process's own resource usage to fd 3 as it exits, however it exits. */
const USAGE_HOOK = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => { try { const u = process.resourceUsage(); writeSync(3, JSON.stringify({ rss: u.maxRSS, cpu: u.userCPUTime + u.systemCPUTime })); } catch {} });",
)}`;

export function runMeasured(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ["--import", USAGE_HOOK, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    let stdoutBytes = 0;
    let stderr = "";
    let reported = "";
    const [, out, err, usagePipe] = child.stdio;
    if (out === null || err === null || usagePipe === null || usagePipe === undefined) throw new Error("the child's pipes did not open");
    out.on("data", (chunk: Buffer) => (stdoutBytes += chunk.length));
    err.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    usagePipe.on("data", (chunk: Buffer) => (reported += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      const usage = reported === "" ? { rss: NaN, cpu: NaN } : (JSON.parse(reported) as { rss: number; cpu: number });
      resolve({ ms: performance.now() - start, peakMb: usage.rss / 1024, cpuMs: usage.cpu / 1000, code, stdoutBytes, stderr });
    });
  });
}
