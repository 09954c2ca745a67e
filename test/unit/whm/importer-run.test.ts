/**
 * importWhm as `siteform import` calls it, over the real WHM provider and emulator: it reads
 * the accounts once and the defaults of only the packages it needs, words a failed read as
 * the server's, goes on with a warning when a package's defaults cannot be read, and stops on
 * an interrupt by throwing the signal's reason (never blaming the server for the cut-off read).
 */
import { describe, expect, it } from "vitest";
import { startWhmEmulator, type RunningWhmEmulator, type WhmAccountInput } from "../../../src/emulator/whm/index.js";
import { checkInventory } from "../../../src/inventory/index.js";
import type { Inventory } from "../../../src/model/inventory.js";
import type { ServerConfig } from "../../../src/model/server-config.js";
import type { ImportOptions } from "../../../src/providers/module.js";
import type { Provider } from "../../../src/providers/provider.js";
import { importWhm } from "../../../src/providers/whm/importer/index.js";
import { WHM } from "../../../src/providers/whm/module.js";
import { cleanupsAfterEach } from "../../support/cleanups.js";

const CONFIG = `servers:
  cp1:
    provider: whm
    url: https://cp1.example.net:2087
    key_env: CP1_TOKEN
    user_env: CP1_USER
`;
const KNOWN = "kind: whm/account\nserver: cp1\nuser: known\ndomain: known.example\nplan: biz\n";

const ACCOUNTS: WhmAccountInput[] = [
  { uid: 1001, user: "known", domain: "known.example", plan: "business", email: "a@known.example" },
  { uid: 1002, user: "acme", domain: "acme.example", plan: "starter", email: "a@acme.example", limits: { maxpop: 25 } },
];

const cleanups = cleanupsAfterEach();

function inventory(): { inventory: Inventory; server: ServerConfig } {
  const checked = checkInventory([
    { file: "siteform.yaml", text: CONFIG },
    { file: "plans/biz.yaml", text: "whm_package: business\n" },
    { file: "sites/known.yaml", text: KNOWN },
  ]);
  if (!checked.ok) throw new Error(JSON.stringify(checked.diagnostics));
  const server = checked.inventory.servers[0];
  if (server === undefined) throw new Error("no server");
  return { inventory: checked.inventory, server };
}

async function connected(token?: string): Promise<{ emu: RunningWhmEmulator; provider: Provider; server: ServerConfig; inventory: Inventory }> {
  const emu = await startWhmEmulator({ state: { accounts: ACCOUNTS } });
  cleanups.push(() => emu.stop());
  const base = inventory();
  const server = { ...base.server, url: emu.url };
  const provider = WHM.create(server, { CP1_TOKEN: token ?? emu.token, CP1_USER: emu.user });
  cleanups.push(() => provider.close());
  return { emu, provider, server, inventory: base.inventory };
}

function options(extra: Partial<ImportOptions> = {}): ImportOptions & { warnings: string[] } {
  const warnings: string[] = [];
  return { date: "2025-07-01", exists: () => false, warn: (m) => void warnings.push(m), warnings, ...extra };
}

describe("importWhm", () => {
  it("reads the accounts once and the defaults of only the packages it imports accounts on", async () => {
    const { emu, provider, server, inventory: inv } = await connected();
    emu.calls.reset();
    const outcome = await importWhm(inv, server, provider, options());
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.kind).toBe("whm/account");
    expect(outcome.files.map((f) => f.path)).toEqual(["plans/starter.yaml", "sites/acme.example.yaml"]);
    expect(outcome.files[1]?.text).toMatch(/services:\n {2}limits:\n {4}mailboxes: 25\n/);
    // listpkgs: once for the collect, once for starter's defaults; none for business (its account is in git).
    expect(emu.calls.count("listaccts")).toBe(1);
    expect(emu.calls.count("listpkgs")).toBe(2);
    expect(Object.keys(emu.calls.byMethod()).sort()).toEqual(["listaccts", "listpkgs", "showbw"]);
  });

  it("says the server could not be read, in the provider's words and without the token", async () => {
    const { emu, provider, server, inventory: inv } = await connected("WRONGTOKEN0123456789ABCDEFGHIJKL");
    const outcome = await importWhm(inv, server, provider, options());
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toMatch(/cp1/);
    expect(outcome.error).not.toContain("WRONGTOKEN");
    expect(outcome.error).not.toContain(emu.token);
  });

  it("warns and writes every limit when a package's defaults cannot be read", async () => {
    const { provider, server, inventory: inv } = await connected();
    const failing: Provider = Object.assign(Object.create(provider) as Provider, {
      templateDefaults: () => Promise.reject(new Error("cp1: read the limits of package starter: the server is busy")),
    });
    const opts = options();
    const outcome = await importWhm(inv, server, failing, opts);
    expect(opts.warnings).toEqual(["cp1: read the limits of package starter: the server is busy; accounts on package starter get every limit written"]);
    if (!outcome.ok) throw new Error(outcome.error);
    expect(outcome.files[1]?.text).toContain("# the defaults of package starter could not be read");
    expect(outcome.files[1]?.text).toMatch(/disk_mb: 5120/);
  });

  it("throws the signal's reason when interrupted before it starts, reading nothing", async () => {
    const { emu, provider, server, inventory: inv } = await connected();
    emu.calls.reset();
    const controller = new AbortController();
    const reason = new Error("interrupted");
    controller.abort(reason);
    await expect(importWhm(inv, server, provider, options({ signal: controller.signal }))).rejects.toBe(reason);
    expect(emu.calls.total).toBe(0);
  });

  it("throws the signal's reason when interrupted while reading, never blaming the server", async () => {
    const { emu, provider, server, inventory: inv } = await connected();
    emu.setKnobs({ latencyMs: { listaccts: 2_000 } });
    const controller = new AbortController();
    const reason = new Error("interrupted");
    // As the CLI does: an interrupt closes the provider, which cuts off the read in flight.
    controller.signal.addEventListener("abort", () => provider.close());
    const opts = options({ signal: controller.signal });
    const running = importWhm(inv, server, provider, opts);
    setTimeout(() => controller.abort(reason), 50);
    await expect(running).rejects.toBe(reason);
    expect(opts.warnings).toEqual([]);
  });
});
