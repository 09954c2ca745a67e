/**
 * The WHM emulator's state file (written at start, after every mutating call before the answer,
 * at stop; loaded and validated at the next start; uids continue), the options that would make
 * the source of state ambiguous or the credentials unusable, loopback-only listening, and HTTPS
 * with a generated certificate that verifies only against the CA it hands back.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EmulatorOptionError } from "../../src/emulator/shared/host.js";
import { StateFileError } from "../../src/emulator/shared/statefile.js";
import { startWhmEmulator, type RunningWhmEmulator, type WhmEmulatorOptions, type WhmState } from "../../src/emulator/whm/index.js";
import { ok, summary, whmGet } from "../unit/emulator-whm/support/whm-http.js";

let dir: string;
let file: string;
const running: RunningWhmEmulator[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "siteform-whm-state-"));
  file = join(dir, "whm.json");
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: WhmEmulatorOptions = {}): Promise<RunningWhmEmulator> {
  const e = await startWhmEmulator(options);
  running.push(e);
  return e;
}

const onDisk = (): WhmState => JSON.parse(readFileSync(file, "utf8")) as WhmState;

describe("state file", () => {
  it("is written at start and after each mutating call, and the next start continues from it", async () => {
    const e = await start({ stateFile: file });
    expect(onDisk()).toMatchObject({ version: 1, nextUid: 1001, accounts: [], packages: [{ name: "default" }, { name: "starter" }, { name: "business" }] });
    await ok(e, "createacct", { username: "kept", domain: "kept.example", plan: "starter" });
    expect(onDisk().accounts.map((a) => a.user)).toEqual(["kept"]); // on disk before the answer was sent
    await ok(e, "suspendacct", { user: "kept", reason: "siteform: test" });
    expect(onDisk().accounts[0]).toMatchObject({ suspended: true, suspendreason: "siteform: test" });
    await e.stop();
    running.pop();

    const again = await start({ stateFile: file });
    expect(await summary(again, "kept")).toMatchObject({ uid: 1001, plan: "starter", suspended: 1, suspendreason: "siteform: test" });
    await ok(again, "createacct", { username: "next", domain: "next.example" });
    expect((await summary(again, "next"))["uid"]).toBe(1002);
    expect(again.accounts()).toEqual(onDisk().accounts);
  });

  it("is not written by reads, and is saved at stop", async () => {
    const e = await start({ stateFile: file });
    writeFileSync(file, "scribbled over"); // a read must not rewrite it
    await ok(e, "listaccts");
    expect(readFileSync(file, "utf8")).toBe("scribbled over");
    await e.stop();
    expect(onDisk().version).toBe(1);
  });

  it("refuses a state together with an existing state file, and a file that is not a WHM state", async () => {
    writeFileSync(file, JSON.stringify({ accounts: [] }));
    await expect(start({ stateFile: file, state: { accounts: [] } })).rejects.toThrow(EmulatorOptionError);
    writeFileSync(file, JSON.stringify({ accounts: [{ user: "1bad", domain: "bad.example" }] }));
    const err = await start({ stateFile: file }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateFileError);
    expect((err as Error).message).toMatch(/not a valid WHM emulator state: accounts\[0\]\.user: .*cannot begin with a number/);
    writeFileSync(file, "{");
    await expect(start({ stateFile: file })).rejects.toThrow(/is not JSON/);
  });

  it("fills an initial state's gaps from the package and the uid counter", async () => {
    const e = await start({
      state: {
        accounts: [
          { user: "pinned", domain: "pinned.example", uid: 2000, plan: "business" },
          { user: "counted", domain: "counted.example", limits: { maxpop: 3 } },
        ],
      },
    });
    expect(e.accounts()).toEqual([
      expect.objectContaining({ user: "pinned", uid: 2000, hasshell: true, limits: expect.objectContaining({ maxpop: 100, quotaMb: 20480 }) }),
      expect.objectContaining({ user: "counted", uid: 2001, limits: expect.objectContaining({ maxpop: 3, quotaMb: "unlimited" }) }),
    ]);
    await expect(start({ state: { accounts: [{ user: "a1", domain: "x.example" }, { user: "a2", domain: "x.example" }] } })).rejects.toThrow(
      /two entries have domain "x\.example"/,
    );
  });
});

describe("options", () => {
  it("refuses a non-loopback address unless allowed, and unusable credentials without echoing the token", async () => {
    await expect(start({ host: "0.0.0.0" })).rejects.toThrow(/loopback only/);
    const short = "tooshort";
    const err = await start({ token: short }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmulatorOptionError);
    expect((err as Error).message).not.toContain(short);
    await expect(start({ user: "Root!" })).rejects.toThrow(/not a valid username/);
  });

  it("uses the user and token it is given", async () => {
    const e = await start({ user: "reseller", token: "MYOWNTOKEN0123456789ABCDEFGHIJKL" });
    expect((await whmGet(e, "version", {}, { authorization: "whm reseller:MYOWNTOKEN0123456789ABCDEFGHIJKL" })).status).toBe(200);
    await ok(e, "createacct", { username: "owned", domain: "owned.example" });
    expect((await summary(e, "owned"))["owner"]).toBe("reseller");
    expect(e.url).toBe(`${e.origin}/json-api`);
    expect(e.origin).toBe(`http://127.0.0.1:${e.port}`);
  });
});

describe("TLS", () => {
  it("serves HTTPS with a generated certificate that verifies against the CA handed back, and only that", async () => {
    const e = await start({ tls: true });
    expect(e.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/json-api$/);
    expect(e.caCert).toMatch(/BEGIN CERTIFICATE/);
    expect((await whmGet(e, "version")).status).toBe(200);
    const other = await start({ tls: true });
    await expect(whmGet(e, "version", {}, { ca: other.caCert! })).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });
});
