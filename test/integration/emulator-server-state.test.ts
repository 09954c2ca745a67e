/**
 * The emulator's state file: created at start, saved after every mutating call and at stop,
 * loaded (and validated) at the next start, always replaced atomically so a reader never sees
 * half a file; and the options that would make the source of state ambiguous are refused.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EmulatorState } from "../../src/emulator/apiscp/api.js";
import { defaultEmulatorState } from "../../src/emulator/apiscp/model/index.js";
import {
  EmulatorOptionError,
  StateFileError,
  startEmulator,
  type RunningEmulator,
} from "../../src/emulator/apiscp/server/index.js";
import { StateSaver } from "../../src/emulator/apiscp/server/statefile.js";
import { result } from "../unit/emulator-server/support/soap-http.js";

let dir: string;
let file: string;
const running: RunningEmulator[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "siteform-emulator-state-"));
  file = join(dir, "state.json");
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  const e = await startEmulator({ stateFile: file, ...options });
  running.push(e);
  return e;
}

const onDisk = (): EmulatorState => JSON.parse(readFileSync(file, "utf8")) as EmulatorState;
const diskDomains = (): unknown[] => onDisk().sites.map((s) => s.services["siteinfo"]?.["domain"]);

describe("state file", () => {
  it("is written at start, after each mutating call and at stop, and loaded by the next start", async () => {
    const e = await start();
    expect(onDisk()).toMatchObject({ version: 1, sites: [] });
    await result(e.url, "admin_add_site", ["one.example.com", "one", {}, {}], { key: e.key });
    expect(diskDomains()).toEqual(["one.example.com"]); // on disk before the answer was sent
    await result(e.url, "admin_collect", [null, {}, []], { key: e.key });
    await result(e.url, "admin_deactivate_site", ["one.example.com", { reason: "unpaid" }], { key: e.key });
    expect(onDisk().sites[0]?.active).toBe(false);
    await e.stop();
    running.pop();

    const again = await start();
    expect(await result(again.url, "admin_get_domains", [], { key: again.key })).toEqual({ [onDisk().sites[0]!.id]: "one.example.com" });
    expect(again.api.snapshot()).toEqual(onDisk());
  });

  it("is replaced atomically: concurrent readers only ever see whole files, and no temporary is left", async () => {
    const e = await start();
    let reading = true;
    let reads = 0;
    const reader = (async () => {
      while (reading) {
        const text = await readFile(file, "utf8");
        expect(() => JSON.parse(text)).not.toThrow();
        reads++;
      }
    })();
    const domains = Array.from({ length: 40 }, (_, i) => `bulk${i}.example.com`);
    await Promise.all(domains.map((d, i) => result(e.url, "admin_add_site", [d, `bulk${i}`, {}, {}], { key: e.key })));
    reading = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect(new Set(diskDomains())).toEqual(new Set(domains));
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  it("coalesces a burst of saves into few writes that still include every change", async () => {
    let version = 0;
    const writes: number[] = [];
    const saver = new StateSaver(file, () => {
      writes.push(version);
      return { ...defaultEmulatorState(), nextSiteId: version + 1 };
    });
    const all: Promise<void>[] = [];
    for (let i = 1; i <= 20; i++) {
      version = i;
      all.push(saver.save());
    }
    await Promise.all(all);
    expect(writes.length).toBeLessThanOrEqual(3);
    expect(onDisk().nextSiteId).toBe(21);
  });

  it("starts from the state option when the file does not exist yet", async () => {
    const seeded = await startEmulator({ stateFile: join(dir, "seed.json") });
    await result(seeded.url, "admin_add_site", ["seed.example.com", "seed", {}, {}], { key: seeded.key });
    const state = seeded.api.snapshot();
    await seeded.stop();
    const e = await start({ state });
    expect(diskDomains()).toEqual(["seed.example.com"]);
    expect(e.api.snapshot()).toEqual(state);
  });
});

describe("refusals", () => {
  it("refuses a file that is not JSON or not a valid state, and listens on nothing", async () => {
    writeFileSync(file, "{ not json");
    await expect(startEmulator({ stateFile: file })).rejects.toThrow(StateFileError);
    writeFileSync(file, JSON.stringify({ version: 2, sites: [] }));
    await expect(startEmulator({ stateFile: file })).rejects.toThrow(/not a valid emulator state.*version/);
    expect(readFileSync(file, "utf8")).toContain('"version":2'); // left as it was
  });

  it("refuses two sources of state", async () => {
    writeFileSync(file, JSON.stringify(defaultEmulatorState()));
    await expect(startEmulator({ stateFile: file, state: defaultEmulatorState() })).rejects.toThrow(EmulatorOptionError);
    const api = (await import("../../src/emulator/apiscp/model/index.js")).createAdminApi();
    await expect(startEmulator({ stateFile: file, api })).rejects.toThrow(/either an api or a state/);
    await expect(startEmulator({ api, state: defaultEmulatorState() })).rejects.toThrow(/either an api or a state/);
  });

  it("refuses a state file it cannot write, before anyone relies on it", async () => {
    await expect(startEmulator({ stateFile: join(dir, "missing", "state.json") })).rejects.toThrow(/cannot write state file/);
  });
});
