/**
 * The BILLmanager client against the real BILLmanager emulator over HTTP(S): each function
 * siteform calls and the quirks of its answers (every value under `$`, a one-row list as an
 * object, item_status passing through 1 and 5, stateful filters, `sok` previews), each error
 * type BILLmanager answers with, sessions that expire (re-authentication once; a mutation whose
 * answer may have been lost is never repeated), a lost answer on an order (an unknown outcome,
 * exactly one order, the service found again by remoteid), not enough money, and the fault
 * knobs. No error's text ever holds the password or a session id. One fresh emulator per test.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startBillmgrEmulator, type BillmgrEmulatorOptions, type RunningBillmgrEmulator } from "../../src/emulator/billmgr/index.js";
import {
  BillmgrAuthError,
  BillmgrClient,
  BillmgrRejectedError,
  BillmgrTransportError,
  BillmgrUnknownOutcomeError,
  type BillmgrConnection,
  type ServiceRow,
} from "../../src/providers/billmgr/index.js";
import { cleanupsAfterEach } from "../support/cleanups.js";

const START = 1_800_000_000; // 2027-01-15
const PASSWORD = "s3cret-Pass&word!42";
const cleanups = cleanupsAfterEach();

async function emulator(options: BillmgrEmulatorOptions = {}): Promise<RunningBillmgrEmulator> {
  const emu = await startBillmgrEmulator({ clock: () => START, password: PASSWORD, ...options });
  cleanups.push(() => emu.stop());
  return emu;
}

function client(emu: RunningBillmgrEmulator, extra: Partial<BillmgrConnection> = {}): BillmgrClient {
  const c = new BillmgrClient({ url: emu.url, user: emu.user, password: emu.password, timeoutMs: 5_000, ...extra });
  cleanups.push(() => c.close());
  return c;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`threw a non-error: ${String(err)}`, { cause: err });
  }
  throw new Error("expected the call to fail");
}

/** The secrets are in no part of the error a caller could print or serialise. */
function holdsNoSecret(err: Error, secrets: readonly string[]): void {
  const text = [err.message, err.stack ?? "", JSON.stringify(err), String(err.cause ?? "")].join("\n");
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
  }
}

const VDS = { itemtype: "vds", pricelist: 12, period: 1, datacenter: 1, ostempl: "ISPsystem__Debian-12-x86_64" } as const;

/** Lists until the service has landed (the emulator moves it one step per list read that shows it). */
async function settle(c: BillmgrClient, itemtype: ServiceRow["itemtype"], id: string): Promise<ServiceRow[]> {
  const seen: ServiceRow[] = [];
  for (let i = 0; i < 5; i++) {
    const row = (await c.services(itemtype)).find((r) => r.id === id);
    if (row === undefined) throw new Error(`service ${id} is not listed`);
    seen.push(row);
    if (row.itemStatus !== 1 && row.itemStatus !== 5) return seen;
  }
  return seen;
}

describe("functions", () => {
  it("orders a VPS paid from the balance, with add-ons and remoteid; the list shows it ordered, processing, then active", async () => {
    const emu = await emulator();
    const c = client(emu);
    const id = await c.orderService({ ...VDS, period: 3, domain: "app1.example", autoprolong: 1, addons: { "22": 2 }, remoteid: "siteform:vds/app1" });
    expect(id).toMatch(/^\d+$/);
    const passage = await settle(c, "vds", id);
    expect(passage.map((r) => r.itemStatus)).toEqual([1, 5, 2]);
    expect(passage[1]?.statusMsg).toMatch(/In progress/);
    expect(passage.at(-1)).toMatchObject({
      id,
      itemtype: "vds",
      domain: "app1.example",
      pricelist: "VPS 2",
      datacenter: "Frankfurt DC1",
      createdate: "2027-01-15",
      expiredate: "2027-04-15",
      autoprolong: 1,
      remoteid: "siteform:vds/app1",
    });
    // (20 for the tariff + 2 extra disk units × 2) × 3 months; the one IPv4 address is included.
    expect(emu.balance()).toBe(1000 - 72);
    expect(emu.orders()).toMatchObject([{ kind: "order", service: Number(id), period: 3, amount: 72 }]);
  });

  it("reads a list of one written as an object, and a list of several as an array, the same way", async () => {
    const emu = await emulator({ processingSteps: 0 });
    const c = client(emu);
    const first = await c.orderService({ ...VDS, itemtype: "vhost", pricelist: 11, remoteid: "h1" });
    // What goes over the wire: with one service, elem is the row itself.
    const session = await post(emu, { func: "auth", username: emu.user, password: emu.password });
    const sid = (session.doc as { auth: { $id: string } }).auth.$id;
    const raw = await post(emu, { func: "vhost", auth: sid });
    expect(Array.isArray(raw.doc.elem)).toBe(false);
    expect((raw.doc.elem as { id: { $: string } }).id.$).toBe(first);
    expect((await c.services("vhost")).map((r) => r.id)).toEqual([first]);
    const second = await c.orderService({ ...VDS, itemtype: "vhost", pricelist: 11, remoteid: "h2" });
    expect((await c.services("vhost")).map((r) => r.id)).toEqual([first, second]);
    expect(await c.services("dedic")).toEqual([]);
  });

  it("orders a licence for an IP, changes its name and IP, and refuses a second of the same tariff on that IP", async () => {
    const emu = await emulator({ processingSteps: 0 });
    const c = client(emu);
    const id = await c.orderLicense({ pricelist: 14, period: 12, ip: "192.0.2.10", licname: "web1", autoprolong: 12, remoteid: "lic:web1" });
    expect((await c.services("softexternal"))[0]).toMatchObject({ id, licname: "web1", ip: "192.0.2.10", autoprolong: 12, pricelist: "CloudLinux OS", remoteid: "lic:web1", itemStatus: 2 });
    await c.edit("softexternal", id, { licname: "web1-new", ip: "192.0.2.11" });
    expect((await c.services("softexternal"))[0]).toMatchObject({ licname: "web1-new", ip: "192.0.2.11" });
    const clash = await failure(c.orderLicense({ pricelist: 14, period: 1, ip: "192.0.2.11", remoteid: "lic:other" }));
    expect(clash).toBeInstanceOf(BillmgrRejectedError);
    expect(clash).toMatchObject({ type: "exist", object: "ip", fn: "softexternal.order.param" });
    expect(emu.services()).toHaveLength(1);
  });

  it("edits auto-renewal off and on, raises an add-on (paid) and re-tags remoteid; the edit form shows the values", async () => {
    const emu = await emulator({ processingSteps: 0 });
    const c = client(emu);
    const id = await c.orderService({ ...VDS, autoprolong: 1, remoteid: "old" });
    const before = emu.balance();
    await c.edit("vds", id, { autoprolong: null });
    expect((await c.services("vds"))[0]?.autoprolong).toBeNull();
    await c.edit("vds", id, { autoprolong: 3, addons: { "22": 5 }, remoteid: "siteform:vds/app1" });
    expect(emu.balance()).toBeLessThan(before);
    expect(emu.orders().map((o) => o.kind)).toEqual(["order", "addon"]);
    const form = await c.editForm("vds", id);
    expect(form).toMatchObject({ autoprolong: 3, addons: { "22": "5", "23": "1" }, fields: { remoteid: "siteform:vds/app1", pricelist: "12" } });
    expect((await c.services("vds"))[0]).toMatchObject({ autoprolong: 3, remoteid: "siteform:vds/app1" });
  });

  it("suspends, resumes and deletes, one service or several in one call, passing through processing", async () => {
    const emu = await emulator();
    const c = client(emu);
    const a = await c.orderService({ ...VDS, remoteid: "a" });
    const b = await c.orderService({ ...VDS, remoteid: "b" });
    await settle(c, "vds", a);
    await c.suspend("vds", [a, b]);
    expect((await settle(c, "vds", a)).map((r) => r.itemStatus)).toEqual([5, 3]);
    expect((await c.services("vds")).map((r) => r.itemStatus)).toEqual([3, 3]);
    await c.resume("vds", a);
    expect((await settle(c, "vds", a)).map((r) => r.itemStatus)).toEqual([5, 2]);
    await c.delete("vds", b);
    expect((await settle(c, "vds", b)).at(-1)?.itemStatus).toBe(4);
  });

  it("previews an order without charging or creating anything: the tariff, the price for the period and the balance", async () => {
    const emu = await emulator({ processingSteps: 0 });
    const c = client(emu);
    const preview = await c.orderPreview({ service: { ...VDS, period: 3, addons: { "22": 2 }, remoteid: "siteform:vds/app1" } });
    // (20 for the tariff + 2 extra disk units × 2) × 3 months, as the order itself charges.
    expect(preview).toEqual({ tariff: expect.stringMatching(/^VPS 2 \(20\.00\/month\)$/), cost: "72.00", balance: "1000.00" });
    const licence = await c.orderPreview({ license: { pricelist: 15, period: 12, ip: "192.0.2.20", remoteid: "kc" } });
    expect(licence).toMatchObject({ cost: "36.00", balance: "1000.00" });
    expect(emu.balance()).toBe(1000);
    expect(emu.orders()).toEqual([]);
    expect(await c.services("vds")).toEqual([]);
    expect(await c.services("softexternal")).toEqual([]);
  });

  it("previews a renewal without charging, then renews, charging the balance and moving the expiry", async () => {
    const emu = await emulator({ processingSteps: 0 });
    const c = client(emu);
    const id = await c.orderLicense({ pricelist: 15, period: 1, ip: "192.0.2.20", remoteid: "kc" });
    const balance = emu.balance();
    expect(await c.prolongPreview(id, 12)).toEqual({ expiredate: "2027-02-15", newexpiredate: "2028-02-15", price: "36.00", balance: (balance).toFixed(2) });
    expect(emu.balance()).toBe(balance);
    expect(await c.prolong(id, 12)).toEqual({ newexpiredate: "2028-02-15" });
    expect(emu.balance()).toBe(balance - 36);
    expect((await c.services("softexternal"))[0]?.expiredate).toBe("2028-02-15");
    expect(emu.orders().map((o) => o.kind)).toEqual(["order", "prolong"]);
  });

  it("reads a service's history: who did what, when", async () => {
    const emu = await emulator({ processingSteps: 0 });
    const c = client(emu);
    const id = await c.orderService({ ...VDS, remoteid: "h" });
    const one = await c.history(id);
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ user: emu.user, action: "open" });
    await c.suspend("vds", id);
    expect((await c.history(id)).map((e) => e.action)).toEqual(["open", "suspend"]);
  });

  it("keeps a filter for the session until it is cleared", async () => {
    const emu = await emulator({ processingSteps: 0 });
    const c = client(emu);
    await c.orderService({ ...VDS, domain: "alpha.example", remoteid: "a" });
    await c.orderService({ ...VDS, domain: "beta.example", remoteid: "b" });
    await c.setFilter("vds", { domain: "beta" });
    expect((await c.services("vds")).map((r) => r.domain)).toEqual(["beta.example"]);
    expect((await c.services("vds")).map((r) => r.domain)).toEqual(["beta.example"]);
    await c.clearFilter("vds");
    expect((await c.services("vds")).map((r) => r.domain)).toEqual(["alpha.example", "beta.example"]);
  });
});

describe("BILLmanager's refusals, by error type", () => {
  it("missed, value, exist and access come back as refusals with their type; nothing is done", async () => {
    const emu = await emulator({ processingSteps: 0 });
    const c = client(emu);
    const missed = await failure(c.suspend("vds", "999999"));
    expect(missed).toMatchObject({ kind: "rejected", type: "missed", retryable: false });
    const value = await failure(c.orderService({ ...VDS, period: 7, remoteid: "x" }));
    expect(value).toMatchObject({ kind: "rejected", type: "value" });
    const tariff = await failure(c.orderService({ ...VDS, pricelist: 999, remoteid: "x" }));
    expect(tariff).toBeInstanceOf(BillmgrRejectedError);
    await c.orderLicense({ pricelist: 14, period: 1, ip: "192.0.2.30", remoteid: "l" });
    expect(await failure(c.orderLicense({ pricelist: 14, period: 1, ip: "192.0.2.30", remoteid: "l2" }))).toMatchObject({ type: "exist" });
    emu.setKnobs({ adminDisabled: true });
    const access = await failure(c.suspend("softexternal", String(emu.services()[0]?.id)));
    expect(access).toBeInstanceOf(BillmgrRejectedError);
    expect(access).toMatchObject({ type: "access", kind: "rejected" });
    expect(emu.services()).toHaveLength(1);
    expect(emu.orders()).toHaveLength(1);
  });

  it("refuses an order and a renewal the balance does not cover: not enough money, nothing created or charged", async () => {
    const emu = await emulator({ processingSteps: 0, state: { balance: 25 } });
    const c = client(emu);
    const order = await failure(c.orderService({ ...VDS, period: 12, remoteid: "big" }));
    expect(order).toBeInstanceOf(BillmgrRejectedError);
    expect(order).toMatchObject({ type: "notenoughmoney", notEnoughMoney: true, retryable: false });
    expect(emu.services()).toEqual([]);
    const id = await c.orderService({ ...VDS, remoteid: "small" });
    const renewal = await failure(c.prolong(id, 12));
    expect(renewal).toMatchObject({ notEnoughMoney: true });
    expect(emu.orders()).toHaveLength(1);
    expect(emu.balance()).toBe(5);
  });

  it("reads a wrong password as an auth error that quotes neither password", async () => {
    const emu = await emulator();
    const wrong = "Wrong-Password-123456";
    const err = await failure(client(emu, { password: wrong }).services("vds"));
    expect(err).toBeInstanceOf(BillmgrAuthError);
    expect(err).toMatchObject({ kind: "auth", fn: "auth", retryable: false });
    holdsNoSecret(err, [wrong, emu.password]);
  });

  it("reads the panel's in-band 'try again later' as a retryable refusal", async () => {
    const emu = await emulator({ knobs: { failProbability: { "v2.vds.order.param": 1 }, failForm: { "v2.vds.order.param": "fault" } } });
    const err = await failure(client(emu).orderService({ ...VDS, remoteid: "x" }));
    expect(err).toMatchObject({ kind: "rejected", type: "sys", retryable: true });
    expect(emu.orders()).toEqual([]);
  });
});

describe("sessions", () => {
  it("logs in once, and again once when the session has expired, repeating a read", async () => {
    const emu = await emulator({ processingSteps: 0 });
    const c = client(emu);
    await c.services("vds");
    await c.services("vds");
    expect(emu.calls.count("auth")).toBe(1);
    emu.expireSessions();
    expect(await c.services("vds")).toEqual([]);
    expect(emu.calls.count("auth")).toBe(2);
    expect(emu.calls.count("vds")).toBe(4);
  });

  it("expires a session after an idle hour, by the emulator's clock", async () => {
    let now = START;
    const emu = await emulator({ processingSteps: 0, clock: () => now });
    const c = client(emu);
    await c.services("vds");
    now += 3_601;
    await c.services("vds");
    expect(emu.calls.count("auth")).toBe(2);
  });

  it("repeats a mutation refused for an expired session, which did nothing: the order is placed exactly once", async () => {
    const emu = await emulator({ processingSteps: 0 });
    const c = client(emu);
    await c.services("vds");
    emu.expireSessions();
    const id = await c.orderService({ ...VDS, remoteid: "after-expiry" });
    expect(emu.calls.count("v2.vds.order.param")).toBe(2);
    expect(emu.orders()).toHaveLength(1);
    expect(emu.services().map((s) => String(s.id))).toEqual([id]);
  });

  it("sets the filter in force again in the new session", async () => {
    const emu = await emulator({ processingSteps: 0 });
    const c = client(emu);
    await c.orderService({ ...VDS, domain: "alpha.example", remoteid: "a" });
    await c.orderService({ ...VDS, domain: "beta.example", remoteid: "b" });
    await c.setFilter("vds", { domain: "alpha" });
    emu.expireSessions();
    expect((await c.services("vds")).map((r) => r.domain)).toEqual(["alpha.example"]);
  });

  it("does not repeat an order whose answer was lost after a re-authentication: one order, an unknown outcome", async () => {
    const emu = await emulator({ processingSteps: 0 });
    const c = client(emu);
    await c.services("vds");
    emu.expireSessions();
    emu.setKnobs({ dropAfterWork: { "v2.vds.order.param": 1 } });
    const err = await failure(c.orderService({ ...VDS, remoteid: "siteform:vds/lost" }));
    expect(err).toBeInstanceOf(BillmgrUnknownOutcomeError);
    // The first attempt was refused for the session; the second did the work and lost its answer.
    expect(emu.calls.count("v2.vds.order.param")).toBe(2);
    expect(emu.orders()).toHaveLength(1);
  });
});

describe("faults", () => {
  it("reads an order whose answer was lost as an unknown outcome: exactly one order, found again by remoteid", async () => {
    const emu = await emulator({ processingSteps: 0, knobs: { dropAfterWork: { "v2.vds.order.param": 1 } } });
    const c = client(emu);
    const err = await failure(c.orderService({ ...VDS, domain: "lost.example", remoteid: "siteform:vds/lost" }));
    expect(err).toBeInstanceOf(BillmgrUnknownOutcomeError);
    expect(err.message).toMatch(/read the service back \(by its remoteid/);
    expect(emu.calls.count("v2.vds.order.param")).toBe(1);
    expect(emu.orders()).toHaveLength(1);
    const found = (await c.services("vds")).filter((r) => r.remoteid === "siteform:vds/lost");
    expect(found.map((r) => r.id)).toEqual([String(emu.services()[0]?.id)]);
  });

  it("reads a renewal answered with an empty doc as an unknown outcome: the renewal was charged", async () => {
    const emu = await emulator({ processingSteps: 0 });
    const c = client(emu);
    const id = await c.orderService({ ...VDS, remoteid: "r" });
    emu.setKnobs({ returnNull: { "service.prolong": 1 } });
    expect(await failure(c.prolong(id, 1))).toBeInstanceOf(BillmgrUnknownOutcomeError);
    expect(emu.orders().map((o) => o.kind)).toEqual(["order", "prolong"]);
  });

  it("reads HTTP 503 and a reset before the work as retryable transport for a read, and nothing is done", async () => {
    const emu = await emulator({ knobs: { failProbability: { "*": 1 }, failForm: { "*": "http503" } } });
    const c = client(emu);
    for (const call of [c.services("vds"), c.orderService({ ...VDS, remoteid: "x" })]) {
      const err = await failure(call);
      expect(err).toBeInstanceOf(BillmgrTransportError);
      expect(err).toMatchObject({ retryable: true });
    }
    expect(emu.orders()).toEqual([]);
  });

  it("reads a mutation that outlives the deadline as an unknown outcome", async () => {
    const emu = await emulator({ processingSteps: 0 });
    const c = client(emu, { timeoutMs: 300 });
    const id = await c.orderService({ ...VDS, remoteid: "slow" });
    emu.setKnobs({ latencyMs: { "vds.suspend": 1_000 } });
    const err = await failure(c.suspend("vds", id));
    expect(err).toBeInstanceOf(BillmgrUnknownOutcomeError);
    expect(err.message).toMatch(/ETIMEDOUT/);
  });
});

describe("secrets", () => {
  it("sends the password only in the body of func=auth and the session only in bodies, and no error holds either", async () => {
    const emu = await emulator({ processingSteps: 0 });
    const wire = await recordingProxy(emu.url);
    const c = client(emu, { url: wire.url, timeoutMs: 2_000 });
    const errors: Error[] = [];
    const id = await c.orderService({ ...VDS, remoteid: "s" });
    errors.push(await failure(c.suspend("vds", "999999")));
    errors.push(await failure(c.orderService({ ...VDS, period: 7, remoteid: "s2" })));
    emu.expireSessions();
    await c.services("vds");
    emu.setKnobs({ dropAfterWork: { "*": 1 } });
    errors.push(await failure(c.suspend("vds", id)));
    errors.push(await failure(c.services("vds")));
    emu.setKnobs({ dropAfterWork: {}, failProbability: { "*": 1 }, failForm: { "*": "fault" } });
    errors.push(await failure(c.prolong(id, 1)));
    emu.setKnobs({ failProbability: {}, latencyMs: { "*": 3_000 } });
    errors.push(await failure(c.history(id)));
    emu.setKnobs({ latencyMs: {} });
    errors.push(await failure(client(emu, { password: `${emu.password}x` }).services("vds")));

    const sessions = [...new Set(wire.requests.map((r) => r.form.get("auth")).filter((s): s is string => s !== null && s !== ""))];
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    for (const request of wire.requests) {
      expect(request.url).toBe("/billmgr");
      expect(request.form.has("authinfo")).toBe(false);
      if (request.form.get("func") !== "auth") expect(request.body).not.toContain(encodeURIComponent(emu.password));
    }
    expect(errors).toHaveLength(7);
    for (const err of errors) holdsNoSecret(err, [emu.password, ...sessions]);
  });
});

describe("TLS", () => {
  it("verifies the emulator's certificate against ca_file, refuses it without one, and skips the check with insecure_tls", async () => {
    const emu = await emulator({ tls: true });
    const dir = mkdtempSync(join(tmpdir(), "billmgr-ca-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const caFile = join(dir, "ca.pem");
    writeFileSync(caFile, emu.caCert ?? "");
    expect(emu.url.startsWith("https://")).toBe(true);
    expect(await client(emu, { caFile }).services("vds")).toEqual([]);
    const err = await failure(client(emu).services("vds"));
    expect(err).toBeInstanceOf(BillmgrTransportError);
    expect(err.message).toMatch(/TLS: name the server.s CA certificate.*`ca_file` in siteform\.yaml.*`insecure_tls: true`/);
    expect(await client(emu, { insecureTls: true }).services("vds")).toEqual([]);
  });
});

/** One raw POST to the emulator, for looking at the wire shape itself. */
async function post(emu: RunningBillmgrEmulator, form: Record<string, string>): Promise<{ doc: Record<string, unknown> }> {
  const res = await fetch(emu.url, { method: "POST", body: new URLSearchParams({ ...form, out: "json" }) });
  return (await res.json()) as { doc: Record<string, unknown> };
}

interface Recorded {
  url: string;
  body: string;
  form: URLSearchParams;
}

/** An HTTP forwarder in front of the emulator that records what the client sends; a dropped answer stays dropped. */
async function recordingProxy(target: string): Promise<{ url: string; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ url: req.url ?? "", body, form: new URLSearchParams(body) });
      fetch(target, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body })
        .then(async (answer) => {
          const text = await answer.text();
          res.writeHead(answer.status, { "Content-Type": answer.headers.get("content-type") ?? "application/json" });
          res.end(text);
        })
        .catch(() => res.socket?.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { url: `http://127.0.0.1:${address.port}/billmgr`, requests };
}
