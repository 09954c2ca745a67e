/**
 * `siteform emulator`, run in-process through run() with a memory CliIO: it prints a URL, WSDL
 * URL and key that work, writes the CA file for --tls, applies knob flags, stops on the
 * interrupt signal with the state saved, and turns bad flags into a clear exit-1 message.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../src/cli/main.js";
import { memoryIO, type MemoryIO } from "../support/emulator-cli.js";
import { call, result, send } from "../unit/emulator-server/support/soap-http.js";

/** Starts the command and waits until it has printed where it listens. */
async function startCli(args: string[], io: MemoryIO): Promise<{ exit: Promise<number>; printed: Record<string, string> }> {
  const exit = run(["node", "siteform", "emulator", ...args], io);
  for (let i = 0; i < 400 && !io.out.join("").includes("Ctrl-C"); i++) {
    const early = await Promise.race([exit, new Promise((r) => setTimeout(() => r(undefined), 10))]);
    if (early !== undefined) throw new Error(`emulator exited ${String(early)}: ${io.err.join("")}`);
  }
  const printed: Record<string, string> = {};
  for (const line of io.out.join("").split("\n")) {
    const m = /^\s+(endpoint|wsdl|key|ca file|state):\s+(\S+)/.exec(line);
    if (m) printed[m[1]!] = m[2]!;
  }
  return { exit, printed };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "siteform-emulator-cli-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("siteform emulator", () => {
  it("prints a working endpoint, WSDL URL and key once, and stops on interrupt with the state saved", async () => {
    const io = memoryIO(dir);
    const { exit, printed } = await startCli(["--listen", "127.0.0.1:0", "--state", "state.json", "--seed", "3"], io);
    expect(printed["endpoint"]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/soap$/);
    expect(printed["wsdl"]).toBe(printed["endpoint"]!.replace("/soap", "/apnscp.wsdl"));
    expect(printed["key"]).toMatch(/^[0-9a-f]{64}$/);
    expect(io.out.join("").split(printed["key"]!).length - 1).toBe(1);

    const url = printed["endpoint"]!;
    expect((await send(printed["wsdl"]!)).status).toBe(200);
    expect(await result(url, "admin_add_site", ["cli.example.com", "cli", {}, {}], { key: printed["key"]! })).toBe(true);

    io.stop();
    expect(await exit).toBe(0);
    expect(io.out.join("")).toMatch(/emulator stopped; state saved to state\.json/);
    const state = JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as { sites: unknown[] };
    expect(state.sites).toHaveLength(1);
    await expect(send(printed["wsdl"]!)).rejects.toThrow(/ECONNREFUSED/);
  });

  it("uses the given key and knob flags", async () => {
    const io = memoryIO(dir);
    const key = "cd".repeat(32);
    const { exit, printed } = await startCli(
      ["--key", key, "--fail", "admin_add_site=100%", "--null", "admin_edit_site=100%", "--latency", "*=20", "--admin-disabled"],
      io,
    );
    expect(printed["key"]).toBe(key);
    const { reply } = await call(printed["endpoint"]!, "admin_collect", [null, {}, []], { key });
    expect(reply).toMatchObject({ kind: "fault", fault: { message: expect.stringMatching(/admin API is disabled/) } });
    io.stop();
    expect(await exit).toBe(0);
  });

  it("with --tls, writes the CA next to the state file and serves HTTPS that verifies against it", async () => {
    const io = memoryIO(dir);
    const { exit, printed } = await startCli(["--tls", "--state", "emu.json"], io);
    expect(printed["endpoint"]).toMatch(/^https:/);
    expect(printed["ca file"]).toBe(join(dir, "emu-ca.pem"));
    const ca = readFileSync(printed["ca file"]!, "utf8");
    expect(await result(printed["endpoint"]!, "common_whoami", [], { key: printed["key"]!, ca })).toBe("admin");
    io.stop();
    expect(await exit).toBe(0);
    expect(existsSync(join(dir, "emu-ca.pem"))).toBe(true); // kept beside the state for the next run's clients
  });

  it("with --tls and no state file, writes the CA to a temporary file removed at stop", async () => {
    const io = memoryIO(dir);
    const { exit, printed } = await startCli(["--tls"], io);
    const caFile = printed["ca file"]!;
    expect(existsSync(caFile)).toBe(true);
    io.stop();
    expect(await exit).toBe(0);
    expect(existsSync(caFile)).toBe(false);
  });

  it.each([
    [["--listen", "nowhere"], /--listen 'nowhere' must be HOST:PORT/],
    [["--listen", "0.0.0.0:0"], /loopback only/],
    [["--latency", "admin_add_sit=5"], /unknown method 'admin_add_sit'/],
    [["--fail", "admin_add_site=150"], /150 is not a probability from 0 to 1 \(0\.5 means half the calls\)/],
    [["--drop", "admin_add_site"], /METHOD=VALUE/],
    [["--key", "short"], /64 hexadecimal digits/],
    [["--seed", "-1"], /--seed must be a non-negative integer/],
    [["--cert", "c.pem"], /--cert and --tls-key go together/],
    [["--cert", "c.pem", "--tls-key", "k.pem"], /--cert: cannot read c\.pem/],
  ])("refuses %j with exit 1 and a clear message", async (args, message) => {
    const io = memoryIO(dir);
    expect(await run(["node", "siteform", "emulator", ...args], io)).toBe(1);
    expect(io.err.join("")).toMatch(message);
    expect(io.out.join("")).not.toMatch(/key:/);
  });

  it("refuses an invalid state file", async () => {
    const io = memoryIO(dir);
    await import("node:fs").then((fs) => fs.writeFileSync(join(dir, "bad.json"), "[]"));
    expect(await run(["node", "siteform", "emulator", "--state", "bad.json"], io)).toBe(1);
    expect(io.err.join("")).toMatch(/not a valid emulator state/);
  });
});
