/**
 * `siteform emulator --provider whm`, run in-process through run() with a memory CliIO: it
 * prints a working endpoint and user and where the token is, never the token itself; the token
 * file is private and gone after stop; --token-env takes the token from the environment; knob
 * flags speak WHM function names; TLS writes the CA; flags of the other emulator are refused.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../src/cli/main.js";
import { memoryIO, pathOf, startEmulatorCli, type MemoryIO } from "../support/emulator-cli.js";
import { ok, whmGet } from "../unit/emulator-whm/support/whm-http.js";

const startCli = (args: string[], io: MemoryIO): ReturnType<typeof startEmulatorCli> => startEmulatorCli("whm", args, io);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "siteform-whm-cli-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("siteform emulator --provider whm", () => {
  it("prints the endpoint, the user and a private token file, never the token, and stops with the state saved", async () => {
    const io = memoryIO(dir);
    const { exit, printed } = await startCli(["--state", "whm.json", "--seed", "3"], io);
    expect(io.out.join("")).toMatch(/^WHM emulator running\n/);
    expect(printed["endpoint"]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/json-api$/);
    expect(printed["user"]).toBe("root");
    const tokenFile = pathOf(printed["token"]!);
    expect(printed["token"]).toMatch(/export WHM_TOKEN=/);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, "utf8").trim();
    expect(token).toMatch(/^[A-Z0-9]{32}$/);
    expect(io.out.join("") + io.err.join("")).not.toContain(token);

    const target = { url: printed["endpoint"]!, user: "root", token };
    await ok(target, "createacct", { username: "cli", domain: "cli.example" });

    io.stop();
    expect(await exit).toBe(0);
    expect(io.out.join("")).toMatch(/emulator stopped; state saved to whm\.json/);
    expect(existsSync(tokenFile)).toBe(false);
    const state = JSON.parse(readFileSync(join(dir, "whm.json"), "utf8")) as { accounts: { user: string }[] };
    expect(state.accounts.map((a) => a.user)).toEqual(["cli"]);
    expect(readFileSync(join(dir, "whm.json"), "utf8")).not.toContain(token);
    await expect(whmGet(target, "version")).rejects.toThrow(/ECONNREFUSED/);
  });

  it("takes user and token from --user and the variable --token-env names, and applies knob flags by function name", async () => {
    const token = "ENVTOKEN0123456789ABCDEFGHIJKLMN";
    const io = memoryIO(dir, { WHM_TEST_TOKEN: token });
    const { exit, printed } = await startCli(
      ["--user", "reseller", "--token-env", "WHM_TEST_TOKEN", "--fail", "createacct=100%", "--latency", "*=5"],
      io,
    );
    expect(printed["user"]).toBe("reseller");
    expect(printed["token"]).toBe("from $WHM_TEST_TOKEN");
    expect(io.out.join("")).not.toContain(token);
    const target = { url: printed["endpoint"]!, user: "reseller", token };
    expect((await whmGet(target, "createacct", { username: "nope", domain: "nope.example" })).status).toBe(503);
    await ok(target, "listaccts");
    io.stop();
    expect(await exit).toBe(0);
  });

  it("with --tls, writes the CA next to the state file and serves HTTPS that verifies against it", async () => {
    const io = memoryIO(dir);
    const { exit, printed } = await startCli(["--tls", "--state", "emu.json"], io);
    expect(printed["endpoint"]).toMatch(/^https:/);
    expect(pathOf(printed["ca file"]!)).toBe(join(dir, "emu-ca.pem"));
    const ca = readFileSync(join(dir, "emu-ca.pem"), "utf8");
    const token = readFileSync(pathOf(printed["token"]!), "utf8").trim();
    expect((await whmGet({ url: printed["endpoint"]!, user: "root", token }, "version", {}, { ca })).status).toBe(200);
    io.stop();
    expect(await exit).toBe(0);
  });

  it.each([
    [["--fail", "admin_add_site=100%"], /unknown method 'admin_add_site' \(use a wire name such as createacct/],
    [["--key", "ab".repeat(32)], /--key is for --provider apiscp, not whm/],
    [["--token-env", "WHM_UNSET_VARIABLE"], /WHM_UNSET_VARIABLE is not set/],
    [["--token-env", "1BAD"], /not an environment variable name/],
    [["--user", "Bad User"], /not a valid username/],
    [["--listen", "0.0.0.0:0"], /loopback only/],
  ])("refuses %j with exit 1 and a clear message", async (args, message) => {
    const io = memoryIO(dir);
    expect(await run(["node", "siteform", "emulator", "--provider", "whm", ...args], io)).toBe(1);
    expect(io.err.join("")).toMatch(message);
    expect(io.out.join("")).not.toMatch(/token:/);
  });

  it("refuses WHM's flags for ApisCP, and a provider it does not have", async () => {
    let io = memoryIO(dir);
    expect(await run(["node", "siteform", "emulator", "--user", "root"], io)).toBe(1);
    expect(io.err.join("")).toMatch(/--user is for --provider whm, not apiscp/);
    io = memoryIO(dir);
    expect(await run(["node", "siteform", "emulator", "--provider", "plesk"], io)).toBe(1);
    expect(io.err.join("")).toMatch(/--provider 'plesk' is not an emulator siteform has; use apiscp or whm/);
  });

  it("refuses an invalid state file", async () => {
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ packages: [{ name: "x", QUOTA: "lots" }] }));
    const io = memoryIO(dir);
    expect(await run(["node", "siteform", "emulator", "--provider", "whm", "--state", "bad.json"], io)).toBe(1);
    expect(io.err.join("")).toMatch(/not a valid WHM emulator state: packages\[0\]\.QUOTA/);
  });
});
