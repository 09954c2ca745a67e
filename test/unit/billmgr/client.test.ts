/**
 * The BILLmanager client against canned answers: what it sends (a form POST to the endpoint,
 * `func` and `out=json` in the body, the password only in the body of func=auth, the session id
 * only in bodies, nothing in the URL), the session (one login, re-authentication once on an
 * auth refusal, filters set again in the new session), and how each way a call can end becomes
 * a typed error, including answers the emulator never gives.
 */
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { BillmgrClient } from "../../../src/providers/billmgr/client.js";
import {
  BillmgrAuthError,
  BillmgrProtocolError,
  BillmgrRejectedError,
  BillmgrTransportError,
  BillmgrUnknownOutcomeError,
} from "../../../src/providers/billmgr/errors.js";
import { OK, answer, doc, errorDoc, resetAfterRequest, silence, startCannedServer, withLogin, type CannedServer, type Handler } from "./canned-server.js";
import { cleanupsAfterEach } from "../../support/cleanups.js";

const PASSWORD = "Xq7-pR3 zT9wK2mL";
const cleanups = cleanupsAfterEach();

async function setup(timeoutMs = 2_000): Promise<{ server: CannedServer; client: BillmgrClient }> {
  const server = await startCannedServer();
  const client = new BillmgrClient({ url: server.url, user: "reseller", password: PASSWORD, timeoutMs });
  cleanups.push(() => server.stop(), () => client.close());
  return { server, client };
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

function noSecrets(err: Error, ...secrets: string[]): void {
  const text = `${err.message} ${err.stack ?? ""} ${JSON.stringify(err)}`;
  for (const secret of [PASSWORD, ...secrets]) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
  }
}

/** Answers each non-auth call with the next body in turn (the last one repeats). */
function sequence(...bodies: string[]): Handler {
  let i = 0;
  return withLogin((req, res) => answer(200, bodies[Math.min(i++, bodies.length - 1)] ?? OK)(req, res));
}

const row = (id: string, extra: Record<string, string> = {}): Record<string, { $: string }> =>
  Object.fromEntries(Object.entries({ id, item_status: "2", ...extra }).map(([k, v]) => [k, { $: v }]));

describe("what the client sends", () => {
  it("logs in once with the password in the POST body, then sends the session id in the body of each call", async () => {
    const { server, client } = await setup();
    server.handle(withLogin(answer(200, doc({ elem: row("1") }))));
    await client.services("vds");
    await client.services("vhost");
    const [login, first, second] = server.received;
    for (const request of server.received) {
      expect(request.method).toBe("POST");
      expect(request.url).toBe("/billmgr");
      expect(request.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
      expect(request.form.get("out")).toBe("json");
      expect(request.form.has("authinfo")).toBe(false);
    }
    expect(login?.body).toBe(`func=auth&out=json&username=reseller&password=${encodeURIComponent(PASSWORD)}`);
    expect(first?.body).toBe("func=vds&out=json&p_cnt=1000&p_num=1&auth=SESSION1ABCDEF0123456789");
    expect(second?.form.get("func")).toBe("vhost");
    expect(server.received).toHaveLength(3);
    expect(server.calls().every((r) => !r.body.includes(encodeURIComponent(PASSWORD)))).toBe(true);
  });

  it("sends an order with its parameters, add-ons, remoteid, skipbasket and sok, and reads doc.id", async () => {
    const { server, client } = await setup();
    server.handle(sequence(doc({ id: { $: "1042" } })));
    const id = await client.orderService({
      itemtype: "vds",
      pricelist: 6,
      period: 3,
      datacenter: 1,
      domain: "vds.example",
      autoprolong: 1,
      ostempl: "ISPsystem__CentOS-7-amd64",
      addons: { "10": 6, "11": "256" },
      remoteid: "siteform:vds/app1",
    });
    expect(id).toBe("1042");
    const form = Object.fromEntries(server.calls()[0]?.form ?? []);
    expect(form).toEqual({
      func: "v2.vds.order.param",
      out: "json",
      pricelist: "6",
      datacenter: "1",
      order_period: "3",
      domain: "vds.example",
      autoprolong: "1",
      ostempl: "ISPsystem__CentOS-7-amd64",
      addon_10: "6",
      addon_11: "256",
      remoteid: "siteform:vds/app1",
      skipbasket: "on",
      sok: "ok",
      auth: "SESSION1ABCDEF0123456789",
    });
  });

  it("orders a licence with clicked_button=finish, and edits, suspends, resumes, deletes with elid", async () => {
    const { server, client } = await setup();
    server.handle(sequence(doc({ id: { $: "77" } }), OK));
    expect(await client.orderLicense({ pricelist: 9203, period: 1, ip: "10.10.10.10", licname: "cl-web1", autoprolong: null, remoteid: "lic:web1" })).toBe("77");
    await client.edit("softexternal", "77", { licname: "cl-web2", ip: "10.10.10.11", autoprolong: null });
    await client.edit("vds", "5", { addons: { "9": 5 }, autoprolong: 12 });
    await client.suspend("vds", ["5", "6"]);
    await client.resume("vds", "5");
    await client.delete("softexternal", "77");
    const forms = server.calls().map((r) => Object.fromEntries([...r.form].filter(([k]) => k !== "auth" && k !== "out")));
    expect(forms).toEqual([
      { func: "softexternal.order.param", pricelist: "9203", period: "1", ip: "10.10.10.10", licname: "cl-web1", autoprolong: "null", remoteid: "lic:web1", skipbasket: "on", clicked_button: "finish", sok: "ok" },
      { func: "softexternal.edit", elid: "77", autoprolong: "null", licname: "cl-web2", ip: "10.10.10.11", skipbasket: "on", sok: "ok" },
      { func: "vds.edit", elid: "5", autoprolong: "12", addon_9: "5", skipbasket: "on", sok: "ok" },
      { func: "vds.suspend", elid: "5, 6" },
      { func: "vds.resume", elid: "5" },
      { func: "softexternal.delete", elid: "77", sok: "ok" },
    ]);
  });

  it("previews a renewal without sok and commits it with sok and skipbasket", async () => {
    const { server, client } = await setup();
    server.handle(sequence(doc({ expiredate: { $: "2026-12-01" }, newexpiredate: { $: "2027-12-01" }, price: { $: "120.00" } }), doc({ ok: {}, newexpiredate: { $: "2027-12-01" } })));
    expect(await client.prolongPreview("5", 12)).toEqual({ expiredate: "2026-12-01", newexpiredate: "2027-12-01", price: "120.00", balance: null });
    expect(await client.prolong("5", 12)).toEqual({ newexpiredate: "2027-12-01" });
    const [preview, commit] = server.calls();
    expect(preview?.form.has("sok")).toBe(false);
    expect(preview?.form.get("func")).toBe("service.prolong");
    expect(commit?.form.get("sok")).toBe("ok");
    expect(commit?.form.get("skipbasket")).toBe("on");
  });

  it("sends every filter field, empty when not given, and an all-empty filter to clear", async () => {
    const { server, client } = await setup();
    await client.setFilter("vds", { domain: "acme" });
    await client.clearFilter("vds");
    const [set, clear] = server.calls();
    expect(set?.form.get("func")).toBe("vds.filter");
    expect(set?.form.get("domain")).toBe("acme");
    expect(set?.form.get("ip")).toBe("");
    expect(set?.form.get("sok")).toBe("ok");
    expect([...(clear?.form ?? [])].filter(([k, v]) => v !== "" && !["func", "out", "auth", "sok"].includes(k))).toEqual([]);
  });

  it("drops a query or credentials written in the configured URL and refuses bad settings without quoting the password", async () => {
    const server = await startCannedServer();
    const url = new URL(server.url);
    url.search = `?authinfo=reseller:${PASSWORD}`;
    url.username = "someone";
    const client = new BillmgrClient({ url: url.toString(), user: "reseller", password: PASSWORD });
    cleanups.push(() => server.stop(), () => client.close());
    await client.services("vds");
    expect(server.received.map((r) => r.url)).toEqual(["/billmgr", "/billmgr"]);
    expect(client.endpoint).toBe(server.url);
    expect(() => new BillmgrClient({ url: server.url, user: "reseller", password: "" })).toThrow(/password is empty/);
    expect(() => new BillmgrClient({ url: server.url, user: " ", password: PASSWORD })).toThrow(/user is empty/);
    expect(() => new BillmgrClient({ url: "ftp://host", user: "reseller", password: PASSWORD })).toThrow(/must be http: or https:/);
    await expect(client.suspend("vds", "1; drop")).rejects.toThrow(/service ids are numbers/);
  });
});

describe("lists", () => {
  it("reads page after page until BILLmanager's count is reached, one row written as an object too", async () => {
    const { server, client } = await setup();
    server.handle(
      withLogin((req, res) => {
        const page = Number(req.form.get("p_num"));
        const size = Number(req.form.get("p_cnt"));
        const ids = Array.from({ length: size + 1 }, (_, i) => String(i + 1)).slice((page - 1) * size, page * size);
        const elem = ids.length === 1 ? row(ids[0] ?? "") : ids.map((id) => row(id));
        answer(200, doc({ elem, p_elems: { $: String(size + 1) } }))(req, res);
      }),
    );
    const rows = await client.services("vds");
    expect(rows).toHaveLength(1001);
    expect(rows.at(-1)?.id).toBe("1001");
    expect(server.calls().map((r) => r.form.get("p_num"))).toEqual(["1", "2"]);
  });

  it("stops at a short page when BILLmanager gives no count", async () => {
    const { server, client } = await setup();
    server.handle(sequence(doc({ elem: [row("1"), row("2")] })));
    expect((await client.services("vhost")).map((r) => r.id)).toEqual(["1", "2"]);
    expect(server.calls()).toHaveLength(1);
  });

  it("refuses a list that ends before its count: a hidden service could be ordered twice", async () => {
    const { server, client } = await setup();
    server.handle(sequence(doc({ elem: [row("1"), row("2")], p_elems: { $: "5" } }), doc({ p_elems: { $: "5" } })));
    const err = await failure(client.services("dedic"));
    expect(err).toBeInstanceOf(BillmgrProtocolError);
    expect(err.message).toMatch(/stopped at 2 of the 5 services/);
  });
});

describe("the session", () => {
  it("logs in again once when a session is refused, and repeats the call, a mutation too: the refusal came before any work", async () => {
    const { server, client } = await setup();
    let refused = false;
    server.handle(
      withLogin((req, res) => {
        if (!refused) {
          refused = true;
          answer(200, errorDoc("auth", "Session expired"))(req, res);
          return;
        }
        answer(200, OK)(req, res);
      }),
    );
    await client.suspend("vds", "5");
    const funcs = server.received.map((r) => `${r.form.get("func")}:${r.form.get("auth") ?? ""}`);
    expect(funcs).toEqual(["auth:", "vds.suspend:SESSION1ABCDEF0123456789", "auth:", "vds.suspend:SESSION2ABCDEF0123456789"]);
  });

  it("gives up with an auth error when the fresh session is refused too, without a third try", async () => {
    const { server, client } = await setup();
    server.handle(withLogin(answer(200, errorDoc("auth", "Session SESSION2ABCDEF0123456789 expired"))));
    const err = await failure(client.services("vds"));
    expect(err).toBeInstanceOf(BillmgrAuthError);
    expect(err).toMatchObject({ kind: "auth", retryable: false, fn: "vds" });
    expect(err.message).toMatch(/refused a fresh session too/);
    expect(server.received.map((r) => r.form.get("func"))).toEqual(["auth", "vds", "auth", "vds"]);
    noSecrets(err, "SESSION1ABCDEF0123456789", "SESSION2ABCDEF0123456789");
  });

  it("reads a refused login as an auth error that quotes neither the password nor a session", async () => {
    const { server, client } = await setup();
    server.handle(answer(200, errorDoc("auth", `Invalid password ${PASSWORD}`)));
    const err = await failure(client.services("vds"));
    expect(err).toBeInstanceOf(BillmgrAuthError);
    expect(err.message).toMatch(/^auth at .*: BILLmanager refused the login \(Invalid password \[REDACTED\]\); check the BILLmanager user and password$/);
    noSecrets(err);
    server.handle(answer(200, doc({})));
    expect((await failure(client.services("vds"))).message).toMatch(/without a session id/);
  });

  it("sets the filters in force again in a new session before repeating a list", async () => {
    const { server, client } = await setup();
    let expireOnce = true;
    server.handle(
      withLogin((req, res) => {
        if (req.form.get("func") === "vds" && expireOnce) {
          expireOnce = false;
          answer(200, errorDoc("auth", "Session expired"))(req, res);
          return;
        }
        answer(200, req.form.get("func") === "vds" ? doc({ elem: row("1") }) : OK)(req, res);
      }),
    );
    await client.setFilter("vds", { domain: "acme" });
    expect((await client.services("vds")).map((r) => r.id)).toEqual(["1"]);
    expect(server.received.map((r) => `${r.form.get("func")}:${r.form.get("auth")?.slice(0, 8) ?? ""}`)).toEqual([
      "auth:",
      "vds.filter:SESSION1",
      "vds:SESSION1",
      "auth:",
      "vds.filter:SESSION2",
      "vds:SESSION2",
    ]);
    expect(server.received[4]?.form.get("domain")).toBe("acme");
  });

  it("renews a session refused to several calls at once with one login", async () => {
    const { server, client } = await setup();
    server.handle(
      withLogin((req, res) => {
        const body = req.form.get("auth")?.startsWith("SESSION1") === true ? errorDoc("auth", "Session expired") : doc({});
        answer(200, body)(req, res);
      }),
    );
    await Promise.all([client.services("vds"), client.services("vhost"), client.services("softexternal")]);
    expect(server.received.filter((r) => r.form.get("func") === "auth")).toHaveLength(2);
    expect(server.calls().filter((r) => r.form.get("auth")?.startsWith("SESSION2"))).toHaveLength(3);
  });

  it("shares one login between concurrent calls", async () => {
    const { server, client } = await setup();
    server.handle(withLogin(answer(200, doc({}))));
    await Promise.all([client.services("vds"), client.services("vhost"), client.services("dedic")]);
    expect(server.received.filter((r) => r.form.get("func") === "auth")).toHaveLength(1);
  });
});

describe("how a call ends", () => {
  it("reads doc.error as a refusal with BILLmanager's type and object, redacting the password", async () => {
    const { server, client } = await setup();
    for (const type of ["exist", "value", "missed", "access", "notenoughmoney"]) {
      server.handle(sequence(errorDoc(type, `Refused (${PASSWORD})`, "elid")));
      const err = await failure(client.resume("vds", "5"));
      expect(err).toBeInstanceOf(BillmgrRejectedError);
      expect(err).toMatchObject({ kind: "rejected", type, object: "elid", retryable: false, notEnoughMoney: type === "notenoughmoney" });
      noSecrets(err);
    }
  });

  it("reads a mutation answered without doc.ok, and an order without doc.id, as unknown outcomes", async () => {
    const { server, client } = await setup();
    server.handle(sequence(doc({})));
    const empty = await failure(client.delete("vds", "5"));
    expect(empty).toBeInstanceOf(BillmgrUnknownOutcomeError);
    expect(empty.message).toMatch(/without doc\.ok or a result.*read the service back/);
    server.handle(sequence(OK));
    const order = await failure(client.orderLicense({ pricelist: 1, period: 1, ip: "10.0.0.1", remoteid: "x" }));
    expect(order).toBeInstanceOf(BillmgrUnknownOutcomeError);
    expect(order.message).toMatch(/without the new service's id/);
  });

  it("reads a list of the wrong shape as a protocol error", async () => {
    const { server, client } = await setup();
    server.handle(sequence(doc({ elem: row("x1") })));
    const err = await failure(client.services("vds"));
    expect(err).toBeInstanceOf(BillmgrProtocolError);
    expect(err.message).toMatch(/vds row 0 has the id "x1", not a number/);
  });

  it("reads HTTP 503 and 429 as retryable transport, for reads and mutations alike", async () => {
    const { server, client } = await setup();
    for (const status of [503, 429]) {
      server.handle(withLogin(answer(status, "")));
      for (const call of [client.services("vds"), client.orderService({ itemtype: "vds", pricelist: 1, period: 1, remoteid: "a" })]) {
        const err = await failure(call);
        expect(err).toBeInstanceOf(BillmgrTransportError);
        expect(err).toMatchObject({ retryable: true });
      }
    }
  });

  it("reads another 5xx as transport for a read and an unknown outcome for a mutation; a refusal stays a refusal", async () => {
    const { server, client } = await setup();
    server.handle(withLogin(answer(500, "<html>Internal Server Error</html>", "text/html")));
    expect(await failure(client.services("vds"))).toBeInstanceOf(BillmgrTransportError);
    const err = await failure(client.prolong("5", 1));
    expect(err).toBeInstanceOf(BillmgrUnknownOutcomeError);
    expect(err.message).toMatch(/HTTP 500 with a body that is not JSON \(an HTML page\)/);
    server.handle(withLogin(answer(500, errorDoc("value", "Wrong period", "period"))));
    expect(await failure(client.prolong("5", 1))).toBeInstanceOf(BillmgrRejectedError);
  });

  it("reads HTTP 401/403 from a proxy as auth, and an unreadable 200 as protocol for a read, unknown outcome for a mutation", async () => {
    const { server, client } = await setup();
    server.handle(answer(403, "Forbidden", "text/plain"));
    expect(await failure(client.services("vds"))).toBeInstanceOf(BillmgrAuthError);
    server.handle(withLogin(answer(200, "<!doctype html><title>BILLmanager</title>", "text/html")));
    expect(await failure(client.history("5"))).toBeInstanceOf(BillmgrProtocolError);
    expect(await failure(client.suspend("vds", "5"))).toBeInstanceOf(BillmgrUnknownOutcomeError);
  });

  it("reads a connection dropped after an order was sent as an unknown outcome, and for a read as transport", async () => {
    const { server, client } = await setup();
    server.handle(withLogin(resetAfterRequest));
    const lost = await failure(client.orderService({ itemtype: "vhost", pricelist: 2, period: 1, remoteid: "r" }));
    expect(lost).toBeInstanceOf(BillmgrUnknownOutcomeError);
    expect(lost.message).toMatch(/sent but no answer came back/);
    expect(server.calls().filter((r) => r.form.get("func") === "v2.vhost.order.param")).toHaveLength(1);
    const read = await failure(client.services("vhost"));
    expect(read).toBeInstanceOf(BillmgrTransportError);
    expect(read.message).toMatch(/answer was lost/);
  });

  it("reads a renewal that timed out after being sent as an unknown outcome", async () => {
    const { server, client } = await setup(200);
    server.handle(withLogin(silence));
    const err = await failure(client.prolong("5", 1));
    expect(err).toBeInstanceOf(BillmgrUnknownOutcomeError);
    expect(err.message).toMatch(/ETIMEDOUT/);
  });

  it("reads a refused connection as transport: nothing was sent, not even the login", async () => {
    const port = await freePort();
    const client = new BillmgrClient({ url: `http://127.0.0.1:${port}/billmgr`, user: "reseller", password: PASSWORD });
    cleanups.push(() => client.close());
    const err = await failure(client.orderService({ itemtype: "vds", pricelist: 1, period: 1, remoteid: "r" }));
    expect(err).toBeInstanceOf(BillmgrTransportError);
    expect(err).toMatchObject({ fn: "auth" });
    expect(err.message).toMatch(/could not be sent.*ECONNREFUSED/);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
