import { describe, expect, it } from "vitest";
import { checkHost, isLoopbackHost, urlHost } from "../../../src/emulator/apiscp/server/options.js";
import { CallCounter } from "../../../src/emulator/apiscp/server/calllog.js";

describe("loopback check", () => {
  it.each(["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"])(
    "%s is loopback",
    (host) => expect(isLoopbackHost(host)).toBe(true),
  );

  it.each(["0.0.0.0", "::", "10.0.0.1", "192.168.1.1", "example.com", "::2", "128.0.0.1"])("%s is not", (host) =>
    expect(isLoopbackHost(host)).toBe(false),
  );

  it("refuses a non-loopback address unless allowed, and brackets IPv6 in URLs", () => {
    expect(() => checkHost("0.0.0.0", false)).toThrow(/loopback only/);
    expect(checkHost("0.0.0.0", true)).toBe("0.0.0.0");
    expect(checkHost("[::1]", false)).toBe("::1");
    expect(urlHost("::1")).toBe("[::1]");
    expect(urlHost("127.0.0.1")).toBe("127.0.0.1");
  });
});

describe("CallCounter", () => {
  it("counts per method and in total, and resets", () => {
    const calls = new CallCounter();
    calls.record("admin_collect");
    calls.record("admin_collect");
    calls.record(undefined);
    expect(calls.total).toBe(3);
    expect(calls.count("admin_collect")).toBe(2);
    expect(calls.byMethod()).toEqual({ admin_collect: 2 });
    calls.reset();
    expect(calls.total).toBe(0);
    expect(calls.byMethod()).toEqual({});
  });
});
