/**
 * An emulated fleet for an inventory: one emulator per server of a copy of the inventory,
 * with the copy's siteform.yaml pointed at them (URL, CA file) and the keys in an environment
 * map. The demo, the integration tests and the benches use it so that siteform runs exactly
 * as it would against real servers, with nothing faked above the wire.
 */
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseDocument } from "yaml";
import type { EmulatorState } from "./api.js";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "./server/index.js";

export interface FleetOptions {
  /** The inventory to copy (siteform.yaml, plans/, sites/). */
  from: string;
  /** Where the copy goes; created if missing. */
  to: string;
  /** HTTPS with a generated certificate, trusted through `ca_file` (the default), or plain HTTP. */
  tls?: boolean;
  /** Initial state per server name; the emulator's default (plans, no sites) otherwise. */
  states?: Readonly<Record<string, EmulatorState>>;
  /** Extra emulator options for every server (knobs, seed, clock). */
  emulator?: Omit<EmulatorOptions, "tls" | "state" | "stateFile" | "api">;
}

export interface EmulatedFleet {
  dir: string;
  /** `key_env` → key for every server. */
  env: Record<string, string>;
  servers: ReadonlyMap<string, RunningEmulator>;
  stop(): Promise<void>;
}

export async function startFleet(options: FleetOptions): Promise<EmulatedFleet> {
  await mkdir(options.to, { recursive: true });
  for (const entry of ["siteform.yaml", "plans", "sites"]) {
    await cp(join(options.from, entry), join(options.to, entry), { recursive: true, force: true });
  }
  const configPath = join(options.to, "siteform.yaml");
  const doc = parseDocument(await readFile(configPath, "utf8"));
  const servers = doc.get("servers");
  const names = isMapLike(servers) ? servers.items.map((item) => String((item.key as { value?: unknown }).value ?? item.key)) : [];
  const running = new Map<string, RunningEmulator>();
  const env: Record<string, string> = {};
  const tls = options.tls ?? true;
  try {
    for (const name of names) {
      const emulator = await startEmulator({ ...options.emulator, tls, ...(options.states?.[name] ? { state: options.states[name] } : {}) });
      running.set(name, emulator);
      doc.setIn(["servers", name, "url"], emulator.url);
      if (emulator.caCert !== undefined) {
        await mkdir(join(options.to, "certs"), { recursive: true });
        await writeFile(join(options.to, "certs", `${name}.pem`), emulator.caCert);
        doc.setIn(["servers", name, "ca_file"], `certs/${name}.pem`);
      }
      const keyEnv = doc.getIn(["servers", name, "key_env"]);
      if (typeof keyEnv === "string") env[keyEnv] = emulator.key;
    }
  } catch (err) {
    await Promise.all([...running.values()].map((e) => e.stop()));
    throw err;
  }
  await writeFile(configPath, doc.toString());
  return {
    dir: options.to,
    env,
    servers: running,
    stop: async () => {
      await Promise.all([...running.values()].map((e) => e.stop()));
    },
  };
}

function isMapLike(node: unknown): node is { items: { key: unknown }[] } {
  return typeof node === "object" && node !== null && Array.isArray((node as { items?: unknown }).items);
}
