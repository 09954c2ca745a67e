/**
 * An emulated fleet for an inventory: one emulator per server of a copy of the inventory, of
 * the panel the server's `provider:` names, with the copy's siteform.yaml pointed at them (URL,
 * CA file) and the credentials in an environment map (`key_env` → key, token or password,
 * `user_env` → user). The demo, the integration tests and the benches use it so that siteform runs exactly
 * as it would against real servers, with nothing faked above the wire.
 */
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { CONFIG_FILE, INVENTORY_FOLDERS } from "../inventory/file-kinds.js";
import type { EmulatorState } from "./apiscp/api.js";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "./apiscp/server/index.js";
import { startBillmgrEmulator, type BillmgrEmulatorOptions, type BillmgrStateInput, type RunningBillmgrEmulator } from "./billmgr/index.js";
import { startWhmEmulator, type RunningWhmEmulator, type WhmEmulatorOptions, type WhmStateInput } from "./whm/index.js";

export interface FleetOptions {
  /** The inventory to copy (siteform.yaml, plans/, sites/). */
  from: string;
  /** Where the copy goes; created if missing. */
  to: string;
  /** HTTPS with a generated certificate, trusted through `ca_file` (the default), or plain HTTP. */
  tls?: boolean;
  /** Initial state per ApisCP server name; the emulator's default (plans, no sites) otherwise. */
  states?: Readonly<Record<string, EmulatorState>>;
  /** Initial state per WHM server name; the emulator's default (packages, no accounts) otherwise. */
  whmStates?: Readonly<Record<string, WhmStateInput>>;
  /** Extra ApisCP emulator options for every ApisCP server (knobs, seed, clock). */
  emulator?: Omit<EmulatorOptions, "tls" | "state" | "stateFile" | "api">;
  /** Extra WHM emulator options for every WHM server. */
  whmEmulator?: Omit<WhmEmulatorOptions, "tls" | "state" | "stateFile">;
  /** Initial state per BILLmanager server name; the emulator's default (tariffs, a balance, no services) otherwise. */
  billmgrStates?: Readonly<Record<string, BillmgrStateInput>>;
  /** Extra BILLmanager emulator options for every BILLmanager server. */
  billmgrEmulator?: Omit<BillmgrEmulatorOptions, "tls" | "state" | "stateFile">;
}

export interface EmulatedFleet {
  dir: string;
  /** Every credential variable siteform.yaml names → its value. */
  env: Record<string, string>;
  /** The ApisCP servers' emulators by server name. */
  servers: ReadonlyMap<string, RunningEmulator>;
  /** The WHM servers' emulators by server name. */
  whm: ReadonlyMap<string, RunningWhmEmulator>;
  /** The BILLmanager servers' emulators by server name. */
  billmgr: ReadonlyMap<string, RunningBillmgrEmulator>;
  /** Every emulator's clock (unix seconds). */
  setClock(fn: () => number): void;
  stop(): Promise<void>;
}

/** A change made to a fleet's server by hand, as a story tells it (the demo's drift). */
export interface DemoChange {
  server: string;
  what: string;
}

export async function startFleet(options: FleetOptions): Promise<EmulatedFleet> {
  await mkdir(options.to, { recursive: true });
  await cp(join(options.from, CONFIG_FILE), join(options.to, CONFIG_FILE), { force: true });
  for (const folder of INVENTORY_FOLDERS) {
    // An inventory need not have every folder (no licences, say).
    if (existsSync(join(options.from, folder))) await cp(join(options.from, folder), join(options.to, folder), { recursive: true, force: true });
  }
  const configPath = join(options.to, "siteform.yaml");
  const doc = parseDocument(await readFile(configPath, "utf8"));
  const servers = doc.get("servers");
  const names = isMapLike(servers) ? servers.items.map((item) => String((item.key as { value?: unknown }).value ?? item.key)) : [];
  const apiscp = new Map<string, RunningEmulator>();
  const whm = new Map<string, RunningWhmEmulator>();
  const billmgr = new Map<string, RunningBillmgrEmulator>();
  const env: Record<string, string> = {};
  const tls = options.tls ?? true;
  const stopAll = async (): Promise<void> => {
    await Promise.all([...apiscp.values(), ...whm.values(), ...billmgr.values()].map((e) => e.stop()));
  };
  const variable = (name: string, field: string): string | undefined => {
    const value = doc.getIn(["servers", name, field]);
    return typeof value === "string" ? value : undefined;
  };
  try {
    for (const name of names) {
      const provider = variable(name, "provider") ?? "apiscp";
      let url: string;
      let caCert: string | undefined;
      if (provider === "whm") {
        const state = options.whmStates?.[name];
        const emulator = await startWhmEmulator({ ...options.whmEmulator, tls, ...(state !== undefined && { state }) });
        whm.set(name, emulator);
        ({ url, caCert } = emulator);
        const keyEnv = variable(name, "key_env");
        const userEnv = variable(name, "user_env");
        if (keyEnv !== undefined) env[keyEnv] = emulator.token;
        if (userEnv !== undefined) env[userEnv] = emulator.user;
      } else if (provider === "billmgr") {
        const state = options.billmgrStates?.[name];
        const emulator = await startBillmgrEmulator({ ...options.billmgrEmulator, tls, ...(state !== undefined && { state }) });
        billmgr.set(name, emulator);
        ({ url, caCert } = emulator);
        const keyEnv = variable(name, "key_env");
        const userEnv = variable(name, "user_env");
        if (keyEnv !== undefined) env[keyEnv] = emulator.password;
        if (userEnv !== undefined) env[userEnv] = emulator.user;
      } else if (provider === "apiscp") {
        const state = options.states?.[name];
        const emulator = await startEmulator({ ...options.emulator, tls, ...(state !== undefined && { state }) });
        apiscp.set(name, emulator);
        ({ url, caCert } = emulator);
        const keyEnv = variable(name, "key_env");
        if (keyEnv !== undefined) env[keyEnv] = emulator.key;
      } else {
        // No emulator for a provider siteform does not know: the server stays as written, and
        // siteform itself reports the unknown provider (which is what a test of that wants).
        continue;
      }
      doc.setIn(["servers", name, "url"], url);
      if (caCert !== undefined) {
        await mkdir(join(options.to, "certs"), { recursive: true });
        await writeFile(join(options.to, "certs", `${name}.pem`), caCert);
        doc.setIn(["servers", name, "ca_file"], `certs/${name}.pem`);
      }
    }
  } catch (err) {
    await stopAll();
    throw err;
  }
  await writeFile(configPath, doc.toString());
  return {
    dir: options.to,
    env,
    servers: apiscp,
    whm,
    billmgr,
    setClock(fn) {
      for (const emulator of [...apiscp.values(), ...whm.values(), ...billmgr.values()]) emulator.setClock(fn);
    },
    stop: stopAll,
  };
}

function isMapLike(node: unknown): node is { items: { key: unknown }[] } {
  return typeof node === "object" && node !== null && Array.isArray((node as { items?: unknown }).items);
}
