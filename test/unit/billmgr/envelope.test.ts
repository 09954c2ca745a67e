/**
 * BILLmanager's `out=json` mapping: text under `$`, attributes under `$name`, a list of one as a
 * bare object, and the decoder: a doc, `doc.error` with its type/object/msg, or unreadable.
 */
import { describe, expect, it } from "vitest";
import { attr, decodeEnvelope, docId, isOk, rows, text } from "../../../src/providers/billmgr/envelope.js";

const json = (value: unknown): string => JSON.stringify(value);

describe("the $ mapping", () => {
  it("reads an element's text from $, bare strings and numbers, and a one-element array", () => {
    expect(text({ $: "vds.example" })).toBe("vds.example");
    expect(text("plain")).toBe("plain");
    expect(text(12)).toBe("12");
    expect(text([{ $: "wrapped" }])).toBe("wrapped");
    expect(text({})).toBeUndefined();
    expect(text(undefined)).toBeUndefined();
    expect(text(null)).toBeUndefined();
  });

  it("reads attributes as $-prefixed keys", () => {
    expect(attr({ $id: "S1", $level: "16", $: "S1" }, "id")).toBe("S1");
    expect(attr({ $: "x" }, "type")).toBeUndefined();
    expect(attr("x", "type")).toBeUndefined();
  });

  it("normalises a repeated element: a list stays, one row as an object becomes a list of one, none is empty", () => {
    expect(rows([{ id: { $: "1" } }, { id: { $: "2" } }])).toHaveLength(2);
    expect(rows({ id: { $: "1" } })).toEqual([{ id: { $: "1" } }]);
    expect(rows(undefined)).toEqual([]);
    expect(rows(null)).toEqual([]);
  });

  it("reads doc.ok and doc.id", () => {
    expect(isOk({ ok: {} })).toBe(true);
    expect(isOk({ ok: { $: "func=gotoserver" } })).toBe(true);
    expect(isOk({})).toBe(false);
    expect(docId({ id: { $: "1042" } })).toBe("1042");
    expect(docId({ id: { $: " " } })).toBeUndefined();
    expect(docId({})).toBeUndefined();
  });
});

describe("decodeEnvelope", () => {
  it("reads a document", () => {
    expect(decodeEnvelope(json({ doc: { ok: {} } }))).toEqual({ kind: "doc", doc: { ok: {} } });
  });

  it("reads doc.error as the type, the object and the message", () => {
    const body = json({ doc: { error: { $type: "exist", $object: "domain", $lang: "en", msg: { $: "The domain already exists" } } } });
    expect(decodeEnvelope(body)).toEqual({ kind: "error", type: "exist", object: "domain", msg: "The domain already exists" });
    expect(decodeEnvelope(json({ doc: { error: { msg: { $: "" } } } }))).toEqual({ kind: "error", type: "unknown", object: null, msg: "no message given" });
  });

  it("calls anything else unreadable, saying what it was", () => {
    expect(decodeEnvelope("")).toEqual({ kind: "unreadable", detail: "an empty body" });
    expect(decodeEnvelope("<!DOCTYPE html><html>login</html>")).toEqual({ kind: "unreadable", detail: "a body that is not JSON (an HTML page)" });
    expect(decodeEnvelope('<?xml version="1.0"?><doc><ok/></doc>')).toMatchObject({ detail: expect.stringMatching(/out=json was ignored/) });
    expect(decodeEnvelope("[1]")).toEqual({ kind: "unreadable", detail: "JSON that is not an object" });
    expect(decodeEnvelope(json({ ok: true }))).toMatchObject({ kind: "unreadable", detail: expect.stringMatching(/without a doc/) });
    expect(decodeEnvelope("{oops").kind).toBe("unreadable");
  });
});
