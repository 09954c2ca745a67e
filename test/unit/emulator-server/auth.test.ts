import { describe, expect, it } from "vitest";
import { Authenticator, generateKey, normalizeKey } from "../../../src/emulator/apiscp/server/auth.js";

const KEY = "0123456789abcdef".repeat(4);
const dashed = (key: string): string => key.toUpperCase().replace(/(.{8})/g, "$1-").replace(/-$/, "");
const as = (key: string | undefined, session?: string, address = "127.0.0.1") => ({ key, session, address });

describe("keys", () => {
  it("generates 64 lowercase hex digits, different each time", () => {
    const a = generateKey();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(generateKey()).not.toBe(a);
  });

  it("normalises dashes and case, and refuses anything else", () => {
    expect(normalizeKey(dashed(KEY))).toBe(KEY);
    expect(normalizeKey(KEY.slice(1))).toBeNull();
    expect(normalizeKey(`${KEY.slice(1)}g`)).toBeNull();
  });
});

describe("Authenticator", () => {
  const sessions = new Set(["sess-1"]);
  const make = (limit = 3, windowSeconds = 60) =>
    new Authenticator(KEY, { limit, windowSeconds }, (id) => sessions.has(id));

  it("accepts the key with dashes and in any case, and a live session", () => {
    const auth = make();
    expect(auth.check(as(dashed(KEY)), 0)).toEqual({ ok: true, as: "admin" });
    expect(auth.check(as(undefined, "sess-1"), 0)).toEqual({ ok: true, as: "session" });
  });

  it("refuses a wrong or missing key and an unknown session with a readable reason", () => {
    const auth = make(100);
    expect(auth.check(as("f".repeat(64)), 0)).toMatchObject({ ok: false, reason: "invalid-key", message: "Invalid API key" });
    expect(auth.check(as(undefined), 0)).toMatchObject({ ok: false, reason: "missing", message: /Auth-Key/ });
    expect(auth.check(as(undefined, "sess-2"), 0)).toMatchObject({ ok: false, reason: "invalid-session" });
    // A key given wins over a cookie: a wrong key is not rescued by a valid session.
    expect(auth.check(as("bad", "sess-1"), 0)).toMatchObject({ ok: false, reason: "invalid-key" });
  });

  it("blocks an address after the limit, even for the right key, until failures age out", () => {
    const auth = make(3, 60);
    for (let t = 0; t < 3; t++) expect(auth.check(as("bad"), 100 + t).ok).toBe(false);
    const blocked = auth.check(as(KEY), 103);
    expect(blocked).toMatchObject({ ok: false, reason: "blocked", message: /127\.0\.0\.1.*57 more seconds/ });
    expect(auth.check(as(KEY, undefined, "127.0.0.2"), 103).ok).toBe(true); // other addresses unaffected
    expect(auth.check(as(KEY), 159).ok).toBe(false);
    expect(auth.check(as(KEY), 160)).toEqual({ ok: true, as: "admin" }); // the first failure aged out
  });
});
