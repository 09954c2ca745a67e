/**
 * Starts and stops the stateful PHP peer (test/interop/php/stateful/router.php under `php -S`):
 * a small ApisCP on PHP's own SoapServer that siteform's plan and apply can run against. It
 * starts the process, waits until it answers, and hands back the endpoint; it knows nothing of
 * the API. A missing PHP or php-soap fails loudly (requirePhpSoap), never skips.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { PHP_BINARY, PHP_DIR, freePort, requirePhpSoap, tempDir, waitForHttp, endChild } from "./php-process.js";

export const STATEFUL_ROUTER = join(PHP_DIR, "stateful", "router.php");

export interface StatefulPeerOptions {
  /** The API key: 64 hex digits, dashes allowed. */
  key: string;
  /**
   * The state file (the emulator's format). Missing or empty: the emulator's default plans and
   * no sites. Default: a file in a scratch directory removed by stop().
   */
  stateFile?: string;
}

export interface StatefulPeer {
  /** The SOAP endpoint, http://127.0.0.1:PORT/soap. */
  url: string;
  key: string;
  stateFile: string;
  /** Fixes the peer's clock at `unixSeconds` (null: the system clock), for `since` filters. */
  setClock(unixSeconds: number | null): Promise<void>;
  /** What php -S wrote so far (PHP warnings, access lines): for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function startStatefulPeer(options: StatefulPeerOptions): Promise<StatefulPeer> {
  requirePhpSoap();
  const key = options.key.replace(/-/g, "").toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(key)) throw new Error("startStatefulPeer: the key must be 64 hexadecimal digits (dashes allowed)");
  const scratch = options.stateFile === undefined ? tempDir("stateful-peer") : undefined;
  const stateFile = options.stateFile ?? join(scratch?.path ?? "", "state.json");
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(PHP_BINARY, ["-S", `127.0.0.1:${port}`, STATEFUL_ROUTER], {
    env: { ...process.env, STATEFUL_PEER_STATE: stateFile, STATEFUL_PEER_KEY: key },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= endChild(child).finally(() => scratch?.cleanup()));
  try {
    await waitForHttp(`${baseUrl}/__peer/health`, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `${baseUrl}/soap`,
    key,
    stateFile,
    async setClock(unixSeconds) {
      const response = await fetch(`${baseUrl}/__peer/clock`, { method: "PUT", body: JSON.stringify(unixSeconds) });
      if (!response.ok) throw new Error(`the stateful peer refused the clock (HTTP ${response.status}): ${await response.text()}`);
    },
    output: () => output,
    stop,
  };
}
