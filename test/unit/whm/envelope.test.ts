/**
 * The API 1 envelope: result 1 is an answer, result 0 a refusal with WHM's reason, an answer
 * without metadata in API 0's shape says api.version was ignored, anything else is unreadable.
 */
import { describe, expect, it } from "vitest";
import { decodeEnvelope } from "../../../src/providers/whm/envelope.js";

const json = (value: unknown): string => JSON.stringify(value);

describe("decodeEnvelope", () => {
  it("reads a successful answer with its data and reason", () => {
    const body = json({ metadata: { command: "listaccts", result: 1, reason: "OK", version: 1 }, data: { acct: [] } });
    expect(decodeEnvelope(body)).toEqual({ kind: "ok", data: { acct: [] }, reason: "OK" });
  });

  it("reads an action's answer without data", () => {
    const body = json({ metadata: { command: "suspendacct", result: 1, reason: "OK", version: 1, output: { raw: "Suspending…" } } });
    expect(decodeEnvelope(body)).toEqual({ kind: "ok", data: undefined, reason: "OK" });
  });

  it("reads result 0 as a refusal with WHM's reason, also when written as a string", () => {
    expect(decodeEnvelope(json({ metadata: { result: 0, reason: "Sorry, a group for that username already exists." } }))).toEqual({
      kind: "refused",
      reason: "Sorry, a group for that username already exists.",
    });
    expect(decodeEnvelope(json({ metadata: { result: "0" } }))).toEqual({ kind: "refused", reason: "no reason given" });
    expect(decodeEnvelope(json({ metadata: { result: "1", reason: "OK" }, data: { version: "11.118.0.5" } }))).toMatchObject({ kind: "ok" });
  });

  it("recognises WHM API 0's shape: the server ignored api.version=1", () => {
    const api0 = decodeEnvelope(json({ acct: [], status: 1, statusmsg: "Ok" }));
    expect(api0.kind).toBe("api0");
    expect(api0).toMatchObject({ detail: expect.stringMatching(/API 0.*ignored api\.version=1/) });
    expect(decodeEnvelope(json({ cpanelresult: { error: "x" } })).kind).toBe("api0");
  });

  it("calls anything else unreadable, saying what it was", () => {
    expect(decodeEnvelope("")).toEqual({ kind: "unreadable", detail: "an empty body" });
    expect(decodeEnvelope("<!DOCTYPE html><html>login</html>")).toEqual({ kind: "unreadable", detail: "a body that is not JSON (an HTML page)" });
    expect(decodeEnvelope("[1,2]")).toEqual({ kind: "unreadable", detail: "JSON that is not an object" });
    expect(decodeEnvelope(json({ data: {} }))).toEqual({ kind: "unreadable", detail: "JSON without metadata" });
    expect(decodeEnvelope(json({ metadata: { result: 2 } }))).toEqual({ kind: "unreadable", detail: "metadata without a result of 1 or 0" });
    expect(decodeEnvelope("oops {").kind).toBe("unreadable");
  });
});
