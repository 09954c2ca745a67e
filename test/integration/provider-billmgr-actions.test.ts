/**
 * The BILLmanager provider's everyday actions (issue 16) against the real BILLmanager emulator
 * over HTTPS, through the module as the commands make it. The service-info view shows what the
 * service list says (tariff, expiry, auto-renewal, status, domain or licence name, IP,
 * datacenter) with BILLmanager's client area as the panel, in one list of the service's item
 * type, and words a missing service as the core's refusal, without the password or a session
 * id. BILLmanager offers no client call for usage, a login or a service's password, so the
 * provider has none of them (the commands say so).
 */
import { describe, expect, it } from "vitest";
import { startBillmgrEmulator, type BillmgrServiceInput, type RunningBillmgrEmulator } from "../../src/emulator/billmgr/index.js";
import { BILLMGR } from "../../src/providers/billmgr/module.js";
import type { Provider } from "../../src/providers/provider.js";
import { caFileOf, providerError, testServer } from "../support/provider-fixture.js";
import { cleanupsAfterEach } from "../support/cleanups.js";

const USER_ENV = "BM1_USER";
const PASSWORD_ENV = "BM1_PASSWORD";
const SERVICE = "billmgr/service";
const LICENSE = "billmgr/license";

const cleanups = cleanupsAfterEach();

interface Fixture {
  emu: RunningBillmgrEmulator;
  provider: Provider;
}

async function fixture(services: BillmgrServiceInput[]): Promise<Fixture> {
  const emu = await startBillmgrEmulator({ tls: true, processingSteps: 0, state: { services } });
  cleanups.push(() => emu.stop());
  const server = testServer("bm1", "billmgr", emu.url, { keyEnv: PASSWORD_ENV, userEnv: USER_ENV }, { caFile: caFileOf(emu.caCert, cleanups) });
  const provider = BILLMGR.create(server, { [USER_ENV]: emu.user, [PASSWORD_ENV]: emu.password });
  cleanups.push(() => provider.close());
  return { emu, provider };
}

const VPS: BillmgrServiceInput = {
  id: 101,
  itemtype: "vds",
  pricelist: 12,
  datacenter: 1,
  domain: "shop.example",
  ip: "198.51.100.102",
  username: "shopadmin",
  remoteid: "shop-vps",
  createdate: "2026-01-15",
  expiredate: "2027-01-15",
  autoprolong: 3,
};
const LICENCE: BillmgrServiceInput = { id: 103, itemtype: "softexternal", pricelist: 14, ip: "203.0.113.7", licname: "web7.example", remoteid: "cl-web7", expiredate: "2026-12-01" };


describe("describe", () => {
  it("shows a server's tariff, expiry, auto-renewal and what the list says, with BILLmanager's client area as its panel", async () => {
    const f = await fixture([VPS, LICENCE]);
    f.emu.calls.reset();
    const info = await f.provider.describe!({ kind: SERVICE, id: "101", name: "shop-vps" });
    expect(info.panelUrl).toBe(f.emu.url);
    expect(info.panelUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/billmgr$/);
    expect(info.links).toEqual([]);
    expect(info.facts).toEqual([
      { label: "product", value: "virtual server (vds)" },
      { label: "tariff", value: "VPS 2" },
      { label: "expires", value: "2027-01-15" },
      { label: "auto-renewal", value: "every 3 months" },
      { label: "status", value: "Active" },
      { label: "domain", value: "shop.example" },
      { label: "IP", value: "198.51.100.102" },
      { label: "datacenter", value: "Frankfurt DC1" },
      { label: "panel user", value: "shopadmin" },
      { label: "cost", value: expect.stringMatching(/^\d+\.\d{2}$/) },
      { label: "created", value: "2026-01-15" },
    ]);
    // The session's login, then the item types of services until the id is found (vhost, then vds).
    expect(f.emu.calls.count("vds")).toBe(1);
    expect(f.emu.calls.count("vds.edit")).toBe(0);
  });

  it("shows a licence's tariff, expiry, auto-renewal off and its name, asking only the licence list", async () => {
    const f = await fixture([VPS, LICENCE]);
    f.emu.calls.reset();
    const info = await f.provider.describe!({ kind: LICENSE, id: "103", name: "cl-web7" });
    expect(info.facts).toEqual(
      expect.arrayContaining([
        { label: "product", value: "licence (softexternal)" },
        { label: "tariff", value: "CloudLinux OS" },
        { label: "expires", value: "2026-12-01" },
        { label: "auto-renewal", value: "off" },
        { label: "licence name", value: "web7.example" },
        { label: "IP", value: "203.0.113.7" },
      ]),
    );
    expect(info.facts.map((f) => f.label)).not.toContain("domain");
    expect(f.emu.calls.byMethod()).toMatchObject({ softexternal: 1 });
    expect(f.emu.calls.count("vds") + f.emu.calls.count("vhost") + f.emu.calls.count("dedic")).toBe(0);
  });

  it("lists only the item type a collect saw the service in", async () => {
    const f = await fixture([VPS, LICENCE]);
    await f.provider.collect({ fields: { [SERVICE]: [] } });
    f.emu.calls.reset();
    await f.provider.describe!({ kind: SERVICE, id: "101", name: "shop-vps" });
    expect(f.emu.calls.count("vds")).toBe(1);
    expect(f.emu.calls.count("vhost") + f.emu.calls.count("dedic")).toBe(0);
  });

  it("refuses a service that is not there and a kind BILLmanager does not have, without the password", async () => {
    const f = await fixture([VPS]);
    const missing = await providerError(f.provider.describe!({ kind: SERVICE, id: "999", name: "nowhere" }));
    expect(missing).toMatchObject({ kind: "rejected", retryable: false });
    expect(missing.message).toBe("bm1: describe nowhere (service 999): no service has the id 999 (nowhere)");
    const kind = await providerError(f.provider.describe!({ kind: "whm/account", id: "1001", name: "acme.example" }));
    expect(kind.message).toMatch(/a BILLmanager has no whm\/account/);
    for (const err of [missing, kind]) expect(err.message).not.toContain(f.emu.password);
  });
});

describe("what BILLmanager does not offer", () => {
  it("has no usage, login or password action: the commands say the panel has no such call", async () => {
    const f = await fixture([VPS]);
    expect(f.provider.usage).toBeUndefined();
    expect(f.provider.login).toBeUndefined();
    expect(f.provider.setPassword).toBeUndefined();
  });
});
