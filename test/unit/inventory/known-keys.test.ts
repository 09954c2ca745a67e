import { describe, expect, it } from "vitest";
import { KEY_MARKER, KnownKeys, maskKnownKeys, maskKnownKeysIn, rememberKnownKeys } from "../../../src/inventory/known-keys.js";
import { clearTextHost, credentialsIn, isLoopbackHost } from "../../../src/inventory/url-credentials.js";

const KEY = "3f9a0c1b2d3e4f5061728394a5b6c7d8";
const keys = KnownKeys.from([{ server: "fra1", variable: "FRA1_KEY" }, { server: "ams1", variable: "AMS1_KEY" }], { FRA1_KEY: ` ${KEY}\n`, AMS1_KEY: "short" });

describe("KnownKeys", () => {
  it("holds the trimmed values of the named variables that are long enough", () => {
    expect(keys.size).toBe(1);
    expect(keys.all()).toEqual([{ server: "fra1", variable: "FRA1_KEY", value: KEY }]);
  });

  it("finds a key as written, in upper case and in dashed or spaced groups, and nothing else", () => {
    expect(keys.foundIn(`see ${KEY}.`)?.server).toBe("fra1");
    expect(keys.foundIn(KEY.toUpperCase().replace(/(.{4})(?=.)/g, "$1-"))?.variable).toBe("FRA1_KEY");
    expect(keys.foundIn(KEY.replace(/(.{8})(?=.)/g, "$1 "))).toBeDefined();
    expect(keys.foundIn(KEY.slice(0, -1))).toBeUndefined();
    expect(keys.foundIn("short")).toBeUndefined();
  });

  it("masks every occurrence in every form, keeping the text around it", () => {
    const grouped = KEY.toUpperCase().replace(/(.{8})(?=.)/g, "$1-");
    expect(keys.mask(`a ${KEY} b ${grouped} c`)).toBe(`a ${KEY_MARKER} b ${KEY_MARKER} c`);
    expect(keys.mask("nothing here")).toBe("nothing here");
  });

  it("keys with regular-expression characters are matched literally", () => {
    const odd = KnownKeys.from([{ server: "bm", variable: "BM_PASSWORD" }], { BM_PASSWORD: "p(a)s+s*w.o?r[d]" });
    expect(odd.mask("x p(a)s+s*w.o?r[d] y")).toBe(`x ${KEY_MARKER} y`);
    expect(odd.mask("x pasxswxoxrxd y")).toBe("x pasxswxoxrxd y");
  });

  it("the process-wide set masks what it was given and only grows", () => {
    const mine = "only-in-this-test-0123456789";
    expect(maskKnownKeys(`x ${mine}`)).toBe(`x ${mine}`);
    const report = { id: 1, lines: [`x ${mine}`, { nested: mine }], at: null };
    expect(maskKnownKeysIn(report)).toBe(report);
    rememberKnownKeys(KnownKeys.from([{ server: "s", variable: "V" }], { V: mine }));
    rememberKnownKeys(new KnownKeys([]));
    expect(maskKnownKeys(`x ${mine}`)).toBe(`x ${KEY_MARKER}`);
    expect(maskKnownKeysIn(report)).toEqual({ id: 1, lines: [`x ${KEY_MARKER}`, { nested: KEY_MARKER }], at: null });
    expect(report.lines[0]).toBe(`x ${mine}`);
  });
});

describe("url credentials", () => {
  it("reads userinfo, credential parameters and fragments, also from a URL that does not parse", () => {
    expect(credentialsIn("https://u:p@host/soap", keys)).toEqual({ userinfo: true, params: [], unnamed: false, fragment: false });
    expect(credentialsIn("https://host:bad port/soap?authkey=x&lang=en&api_token=y", keys)).toEqual({ userinfo: false, params: ["authkey", "api_token"], unnamed: false, fragment: false });
    expect(credentialsIn(`https://host/soap#${KEY}`, keys).fragment).toBe(true);
    expect(credentialsIn("https://host/soap#top", keys).fragment).toBe(false);
    expect(credentialsIn("https://host/soap?lang=en", keys)).toEqual({ userinfo: false, params: [], unnamed: false, fragment: false });
  });

  it("loopback hosts", () => {
    for (const host of ["localhost", "LOCALHOST", "api.localhost", "127.0.0.1", "127.1.2.3", "[::1]", "::1", "localhost."]) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["10.0.0.1", "example.com", "localhost.example.com", "128.0.0.1", "[::2]"]) expect(isLoopbackHost(host), host).toBe(false);
  });

  it("clear text only for http:// to another machine", () => {
    expect(clearTextHost("http://fra1.example.net/soap")).toBe("fra1.example.net");
    expect(clearTextHost("http://127.0.0.1:8080/soap")).toBeNull();
    expect(clearTextHost("https://fra1.example.net/soap")).toBeNull();
    expect(clearTextHost("not a url")).toBeNull();
  });
});
