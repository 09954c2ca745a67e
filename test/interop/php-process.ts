/**
 * Starting and stopping the PHP side of the interop tests: a check that PHP's SOAP engine is
 * installed (a missing one fails the run loudly: CI installs it, so skipping would hide a broken
 * CI), free ports, the PHP peer server under `php -S`, and one-shot PHP scripts. Every process
 * started here is tracked so a test file's afterAll can always end them.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PHP_DIR = join(dirname(fileURLToPath(import.meta.url)), "php");
export const PHP_BINARY = process.env.PHP_BINARY ?? "php";

/** Throws with the install command when `php` or its soap extension is missing. */
export function requirePhpSoap(): void {
  const probe = spawnSync(PHP_BINARY, ["-m"], { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      `The PHP interop tests need PHP's SOAP engine, but \`${PHP_BINARY} -m\` failed ` +
        `(${probe.error?.message ?? `exit ${String(probe.status)}: ${probe.stderr}`}). ` +
        "Install it with `apt-get install -y php-cli php-soap` (bash .ci/run does).",
    );
  }
  if (!probe.stdout.split("\n").some((line) => line.trim().toLowerCase() === "soap")) {
    throw new Error(
      `\`${PHP_BINARY}\` has no soap extension (not listed by \`php -m\`). ` +
        "Install it with `apt-get install -y php-soap` (bash .ci/run does).",
    );
  }
}

/** A port nothing listens on right now. Another process could take it before we do; rare enough. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A scratch directory removed by `cleanup()`. */
export function tempDir(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), `siteform-${prefix}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

const running = new Set<ChildProcess>();

async function stopChild(child: ChildProcess): Promise<void> {
  running.delete(child);
  await endChild(child);
}

/** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited. */
export async function endChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
}

/** Ends every PHP process this module started and has not stopped yet; for afterAll. */
export async function stopAllPhp(): Promise<void> {
  await Promise.all([...running].map(stopChild));
}

export interface PhpPeer {
  /** The SOAP endpoint, http://127.0.0.1:PORT/soap. */
  url: string;
  wsdlUrl: string;
  baseUrl: string;
  key: string;
  stateFile: string;
  logFile: string;
  /** What the server wrote to stderr so far (PHP warnings, php -S access lines). */
  output(): string;
  stop(): Promise<void>;
}

export interface PhpPeerOptions {
  key: string;
  stateFile: string;
  logFile: string;
}

/** Starts test/interop/php/peer-server.php under `php -S` and waits until it answers. */
export async function startPhpPeer(options: PhpPeerOptions): Promise<PhpPeer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(PHP_BINARY, ["-S", `127.0.0.1:${port}`, join(PHP_DIR, "peer-server.php")], {
    env: { ...process.env, PEER_STATE: options.stateFile, PEER_KEY: options.key, PEER_LOG: options.logFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const peer: PhpPeer = {
    url: `${baseUrl}/soap`,
    wsdlUrl: `${baseUrl}/apnscp.wsdl`,
    baseUrl,
    key: options.key,
    stateFile: options.stateFile,
    logFile: options.logFile,
    output: () => output,
    stop: () => stopChild(child),
  };
  try {
    await waitForHttp(`${baseUrl}/__peer/health`, child, () => output);
  } catch (error) {
    await peer.stop();
    throw error;
  }
  return peer;
}

/** Polls until `php -S` answers the URL (it may take a moment to bind). */
export async function waitForHttp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`php -S exited with ${child.exitCode} before answering ${url}:\n${output()}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`php -S did not answer ${url} within 10 s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface PhpRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface PhpRunOptions {
  timeoutMs?: number;
  /** Written to the script's stdin, which is then closed. */
  input?: string;
}

/** Runs `php test/interop/php/SCRIPT args…` to completion (tracked, so afterAll can end it). */
export async function runPhpScript(script: string, args: string[], options: PhpRunOptions = {}): Promise<PhpRun> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawn(PHP_BINARY, [join(PHP_DIR, script), ...args], { stdio: ["pipe", "pipe", "pipe"] });
  running.add(child);
  child.stdin?.end(options.input ?? "");
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => {
    stderr += `\n[killed after ${timeoutMs} ms]`;
    child.kill("SIGKILL");
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (exitCode) => resolve(exitCode));
  });
  clearTimeout(timer);
  running.delete(child);
  return { code, stdout, stderr };
}

/** Parses a script's single JSON document, or fails with everything it printed. */
export function parseJsonOutput<T>(run: PhpRun): T {
  try {
    if (run.code !== 0) throw new Error(`exit code ${String(run.code)}`);
    return JSON.parse(run.stdout) as T;
  } catch (error) {
    throw new Error(
      `PHP script failed (${(error as Error).message}).\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`,
      { cause: error },
    );
  }
}
