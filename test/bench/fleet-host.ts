/**
 * A bench's emulators in a process of their own: started once by remote-fleet.ts, it starts and
 * seeds a fleet when asked over the IPC channel and stops it again. The emulators' work then
 * runs on the other core instead of sharing the event loop siteform is measured on, as a real
 * panel's work would. With `replay`, each ApisCP server is fronted by a replay proxy
 * (replay-proxy.ts) and the inventory points at the proxies: after one warm-up, every answer
 * comes from memory. Not a test: only benches fork it.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { startFleet, type EmulatedFleet, type FleetOptions } from "../../src/emulator/fleet.js";
import { seedEmulator } from "./fleet-inventory.js";
import { startReplayProxy, type RecordedRequest, type ReplayProxy } from "./replay-proxy.js";

export type HostRequest =
  | { type: "start"; options: FleetOptions; seeds: Record<string, Parameters<typeof seedEmulator>[1]>; replay?: boolean }
  | { type: "recorded" }
  | { type: "stop" };

export type HostReply =
  | { type: "started"; dir: string; env: Record<string, string> }
  | { type: "recorded"; servers: Array<{ url: string; requests: RecordedRequest[] }>; forwarded: number }
  | { type: "stopped" }
  | { type: "error"; message: string };

let fleet: EmulatedFleet | undefined;
let proxies: ReplayProxy[] = [];

async function stop(): Promise<void> {
  await Promise.all(proxies.map((p) => p.close()));
  proxies = [];
  await fleet?.stop();
  fleet = undefined;
}

async function handle(request: HostRequest): Promise<HostReply> {
  if (request.type === "stop") {
    await stop();
    return { type: "stopped" };
  }
  if (request.type === "recorded") {
    return { type: "recorded", servers: proxies.map((p) => ({ url: p.url, requests: p.requests() })), forwarded: proxies.reduce((n, p) => n + p.forwarded(), 0) };
  }
  await stop();
  fleet = await startFleet(request.options);
  for (const [name, seed] of Object.entries(request.seeds)) {
    const emulator = fleet.servers.get(name);
    if (emulator === undefined) throw new Error(`no emulator for ${name}`);
    seedEmulator(emulator, seed);
  }
  if (request.replay === true) {
    const configPath = join(fleet.dir, "siteform.yaml");
    const doc = parseDocument(await readFile(configPath, "utf8"));
    for (const [name, emulator] of fleet.servers) {
      const proxy = await startReplayProxy(emulator.url);
      proxies.push(proxy);
      doc.setIn(["servers", name, "url"], proxy.url);
    }
    await writeFile(configPath, doc.toString());
  }
  return { type: "started", dir: fleet.dir, env: fleet.env };
}

process.on("message", (request: HostRequest) => {
  handle(request).then(
    (reply) => process.send?.(reply),
    (err: unknown) => process.send?.({ type: "error", message: err instanceof Error ? err.message : String(err) } satisfies HostReply),
  );
});
process.on("disconnect", () => {
  void stop().finally(() => process.exit(0));
});
