/**
 * `siteform emulator --provider billmgr`, run in-process through run() with a memory CliIO: it
 * prints a working endpoint and user and where the password is, never the password itself; the
 * password file is private and gone after stop; --password-env takes it from the environment;
 * --user is shared with WHM; knob flags speak BILLmanager function names; TLS writes the CA;
 * flags of other emulators are refused.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../src/cli/main.js";
import { memoryIO, pathOf, startEmulatorCli, type MemoryIO } from "../support/emulator-cli.js";
import { Caller, form } from "../unit/emulator-billmgr/support/billmgr-http.js";

const startCli = (args: string[], io: MemoryIO): ReturnType<typeof startEmulatorCli> => startEmulatorCli("billmgr", args, io);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "siteform-billmgr-cli-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("siteform emulator --provider billmgr", () => {
  it("prints the endpoint, the user and a private password file, never the password, and stops with the state saved", async () => {
    const io = memoryIO(dir);
    const { exit, printed } = await startCli(["--state", "billmgr.json", "--seed", "3"], io);
    expect(io.out.join("")).toMatch(/^BILLmanager emulator running\n/);
    expect(printed["endpoint"]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/billmgr$/);
    expect(printed["user"]).toBe("reseller");
    const passwordFile = pathOf(printed["password"]!);
    expect(printed["password"]).toMatch(/export BILLMGR_PASSWORD=/);
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    const password = readFileSync(passwordFile, "utf8").trim();
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(io.out.join("") + io.err.join("")).not.toContain(password);

    const c = await Caller.login({ url: printed["endpoint"]!, user: "reseller", password });
    await c.ok("v2.vhost.order.param", { pricelist: "11", datacenter: "1", order_period: "1", domain: "cli.example", skipbasket: "on", sok: "ok" });

    io.stop();
    expect(await exit).toBe(0);
    expect(io.out.join("")).toMatch(/emulator stopped; state saved to billmgr\.json/);
    expect(existsSync(passwordFile)).toBe(false);
    const text = readFileSync(join(dir, "billmgr.json"), "utf8");
    expect((JSON.parse(text) as { services: { domain: string }[] }).services.map((s) => s.domain)).toEqual(["cli.example"]);
    expect(text).not.toContain(password);
    await expect(form({ url: printed["endpoint"]! }, { func: "auth" })).rejects.toThrow(/ECONNREFUSED/);
  });

  it("takes the user from --user and the password from the variable --password-env names, and applies knob flags by func", async () => {
    const password = "env-password-0123456789";
    const io = memoryIO(dir, { BILLMGR_TEST_PASSWORD: password });
    const { exit, printed } = await startCli(["--user", "billing@example.net", "--password-env", "BILLMGR_TEST_PASSWORD", "--fail", "vds=100%", "--latency", "*=5"], io);
    expect(printed["user"]).toBe("billing@example.net");
    expect(printed["password"]).toBe("from $BILLMGR_TEST_PASSWORD");
    expect(io.out.join("")).not.toContain(password);
    const target = { url: printed["endpoint"]!, user: "billing@example.net", password };
    const c = await Caller.login(target);
    expect((await form(target, { func: "vds", out: "json", auth: c.session })).status).toBe(503);
    await c.ok("vhost");
    io.stop();
    expect(await exit).toBe(0);
  });

  it("with --tls, writes the CA next to the state file and serves HTTPS that verifies against it", async () => {
    const io = memoryIO(dir);
    const { exit, printed } = await startCli(["--tls", "--state", "emu.json"], io);
    expect(printed["endpoint"]).toMatch(/^https:/);
    expect(pathOf(printed["ca file"]!)).toBe(join(dir, "emu-ca.pem"));
    const caCert = readFileSync(join(dir, "emu-ca.pem"), "utf8");
    const password = readFileSync(pathOf(printed["password"]!), "utf8").trim();
    const c = await Caller.login({ url: printed["endpoint"]!, user: "reseller", password, caCert });
    expect((await c.ok("softexternal"))["$func"]).toBe("softexternal");
    io.stop();
    expect(await exit).toBe(0);
  });

  it.each([
    [["--fail", "createacct=100%"], /unknown method 'createacct' \(use a wire name such as v2\.vds\.order\.param/],
    [["--key", "ab".repeat(32)], /--key is for --provider apiscp, not billmgr/],
    [["--token-env", "X"], /--token-env is for --provider whm, not billmgr/],
    [["--password-env", "BILLMGR_UNSET_VARIABLE"], /BILLMGR_UNSET_VARIABLE is not set/],
    [["--password-env", "1BAD"], /not an environment variable name/],
    [["--user", "bad user"], /is not valid/],
    [["--listen", "0.0.0.0:0"], /loopback only/],
  ])("refuses %j with exit 1 and a clear message", async (args, message) => {
    const io = memoryIO(dir);
    expect(await run(["node", "siteform", "emulator", "--provider", "billmgr", ...args], io)).toBe(1);
    expect(io.err.join("")).toMatch(message);
    expect(io.out.join("")).not.toMatch(/password:/);
  });

  it("refuses --password-env for the other emulators", async () => {
    for (const provider of ["apiscp", "whm"]) {
      const io = memoryIO(dir, { P: "whatever-password" });
      expect(await run(["node", "siteform", "emulator", "--provider", provider, "--password-env", "P"], io)).toBe(1);
      expect(io.err.join("")).toMatch(new RegExp(`--password-env is for --provider billmgr, not ${provider}`));
    }
  });

  it("refuses an invalid state file", async () => {
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ balance: "lots" }));
    const io = memoryIO(dir);
    expect(await run(["node", "siteform", "emulator", "--provider", "billmgr", "--state", "bad.json"], io)).toBe(1);
    expect(io.err.join("")).toMatch(/not a valid BILLmanager emulator state: balance must be an amount/);
  });
});
