/**
 * What the provider tests share: a server as siteform.yaml would configure it, the emulator's
 * CA written where `ca_file` can name it, and the ProviderError a failed call throws.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerConfig } from "../../src/model/server-config.js";
import { ProviderError } from "../../src/providers/provider.js";
import type { Cleanups } from "./cleanups.js";

/** A server of `provider` at `url` with the usual defaults (4 at once, 5 s per call), as if written on line 3 of siteform.yaml. */
export function testServer(name: string, provider: string, url: string, credentials: { keyEnv: string; userEnv?: string }, extra: Partial<ServerConfig> = {}): ServerConfig {
  return {
    name,
    provider,
    url,
    keyEnv: credentials.keyEnv,
    userEnv: credentials.userEnv ?? null,
    caFile: null,
    insecureTls: false,
    concurrency: 4,
    timeoutSeconds: 5,
    prune: false,
    retired: false,
    description: null,
    source: { file: "siteform.yaml", line: 3, column: 5, path: `servers.${name}` },
    ...extra,
  };
}

/** Writes an emulator's CA certificate to a fresh file (removed by the cleanup it registers) and returns its path. */
export function caFileOf(certificate: string | undefined, cleanups: Cleanups): string {
  const dir = mkdtempSync(join(tmpdir(), "siteform-ca-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "ca.pem");
  writeFileSync(file, certificate ?? "");
  return file;
}

/** The ProviderError `promise` rejects with; fails the test when it resolves or throws anything else. */
export async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw err;
  }
  throw new Error("expected a ProviderError");
}
