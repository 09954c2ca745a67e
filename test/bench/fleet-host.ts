/**
 * A bench's emulators in a process of their own: started once by remote-fleet.ts, it starts and
 * seeds a fleet when asked over the IPC channel and stops it again. The emulators' work then
 * runs on the other core instead of sharing the event loop siteform is measured on, as a real
 * panel's work would. Not a test: only benches fork it.
 */
import { startFleet, type EmulatedFleet, type FleetOptions } from "../../src/emulator/fleet.js";
import { seedEmulator } from "./fleet-inventory.js";

export type HostRequest =
  | { type: "start"; options: FleetOptions; seeds: Record<string, Parameters<typeof seedEmulator>[1]> }
  | { type: "stop" };

export type HostReply = { type: "started"; dir: string; env: Record<string, string> } | { type: "stopped" } | { type: "error"; message: string };

let fleet: EmulatedFleet | undefined;

async function handle(request: HostRequest): Promise<HostReply> {
  if (request.type === "stop") {
    await fleet?.stop();
    fleet = undefined;
    return { type: "stopped" };
  }
  await fleet?.stop();
  fleet = await startFleet(request.options);
  for (const [name, seed] of Object.entries(request.seeds)) {
    const emulator = fleet.servers.get(name);
    if (emulator === undefined) throw new Error(`no emulator for ${name}`);
    seedEmulator(emulator, seed);
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
  void fleet?.stop().finally(() => process.exit(0));
  if (fleet === undefined) process.exit(0);
});
