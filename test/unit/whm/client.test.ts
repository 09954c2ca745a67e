/**
 * The WHM client against canned answers: what it sends (the function in the path,
 * api.version=1, booleans as 1/0, `Authorization: whm USER:TOKEN` and the token nowhere else)
 * and how each way a call can end becomes a typed error: 401/403 auth, result 0 rejected with
 * WHM's reason, API 0's shape protocol, 503 transport, a lost answer to a mutation an unknown
 * outcome. Then the provider's wording of them: kinds, retryability, no token anywhere.
 */
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../src/providers/provider.js";
import { WhmClient } from "../../../src/providers/whm/client.js";
import {
  Redactor,
  WhmAuthError,
  WhmProtocolError,
  WhmRejectedError,
  WhmTransportError,
  WhmUnknownOutcomeError,
} from "../../../src/providers/whm/errors.js";
import { toProviderError, type ErrorWording } from "../../../src/providers/whm/provider-error.js";
import { queryString } from "../../../src/providers/whm/transport.js";
import { answer, envelope, resetAfterRequest, silence, startCannedServer, type CannedServer } from "./canned-server.js";
import { cleanupsAfterEach } from "../../support/cleanups.js";

const TOKEN = "Q7Z3K9W2M4X8C1V6B5N0L2J7H3G9F4D1";
const cleanups = cleanupsAfterEach();

async function setup(timeoutMs = 2_000): Promise<{ server: CannedServer; client: WhmClient }> {
  const server = await startCannedServer();
  const client = new WhmClient({ url: server.url, user: "root", token: TOKEN, timeoutMs });
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

function noToken(err: Error): void {
  const text = `${err.message} ${err.stack ?? ""} ${JSON.stringify(err)}`;
  expect(text).not.toContain(TOKEN);
  expect(text.toLowerCase()).not.toContain(TOKEN.toLowerCase().slice(0, 12));
}

describe("what the client sends", () => {
  it("calls the function under the API base with api.version=1 first and the token only in the header", async () => {
    const { server, client } = await setup();
    server.handle(answer(200, envelope(1, "OK", { version: "11.118.0.5" })));
    expect(await client.version()).toBe("11.118.0.5");
    const [request] = server.received;
    expect(request?.url).toBe("/json-api/version?api.version=1");
    expect(request?.headers.authorization).toBe(`whm root:${TOKEN}`);
    expect(request?.url).not.toContain(TOKEN);
  });

  it("encodes parameters and sends booleans as 1/0", async () => {
    const { server, client } = await setup();
    await client.modifyacct("acme", { newuser: "acme2", HASSHELL: false, MAXPOP: "unlimited", DNS: "new.example" });
    await client.suspendacct("acme", "siteform: cancelled on 2026-01-01");
    expect(server.received.map((r) => r.url)).toEqual([
      "/json-api/modifyacct?api.version=1&newuser=acme2&HASSHELL=0&MAXPOP=unlimited&DNS=new.example&user=acme",
      "/json-api/suspendacct?api.version=1&user=acme&reason=siteform%3A%20cancelled%20on%202026-01-01",
    ]);
    expect(queryString({ a: true, b: undefined, c: 0, "api.version": 0 })).toBe("api.version=1&a=1&c=0");
  });

  it("drops a query or credentials written in the configured URL", async () => {
    const server = await startCannedServer();
    const url = new URL(server.url);
    url.username = "someone";
    url.search = "?token=abc";
    const client = new WhmClient({ url: url.toString(), user: "root", token: TOKEN });
    cleanups.push(() => server.stop(), () => client.close());
    await client.listpkgs();
    expect(server.received[0]?.url).toBe("/json-api/listpkgs?api.version=1");
    expect(server.received[0]?.headers.authorization).toBe(`whm root:${TOKEN}`);
    expect(client.endpoint).toBe(server.url);
  });

  it("refuses a user or token that cannot go in the header, without quoting the token", () => {
    expect(() => new WhmClient({ url: "http://127.0.0.1:1", user: "root", token: "   " })).toThrow(/token is empty/);
    const err = (() => {
      try {
        new WhmClient({ url: "http://127.0.0.1:1", user: "root", token: `${TOKEN} X` });
      } catch (e) {
        return e as Error;
      }
      throw new Error("expected a refusal");
    })();
    expect(err.message).toMatch(/cannot be sent in a header/);
    noToken(err);
    expect(() => new WhmClient({ url: "http://127.0.0.1:1", user: "ro ot", token: TOKEN })).toThrow(/not a valid user name/);
    expect(() => new WhmClient({ url: "ftp://host", user: "root", token: TOKEN })).toThrow(/must be http: or https:/);
  });
});

describe("how a call ends", () => {
  it("reads HTTP 401 and 403 as auth", async () => {
    const { server, client } = await setup();
    for (const status of [401, 403]) {
      server.handle(answer(status, "Access denied", "text/plain"));
      const err = await failure(client.listaccts());
      expect(err).toBeInstanceOf(WhmAuthError);
      expect(err).toMatchObject({ kind: "auth", retryable: false });
      noToken(err);
    }
  });

  it("reads result 0 as WHM's refusal, with its reason and without the token even if WHM echoed it", async () => {
    const { server, client } = await setup();
    server.handle(answer(200, envelope(0, `Sorry, the token ${TOKEN} may not call createacct`)));
    const err = await failure(client.createacct({ username: "acme", domain: "acme.example" }));
    expect(err).toBeInstanceOf(WhmRejectedError);
    expect(err).toMatchObject({ kind: "rejected", retryable: false });
    expect(err.message).toMatch(/^createacct at http:\/\/127\.0\.0\.1:\d+\/json-api: the server refused it: Sorry, the token \[REDACTED\] may not call/);
    noToken(err);
  });

  it("reads a refusal saying to try again later as retryable: nothing was done", async () => {
    const { server, client } = await setup();
    server.handle(answer(200, envelope(0, "The service is temporarily unavailable. Try again later.")));
    const err = await failure(client.listaccts());
    expect(err).toMatchObject({ kind: "rejected", retryable: true });
    const wording: ErrorWording = { server: "cp1", keyEnv: null, userEnv: null, redactor: new Redactor(TOKEN, { grouped: false }) };
    expect(toProviderError(err, "read", wording)).toMatchObject({ kind: "rejected", retryable: true });
  });

  it("reads an answer in API 0's shape as a protocol error saying api.version was ignored", async () => {
    const { server, client } = await setup();
    server.handle(answer(200, JSON.stringify({ acct: [], status: 1, statusmsg: "Ok" })));
    const err = await failure(client.listaccts());
    expect(err).toBeInstanceOf(WhmProtocolError);
    expect(err.message).toMatch(/API 0's shape.*ignored api\.version=1/);
  });

  it("reads an API 0 answer to a change as an unknown outcome: WHM ran the function, so it is read back, not called final", async () => {
    const { server, client } = await setup();
    server.handle(answer(200, JSON.stringify({ result: [{ status: 1, statusmsg: "Account Creation Ok" }] })));
    const err = await failure(client.createacct({ username: "acme", domain: "acme.example" }));
    expect(err).toBeInstanceOf(WhmUnknownOutcomeError);
    expect(err.message).toMatch(/ignored api\.version=1/);
  });

  it("reads data of the wrong shape as a protocol error", async () => {
    const { server, client } = await setup();
    server.handle(answer(200, envelope(1, "OK", { acct: [{ user: "acme", domain: "acme.example", uid: "x1" }] })));
    const err = await failure(client.listaccts());
    expect(err).toBeInstanceOf(WhmProtocolError);
    expect(err.message).toMatch(/uid "x1", not a number/);
  });

  it("reads HTTP 503 as transport, retryable, for reads and mutations alike", async () => {
    const { server, client } = await setup();
    server.handle(answer(503, ""));
    for (const call of [client.listaccts(), client.removeacct("acme")]) {
      const err = await failure(call);
      expect(err).toBeInstanceOf(WhmTransportError);
      expect(err).toMatchObject({ kind: "transport", retryable: true });
    }
  });

  it("reads another 5xx as transport for a read, and as an unknown outcome for a mutation", async () => {
    const { server, client } = await setup();
    server.handle(answer(500, "<html>Internal Server Error</html>", "text/html"));
    expect(await failure(client.listpkgs())).toBeInstanceOf(WhmTransportError);
    const err = await failure(client.changepackage("acme", "business"));
    expect(err).toBeInstanceOf(WhmUnknownOutcomeError);
    expect(err.message).toMatch(/HTTP 500 with a body that is not JSON \(an HTML page\).*read the account back/);
  });

  it("reads WHM's refusal as a refusal even with a 5xx status", async () => {
    const { server, client } = await setup();
    server.handle(answer(500, envelope(0, "The package does not exist")));
    expect(await failure(client.changepackage("acme", "nope"))).toBeInstanceOf(WhmRejectedError);
  });

  it("reads an unreadable 200 as a protocol error for a read and an unknown outcome for a mutation", async () => {
    const { server, client } = await setup();
    server.handle(answer(200, "<!doctype html><title>WHM Login</title>", "text/html"));
    expect(await failure(client.listaccts())).toBeInstanceOf(WhmProtocolError);
    expect(await failure(client.suspendacct("acme"))).toBeInstanceOf(WhmUnknownOutcomeError);
  });

  it("reads a connection dropped after a mutation was sent as an unknown outcome, and for a read as transport", async () => {
    const { server, client } = await setup();
    server.handle(resetAfterRequest);
    const lost = await failure(client.createacct({ username: "acme", domain: "acme.example" }));
    expect(lost).toBeInstanceOf(WhmUnknownOutcomeError);
    expect(lost.message).toMatch(/sent but no answer came back/);
    const read = await failure(client.listaccts());
    expect(read).toBeInstanceOf(WhmTransportError);
    expect(read.message).toMatch(/answer was lost/);
  });

  it("reads a mutation that timed out after being sent as an unknown outcome", async () => {
    const { server, client } = await setup(200);
    server.handle(silence);
    const err = await failure(client.removeacct("acme"));
    expect(err).toBeInstanceOf(WhmUnknownOutcomeError);
    expect(err.message).toMatch(/ETIMEDOUT/);
  });

  it("reads a refused connection as transport: nothing was sent", async () => {
    const port = await freePort();
    const client = new WhmClient({ url: `http://127.0.0.1:${port}/json-api`, user: "root", token: TOKEN });
    cleanups.push(() => client.close());
    const err = await failure(client.createacct({ username: "acme", domain: "acme.example" }));
    expect(err).toBeInstanceOf(WhmTransportError);
    expect(err.message).toMatch(/could not be sent.*ECONNREFUSED/);
  });
});

describe("the provider's wording", () => {
  const wording: ErrorWording = { server: "cp1", keyEnv: "CP1_TOKEN", userEnv: "CP1_USER", redactor: new Redactor(TOKEN, { grouped: false }) };
  const context = { fn: "createacct", endpoint: "https://cp1.example:2087/json-api" };

  it("maps every client error onto the core's kinds, only transport being retryable", () => {
    const cases = [
      [new WhmAuthError(context, 401), "auth", false],
      [new WhmRejectedError(context, "Sorry, that username is taken"), "rejected", false],
      [new WhmTransportError(context, "the request could not be sent"), "transport", true],
      [new WhmUnknownOutcomeError(context, "no answer"), "unknown-outcome", false],
      [new WhmProtocolError(context, "nonsense"), "protocol", false],
    ] as const;
    for (const [err, kind, retryable] of cases) {
      const mapped = toProviderError(err, "create acme.example", wording);
      expect(mapped).toBeInstanceOf(ProviderError);
      expect(mapped).toMatchObject({ kind, retryable });
      expect((mapped as Error).message).toMatch(/^cp1: create acme\.example: /);
    }
  });

  it("keeps WHM's words for a refusal and names the variables for an auth failure, never their values", () => {
    const refused = toProviderError(new WhmRejectedError(context, "Sorry, that username is taken"), "create acme.example", wording) as Error;
    expect(refused.message).toBe("cp1: create acme.example: WHM refused createacct: Sorry, that username is taken");
    const auth = toProviderError(new WhmAuthError(context, 403), "read", wording) as Error;
    expect(auth.message).toMatch(/\(the user and token come from CP1_USER and CP1_TOKEN\)$/);
    const leaky = toProviderError(new WhmProtocolError(context, `echo ${TOKEN}`), "read", wording) as Error;
    noToken(leaky);
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
