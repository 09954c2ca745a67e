/**
 * The BILLmanager emulator over raw HTTP: every function it serves, each error type, and the
 * quirks a client must survive (errors as HTTP 200 doc.error, one row as an object, stateful
 * filters, previews without sok, sessions that expire, not enough money, item_status passing
 * through 1 and 5). Requests are form POSTs (and GETs) exactly as a client sends them.
 */
import { describe, expect, it } from "vitest";
import { Caller, asArray, docOf, form, plain, text, type BillmgrTarget } from "../unit/emulator-billmgr/support/billmgr-http.js";
import { NOON, billmgrPool } from "../unit/emulator-billmgr/support/pool.js";

const emulator = billmgrPool();
const clock = (): number => NOON;

const VDS_ORDER = { pricelist: "12", datacenter: "1", order_period: "1", domain: "vps1.example", ostempl: "ISPsystem__Debian-12-x86_64", skipbasket: "on", sok: "ok" };
const LICENCE_ORDER = { pricelist: "14", ip: "203.0.113.7", licname: "cl-web1", period: "1", skipbasket: "on", clicked_button: "finish", sok: "ok" };

async function fresh(options: Parameters<typeof emulator>[0] = {}): Promise<{ e: Awaited<ReturnType<typeof emulator>>; c: Caller }> {
  const e = await emulator({ clock, processingSteps: 0, ...options });
  return { e, c: await Caller.login(e) };
}

async function orderVds(c: Caller, extra: Record<string, string> = {}): Promise<string> {
  return text((await c.ok("v2.vds.order.param", { ...VDS_ORDER, ...extra }))["id"])!;
}

describe("authentication", () => {
  it("func=auth with username and password in the POST body opens a session; calls then carry auth=SESSION", async () => {
    const e = await emulator({ clock });
    const res = await form(e, { func: "auth", out: "json", username: e.user, password: e.password });
    expect(res.status).toBe(200);
    const auth = (JSON.parse(res.body) as { doc: { auth: { $id: string; $level: string; $: string } } }).doc.auth;
    expect(auth.$id).toMatch(/^[0-9a-f]{24}$/);
    expect(auth.$).toBe(auth.$id);
    const doc = await docOf(e, { func: "vds", auth: auth.$id });
    expect(doc["error"]).toBeUndefined();
    expect(text(doc["p_elems"])).toBe("0");
  });

  it("refuses a wrong password, a missing or unknown session, all as HTTP 200 doc.error of type auth", async () => {
    const e = await emulator({ clock });
    const attempts: Record<string, string>[] = [
      { func: "auth", username: e.user, password: "wrong-password" },
      { func: "auth", username: "someone", password: e.password },
      { func: "vhost" },
      { func: "vhost", auth: "0123456789abcdef01234567" },
      { func: "vhost", authinfo: `${e.user}:nope` },
    ];
    for (const params of attempts) {
      const res = await form(e, { out: "json", ...params });
      expect(res.status).toBe(200);
      const error = (JSON.parse(res.body) as { doc: { error: { $type: string; msg: { $: string } } } }).doc.error;
      expect(error.$type).toBe("auth");
      expect(error.msg.$).not.toContain(e.password);
    }
  });

  it("accepts authinfo=USER:PASS on GET and POST, as BILLmanager does", async () => {
    const e = await emulator({ clock });
    for (const method of ["GET", "POST"] as const) {
      const doc = await docOf(e, { func: "vhost", authinfo: `${e.user}:${e.password}` }, { method });
      expect(doc["error"]).toBeUndefined();
      expect(doc["$func"]).toBe("vhost");
    }
  });

  it("expires a session after sessionTtlSeconds idle, keeps a used one alive, and expireSessions() ends them all", async () => {
    let now = NOON;
    const e = await emulator({ clock: () => now, sessionTtlSeconds: 100 });
    const c = await Caller.login(e);
    now += 90;
    await c.ok("vds");
    now += 90; // 180 s since login, 90 since the last call: still alive
    await c.ok("vds");
    now += 101;
    expect(await c.error("vds")).toMatchObject({ $type: "auth", $object: "session" });
    const again = await Caller.login(e);
    await again.ok("vds");
    e.expireSessions();
    expect((await again.error("vds")).$type).toBe("auth");
  });
});

describe("the wire", () => {
  it("answers GET and POST alike, and refuses another out with a doc.error naming out", async () => {
    const { e, c } = await fresh();
    const get = await docOf(e, { func: "vds", auth: c.session }, { method: "GET" });
    const post = await docOf(e, { func: "vds", auth: c.session });
    expect(get).toEqual(post);
    for (const out of [undefined, "xml", "sjson"]) {
      const res = await form(e, { func: "vds", auth: c.session, ...(out !== undefined && { out }) });
      expect(res.status).toBe(200);
      const error = (JSON.parse(res.body) as { doc: { error: { $type: string; $object: string; msg: { $: string } } } }).doc.error;
      expect(error).toMatchObject({ $type: "value", $object: "out" });
      expect(error.msg.$).toMatch(/only out=json/);
    }
  });

  it("refuses an unknown function with type missed, other paths with 404, other methods with 405, other bodies with 415", async () => {
    const { e, c } = await fresh();
    expect(await c.error("vhost.frobnicate")).toMatchObject({ $type: "missed", $object: "func" });
    const { send } = await import("../unit/emulator-server/support/soap-http.js");
    expect((await send(`${e.origin}/manager/other`)).status).toBe(404);
    expect((await send(e.url, { method: "PUT" })).status).toBe(405);
    expect((await send(e.url, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })).status).toBe(415);
  });

  it("sends an empty list without elem, one row as an object (the quirk), several as an array", async () => {
    const { c } = await fresh();
    expect((await c.ok("vds"))["elem"]).toBeUndefined();
    await orderVds(c);
    const one = await c.ok("vds");
    expect(Array.isArray(one["elem"])).toBe(false);
    expect(plain(one["elem"] as never)).toMatchObject({ id: "101", domain: "vps1.example" });
    expect(text(one["p_elems"])).toBe("1");
    await orderVds(c, { domain: "vps2.example" });
    const two = await c.ok("vds");
    expect(Array.isArray(two["elem"])).toBe(true);
    expect(asArray(two["elem"])).toHaveLength(2);
  });
});

describe("ordering", () => {
  it("v2.vds.order.param without sok is the form with the price, and orders nothing", async () => {
    const { e, c } = await fresh();
    const doc = await c.ok("v2.vds.order.param", { pricelist: "12", order_period: "3", addon_22: "5" });
    expect(text(doc["cost"])).toBe("90.00"); // (20 + 5 × 2) × 3
    expect(text(doc["addon_22"])).toBe("5");
    expect(text(doc["balance"])).toBe("1000.00");
    const names = asArray(doc["slist"]).map((s) => (s as { $name: string }).$name);
    expect(names).toEqual(expect.arrayContaining(["pricelist", "order_period", "autoprolong", "datacenter", "ostempl"]));
    expect(doc["id"]).toBeUndefined();
    expect(e.services()).toEqual([]);
    expect(e.balance()).toBe(1000);
  });

  it("with sok=ok pays from the balance, answers doc.id and lists the service with its remoteid", async () => {
    const { e, c } = await fresh();
    const id = await orderVds(c, { order_period: "3", autoprolong: "3", addon_22: "5", remoteid: "siteform:vds/web1", recipe: "lamp" });
    expect(id).toBe("101");
    expect(e.balance()).toBe(910);
    expect(e.orders()).toEqual([{ id: 1, kind: "order", service: 101, itemtype: "vds", pricelist: 12, period: 3, amount: 90, date: NOON }]);
    const [row] = await c.rows("vds");
    expect(plain(row!)).toEqual({
      id: "101",
      domain: "vps1.example",
      ip: expect.stringMatching(/^198\.51\./),
      username: "root",
      pricelist: "VPS 2",
      datacentername: "Frankfurt DC1",
      createdate: "2026-03-10",
      expiredate: "2026-06-10",
      period: "3",
      autoprolong: "3",
      status_msg: "Active",
      item_status: "2",
      cost: "30.00",
      remoteid: "siteform:vds/web1",
    });
    expect(e.services()[0]).toMatchObject({ recipe: "lamp", ostempl: "ISPsystem__Debian-12-x86_64", addons: { "22": 5, "23": 1 } });
  });

  it("orders hosting and dedicated servers too, with a made-up domain when none is given", async () => {
    const { c } = await fresh();
    const vhost = text((await c.ok("v2.vhost.order.param", { pricelist: "11", datacenter: "1", order_period: "1", skipbasket: "on", sok: "ok" }))["id"]);
    const dedic = text((await c.ok("v2.dedic.order.param", { pricelist: "13", datacenter: "1", order_period: "1", domain: "metal.example", skipbasket: "on", sok: "ok" }))["id"]);
    expect(plain((await c.rows("vhost"))[0]!)).toMatchObject({ id: vhost, domain: `service${vhost}.emulated.test`, ip: "192.0.2.20", username: `user${vhost}` });
    expect(plain((await c.rows("dedic"))[0]!)).toMatchObject({ id: dedic, domain: "metal.example", expiredate: "2026-04-10", cost: "90.00" });
  });

  it("refuses bad orders with value errors naming the field, and orders nothing", async () => {
    const { e, c } = await fresh();
    const cases: [Record<string, string>, string][] = [
      [{ pricelist: "" }, "pricelist"],
      [{ pricelist: "14" }, "pricelist"], // a licence tariff for a vds
      [{ order_period: "2" }, "order_period"],
      [{ datacenter: "9" }, "datacenter"],
      [{ addon_24: "2" }, "addon_24"], // a dedic add-on
      [{ addon_22: "51" }, "addon_22"],
      [{ autoprolong: "5" }, "autoprolong"],
      [{ ostempl: "Windows" }, "ostempl"],
      [{ domain: "not a domain" }, "domain"],
      [{ skipbasket: "" }, "skipbasket"],
    ];
    for (const [change, field] of cases) {
      expect(await c.error("v2.vds.order.param", { ...VDS_ORDER, ...change }), field).toMatchObject({ $type: "value", $object: field });
    }
    expect(e.services()).toEqual([]);
    expect(e.balance()).toBe(1000);
    expect(await orderVds(c)).toBe("101"); // no id was used up by the refusals
  });

  it("refuses an order the balance does not cover (notenoughmoney) and changes nothing", async () => {
    const { e, c } = await fresh({ state: { balance: 59.99 } });
    const error = await c.error("v2.vds.order.param", { ...VDS_ORDER, order_period: "3" });
    expect(error).toMatchObject({ $type: "notenoughmoney", $object: "balance" });
    expect(error.msg.$).toMatch(/60\.00 is needed, the balance is 59\.99/);
    expect(e.services()).toEqual([]);
    expect(e.orders()).toEqual([]);
    expect(e.balance()).toBe(59.99);
    await orderVds(c, { order_period: "1" });
    expect(e.balance()).toBe(39.99);
  });

  it("softexternal.order.param orders a licence bound to an IP; a second one of the same type for that IP is refused with exist", async () => {
    const { e, c } = await fresh();
    const id = text((await c.ok("softexternal.order.param", { ...LICENCE_ORDER, autoprolong: "1", remoteid: "lic-1" }))["id"]);
    expect(plain((await c.rows("softexternal"))[0]!)).toMatchObject({ id, ip: "203.0.113.7", licname: "cl-web1", pricelist: "CloudLinux OS", autoprolong: "1", remoteid: "lic-1", cost: "12.00" });
    expect(await c.error("softexternal.order.param", LICENCE_ORDER)).toMatchObject({ $type: "exist", $object: "ip" });
    await c.ok("softexternal.order.param", { ...LICENCE_ORDER, pricelist: "15" }); // KernelCare on the same IP is fine
    expect(await c.error("softexternal.order.param", { ...LICENCE_ORDER, ip: "300.1.1.1" })).toMatchObject({ $type: "value", $object: "ip" });
    expect(e.balance()).toBe(1000 - 12 - 3);
  });
});

describe("item_status passing through", () => {
  it("an order shows 1, then 5, then 2, one list read each (processingSteps 1)", async () => {
    const { c } = await fresh({ processingSteps: 1 });
    await orderVds(c);
    const status = async (): Promise<[string, string]> => {
      const row = plain((await c.rows("vds"))[0]!);
      return [row["item_status"]!, row["status_msg"]!];
    };
    expect(await status()).toEqual(["1", "Ordered"]);
    expect(await status()).toEqual(["5", "In progress: activation"]);
    expect(await status()).toEqual(["2", "Active"]);
    expect(await status()).toEqual(["2", "Active"]);
  });

  it("suspend, resume and prolong show 5 for processingSteps reads; a busy service refuses actions", async () => {
    const { c } = await fresh({ processingSteps: 2 });
    const id = await orderVds(c);
    expect(await c.error("vds.suspend", { elid: id })).toMatchObject({ $type: "value", $object: "item_status" });
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) seen.push(plain((await c.rows("vds"))[0]!)["item_status"]!);
    expect(seen).toEqual(["1", "1", "5", "5", "2"]);
    await c.ok("vds.suspend", { elid: id });
    seen.length = 0;
    for (let i = 0; i < 3; i++) seen.push(plain((await c.rows("vds"))[0]!)["item_status"]!);
    expect(seen).toEqual(["5", "5", "3"]);
    await c.ok("service.prolong", { elid: id, period: "1", sok: "ok" });
    expect(plain((await c.rows("vds"))[0]!)).toMatchObject({ item_status: "5", status_msg: "In progress: renewal" });
  });
});

describe("a service stuck in processing", () => {
  it("keeps showing 5 and refuses actions, as the panel does with a service it never finished", async () => {
    const { c } = await fresh({ state: { services: [{ id: 5, itemtype: "vds", pricelist: 12, item_status: 5 }] } });
    for (let i = 0; i < 3; i++) expect(plain((await c.rows("vds"))[0]!)["item_status"]).toBe("5");
    for (const fn of ["vds.suspend", "vds.delete"]) expect(await c.error(fn, { elid: "5" })).toMatchObject({ $type: "value", $object: "item_status" });
    expect(await c.error("service.prolong", { elid: "5", period: "1", sok: "ok" })).toMatchObject({ $type: "value", $object: "item_status" });
  });
});

describe("edit", () => {
  it("without sok is the form with the current values; with sok switches auto-renewal off with null", async () => {
    const { e, c } = await fresh();
    const id = await orderVds(c, { autoprolong: "1", addon_23: "2", remoteid: "r1" });
    const formDoc = await c.ok("vds.edit", { elid: id });
    expect(formDoc).toMatchObject({ pricelist: { $: "12" }, datacenter: { $: "1" }, autoprolong: { $: "1" }, addon_22: { $: "0" }, addon_23: { $: "2" }, remoteid: { $: "r1" } });
    expect((await c.ok("vds.edit", { elid: id, autoprolong: "null", sok: "ok" }))["ok"]).toEqual({});
    expect(text((await c.ok("vds.edit", { elid: id }))["autoprolong"])).toBe("null");
    expect(plain((await c.rows("vds"))[0]!)["autoprolong"]).toBeUndefined();
    expect(e.services()[0]!.autoprolong).toBeNull();
  });

  it("charges an add-on increase for the months left, refunds nothing for a decrease, and refuses when the money is short", async () => {
    const { e, c } = await fresh({ state: { balance: 100 } });
    const id = await orderVds(c, { order_period: "3" }); // 60.00, expires 2026-06-10: 3 months left
    await c.ok("vds.edit", { elid: id, addon_22: "2", sok: "ok" }); // +2 × 2.00 × 3
    expect(e.balance()).toBe(28);
    expect(e.orders()[1]).toMatchObject({ kind: "addon", service: 101, period: 3, amount: 12 });
    await c.ok("vds.edit", { elid: id, addon_22: "1", sok: "ok" });
    expect(e.balance()).toBe(28);
    expect(await c.error("vds.edit", { elid: id, addon_22: "10", sok: "ok" })).toMatchObject({ $type: "notenoughmoney" });
    expect(e.services()[0]!.addons["22"]).toBe(1);
    expect(await c.error("vds.edit", { elid: "999", sok: "ok" })).toMatchObject({ $type: "missed", $object: "elid" });
  });

  it("changes a licence's name and IP, refusing an IP that already has that licence", async () => {
    const { e, c } = await fresh();
    const a = text((await c.ok("softexternal.order.param", LICENCE_ORDER))["id"])!;
    await c.ok("softexternal.order.param", { ...LICENCE_ORDER, ip: "203.0.113.8" });
    await c.ok("softexternal.edit", { elid: a, licname: "cl-web9", ip: "203.0.113.9", sok: "ok" });
    expect(e.services()[0]).toMatchObject({ licname: "cl-web9", ip: "203.0.113.9" });
    expect(await c.error("softexternal.edit", { elid: a, ip: "203.0.113.8", sok: "ok" })).toMatchObject({ $type: "exist", $object: "ip" });
  });
});

describe("suspend, resume, delete", () => {
  it("act on several services in one elid, check every id first, and keep a deleted service listed with status 4", async () => {
    const { e, c } = await fresh();
    const a = await orderVds(c);
    const b = await orderVds(c, { domain: "vps2.example" });
    expect(await c.error("vds.suspend", { elid: `${a}, 999` })).toMatchObject({ $type: "missed", $object: "elid" });
    expect(e.services().map((s) => s.item_status)).toEqual([2, 2]);
    await c.ok("vds.suspend", { elid: `${a}, ${b}` });
    expect(e.services().map((s) => s.item_status)).toEqual([3, 3]);
    await c.ok("vds.suspend", { elid: a }); // already suspended: nothing changes
    await c.ok("vds.resume", { elid: b });
    await c.ok("vds.delete", { elid: a });
    const rows = (await c.rows("vds")).map(plain);
    expect(rows.map((r) => [r["id"], r["item_status"], r["status_msg"]])).toEqual([
      [a, "4", "Deleted"],
      [b, "2", "Active"],
    ]);
    for (const fn of ["vds.resume", "vds.delete"]) expect(await c.error(fn, { elid: a })).toMatchObject({ $type: "value", $object: "item_status" });
    expect(await c.error("service.prolong", { elid: a, period: "1", sok: "ok" })).toMatchObject({ $type: "value" });
    expect(await c.error("vhost.suspend", { elid: b })).toMatchObject({ $type: "missed" }); // not a vhost
  });

  it("suspends and resumes licences the same way", async () => {
    const { e, c } = await fresh();
    const id = text((await c.ok("softexternal.order.param", LICENCE_ORDER))["id"])!;
    await c.ok("softexternal.suspend", { elid: id });
    expect(e.services()[0]!.item_status).toBe(3);
    await c.ok("softexternal.resume", { elid: id });
    await c.ok("softexternal.delete", { elid: id });
    expect(e.services()[0]!.item_status).toBe(4);
  });
});

describe("service.prolong", () => {
  it("previews without sok (no charge), commits with sok: charged, expiry moved, doc.ok and newexpiredate", async () => {
    const { e, c } = await fresh();
    const id = await orderVds(c, { addon_23: "2" }); // 23.00 a month, expires 2026-04-10
    const preview = await c.ok("service.prolong", { elid: id, period: "6" });
    expect(preview).toMatchObject({ expiredate: { $: "2026-04-10" }, newexpiredate: { $: "2026-10-10" }, price: { $: "138.00" } });
    expect(e.balance()).toBe(977);
    expect(text((await c.ok("service.prolong", { elid: id }))["period"])).toBe("1"); // the first period by default
    const done = await c.ok("service.prolong", { elid: id, period: "6", sok: "ok" });
    expect(done["ok"]).toEqual({});
    expect(text(done["newexpiredate"])).toBe("2026-10-10");
    expect(e.balance()).toBe(839);
    expect(e.orders().map((o) => [o.kind, o.amount])).toEqual([["order", 23], ["prolong", 138]]);
    expect(plain((await c.rows("vds"))[0]!)["expiredate"]).toBe("2026-10-10");
    expect(await c.error("service.prolong", { elid: id, period: "2", sok: "ok" })).toMatchObject({ $type: "value", $object: "period" });
    expect(await c.error("service.prolong", { elid: `${id}, ${id}`, sok: "ok" })).toMatchObject({ $type: "value", $object: "elid" });
  });

  it("refuses a renewal the balance does not cover and changes nothing", async () => {
    const { e, c } = await fresh({ state: { balance: 30 } });
    const id = await orderVds(c);
    expect(await c.error("service.prolong", { elid: id, period: "1", sok: "ok" })).toMatchObject({ $type: "notenoughmoney" });
    expect(e.services()[0]!.expiredate).toBe("2026-04-10");
    expect(e.balance()).toBe(10);
  });
});

describe("service.history", () => {
  it("lists every action with who did it and when, including an operator's from the panel", async () => {
    let now = NOON;
    const e = await emulator({
      clock: () => now,
      processingSteps: 0,
      state: {
        services: [
          {
            id: 7,
            itemtype: "vhost",
            pricelist: 11,
            domain: "old.example",
            item_status: 3,
            history: [
              { date: "2026-01-01 09:00:00", user: "reseller", action: "open" },
              { date: "2026-02-01 10:30:00", user: "support@provider", action: "suspend" },
            ],
          },
        ],
      },
    });
    const c = await Caller.login(e);
    now += 3600;
    await c.ok("vhost.resume", { elid: "7" });
    now += 60;
    await c.ok("vhost.edit", { elid: "7", autoprolong: "12", sok: "ok" });
    const rows = asArray((await c.ok("service.history", { elid: "7" }))["elem"]).map((r) => plain(r as never));
    expect(rows.map((r) => [r["date"], r["user"], r["action"]])).toEqual([
      ["2026-01-01 09:00:00", "reseller", "open"],
      ["2026-02-01 10:30:00", "support@provider", "suspend"],
      ["2026-03-10 13:00:00", e.user, "resume"],
      ["2026-03-10 13:01:00", e.user, "edit"],
    ]);
    expect(rows[3]!["desc"]).toBe("autoprolong=12");
    expect(await c.error("service.history", { elid: "8" })).toMatchObject({ $type: "missed" });
    expect(await c.error("service.history", {})).toMatchObject({ $type: "value", $object: "elid" });
  });
});

describe("stateful filters", () => {
  it("stay applied to every later list of the session until an empty filter clears them; other sessions are unaffected", async () => {
    const { e, c } = await fresh();
    await orderVds(c, { domain: "alpha.example" });
    await orderVds(c, { domain: "beta.example" });
    await c.ok("vds.filter", { domain: "beta", sok: "ok" });
    expect((await c.rows("vds")).map((r) => r["domain"]!.$)).toEqual(["beta.example"]);
    expect((await c.rows("vds")).map((r) => r["domain"]!.$)).toEqual(["beta.example"]); // still applied
    expect(text((await c.ok("vds.filter"))["domain"])).toBe("beta"); // the form shows it
    expect(await c.rows("vhost")).toEqual([]); // per item type
    const other = await Caller.login(e);
    expect(await other.rows("vds")).toHaveLength(2);
    await c.ok("vds.filter", { id: "101", sok: "ok" }); // a new filter replaces the old one
    expect((await c.rows("vds")).map((r) => r["id"]!.$)).toEqual(["101"]);
    await c.ok("vds.filter", { sok: "ok" });
    expect(await c.rows("vds")).toHaveLength(2);
  });

  it("filter by status, pricelist and auto-renewal; authinfo callers keep theirs across calls", async () => {
    const { e, c } = await fresh();
    const a = await orderVds(c);
    await orderVds(c, { domain: "vps2.example" });
    await c.ok("vds.suspend", { elid: a });
    const authinfo = `${e.user}:${e.password}`;
    await docOf(e, { func: "vds.filter", authinfo, status: "3", pricelist: "12", sok: "ok" });
    const doc = await docOf(e, { func: "vds", authinfo });
    expect(plain(doc["elem"] as never)["id"]).toBe(a);
    expect(await c.rows("vds")).toHaveLength(2);
    await c.ok("vds.edit", { elid: a, autoprolong: "3", sok: "ok" });
    await c.ok("vds.filter", { autoprolong: "null", sok: "ok" });
    expect((await c.rows("vds")).map((r) => r["id"]!.$)).toEqual(["102"]);
    await c.ok("vds.filter", { autoprolong: "3", sok: "ok" });
    expect((await c.rows("vds")).map((r) => r["id"]!.$)).toEqual([a]);
  });

  it("pages with p_cnt and p_num, p_elems counting every matching row", async () => {
    const { c } = await fresh();
    for (let i = 0; i < 3; i++) await orderVds(c, { domain: `v${i}.example` });
    const page = await c.ok("vds", { p_cnt: "2", p_num: "2" });
    expect(text(page["p_elems"])).toBe("3");
    expect(plain(page["elem"] as never)["domain"]).toBe("v2.example");
  });
});

describe("adminDisabled", () => {
  it("refuses suspend and resume with type access, leaving the rest working", async () => {
    const { e, c } = await fresh({ knobs: { adminDisabled: true } });
    const id = await orderVds(c);
    expect(await c.error("vds.suspend", { elid: id })).toMatchObject({ $type: "access" });
    expect(await c.error("vds.resume", { elid: id })).toMatchObject({ $type: "access" });
    expect(e.services()[0]!.item_status).toBe(2);
    await c.ok("vds.delete", { elid: id });
  });
});

describe("secrets", () => {
  it("never echo the password or session id in an answer other than func=auth's", async () => {
    const { e, c } = await fresh();
    const target: BillmgrTarget = e;
    const bodies = await Promise.all([
      form(target, { func: "vds", out: "json", auth: c.session }),
      form(target, { func: "vds.edit", out: "json", auth: c.session, elid: "1" }),
      form(target, { func: "auth", out: "json", username: e.user, password: "x" }),
      form(target, { func: "vds", out: "json", authinfo: `${e.user}:${e.password}` }),
    ]);
    for (const { body } of bodies) {
      expect(body).not.toContain(e.password);
      expect(body).not.toContain(c.session);
    }
  });
});
