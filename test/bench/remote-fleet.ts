/**
 * Runs a bench's emulated fleets in one child process (fleet-host.ts), so the emulators do not
 * compete with siteform for its event loop. One request at a time; the benches are sequential.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FleetOptions } from "../../src/emulator/fleet.js";
import type { HostReply, HostRequest } from "./fleet-host.js";
import type { RecordedRequest } from "./replay-proxy.js";

export interface RemoteFleet {
  dir: string;
  /** `key_env` → key for every server. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export class FleetHost {
  private constructor(private readonly child: ChildProcess) {}

  static start(): FleetHost {
    const child = fork(fileURLToPath(new URL("./fleet-host.ts", import.meta.url)), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    return new FleetHost(child);
  }

  /** Starts a fleet; with `replay`, behind replay proxies (fleet-host.ts). */
  async fleet(options: FleetOptions, seeds: Extract<HostRequest, { type: "start" }>["seeds"], replay = false): Promise<RemoteFleet> {
    const reply = await this.ask({ type: "start", options, seeds, replay });
    if (reply.type !== "started") throw new Error(`fleet host: ${reply.type === "error" ? reply.message : `unexpected ${reply.type}`}`);
    return { dir: reply.dir, env: reply.env, stop: async () => void (await this.ask({ type: "stop" })) };
  }

  /** A replayed fleet's distinct requests per server so far, and how many reached an emulator. */
  async recorded(): Promise<{ servers: Array<{ url: string; requests: RecordedRequest[] }>; forwarded: number }> {
    const reply = await this.ask({ type: "recorded" });
    if (reply.type !== "recorded") throw new Error(`fleet host: ${reply.type === "error" ? reply.message : `unexpected ${reply.type}`}`);
    return reply;
  }

  close(): void {
    this.child.disconnect();
  }

  private ask(request: HostRequest): Promise<HostReply> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`fleet host exited (${code ?? "signal"})`));
      this.child.once("exit", onExit);
      this.child.once("message", (reply: HostReply) => {
        this.child.off("exit", onExit);
        resolve(reply);
      });
      this.child.send(request);
    });
  }
}
