import { describe, expect, it } from "vitest";
import { fault } from "./harness.js";
import {
  allParams,
  normaliseParam,
  paramSpec,
  serviceNames,
} from "../../../src/emulator/apiscp/model/catalog.js";
import { isSealed } from "../../../src/emulator/apiscp/model/secrets.js";

describe("service catalogue", () => {
  it("lists every service of the contract", () => {
    expect(serviceNames().sort()).toEqual(
      [
        "aliases", "apache", "auth", "bandwidth", "billing", "cgroup", "crontab", "diskquota", "dns", "ftp",
        "ipinfo", "mail", "mysql", "pgsql", "siteinfo", "spamfilter", "ssh", "ssl", "users",
      ].sort(),
    );
  });

  it("marks exactly the passwords and provider keys secret", () => {
    const secrets = allParams().filter((p) => p.spec.secret).map((p) => `${p.service}.${p.param}`);
    expect(secrets.sort()).toEqual(["auth.cpasswd", "auth.tpasswd", "dns.key", "mail.key"]);
  });

  it("faults on an unknown service or parameter, naming it", () => {
    expect(fault(() => paramSpec("nosuch", "x"))).toBe("unknown service `nosuch'");
    expect(fault(() => paramSpec("siteinfo", "colour"))).toBe("unknown service parameter `siteinfo.colour'");
    expect(fault(() => paramSpec("constructor", "x"))).toBe("unknown service `constructor'");
    expect(fault(() => paramSpec("ssh", "__proto__"))).toBe("unknown service parameter `ssh.__proto__'");
  });
});

describe("normalising values", () => {
  it.each([
    [true, 1],
    [false, 0],
    [1, 1],
    [0, 0],
    ["1", 1],
    ["0", 0],
  ])("stores the flag %j as %j", (given, stored) => {
    expect(normaliseParam("ssh", "enabled", given)).toBe(stored);
  });

  it.each([["yes"], ["true"], [""], [2], [null], [[]]])("refuses the flag %j, naming ssh.enabled", (given) => {
    expect(fault(() => normaliseParam("ssh", "enabled", given))).toMatch(
      /^invalid value .* for `ssh\.enabled': expected a boolean/,
    );
  });

  it("accepts numeric strings for numbers and keeps floats where allowed", () => {
    expect(normaliseParam("diskquota", "quota", "5000")).toBe(5000);
    expect(normaliseParam("diskquota", "quota", "2.5")).toBe(2.5);
    expect(normaliseParam("diskquota", "quota", null)).toBeNull();
    expect(normaliseParam("cgroup", "proclimit", "4096")).toBe(4096);
  });

  it("enforces ranges and integers, naming service.param and the value", () => {
    expect(fault(() => normaliseParam("cgroup", "proclimit", 4097))).toBe(
      "invalid value 4097 for `cgroup.proclimit': must be at most 4096",
    );
    expect(fault(() => normaliseParam("mysql", "dbasenum", 1000))).toBe(
      "invalid value 1000 for `mysql.dbasenum': must be at most 999",
    );
    expect(fault(() => normaliseParam("mysql", "dbasenum", 1.5))).toBe(
      "invalid value 1.5 for `mysql.dbasenum': expected an integer",
    );
    expect(fault(() => normaliseParam("diskquota", "quota", -1))).toBe(
      "invalid value -1 for `diskquota.quota': must be at least 0",
    );
    expect(fault(() => normaliseParam("diskquota", "quota", "lots"))).toBe(
      "invalid value \"lots\" for `diskquota.quota': expected a number",
    );
    expect(fault(() => normaliseParam("diskquota", "quota", true))).toMatch(/`diskquota\.quota'/);
  });

  it("checks units, providers and the spam filter", () => {
    expect(normaliseParam("bandwidth", "units", "TB")).toBe("TB");
    expect(fault(() => normaliseParam("diskquota", "units", "XB"))).toBe(
      "invalid value \"XB\" for `diskquota.units': expected one of B, KB, MB, GB, TB",
    );
    expect(fault(() => normaliseParam("diskquota", "units", "gb"))).toMatch(/diskquota\.units/);
    expect(normaliseParam("spamfilter", "provider", "spamassassin")).toBe("spamassassin");
    expect(fault(() => normaliseParam("spamfilter", "provider", "bogofilter"))).toMatch(/`spamfilter\.provider'/);
    expect(normaliseParam("dns", "provider", "cloudflare")).toBe("cloudflare");
  });

  it("lowercases hostnames and refuses invalid ones", () => {
    expect(normaliseParam("siteinfo", "domain", "Example.COM")).toBe("example.com");
    for (const bad of ["localhost", "-a.com", "a..com", "exa mple.com", "1.2.3.4", "a.c", 42]) {
      expect(fault(() => normaliseParam("siteinfo", "domain", bad))).toMatch(/for `siteinfo\.domain'/);
    }
  });

  it("validates admin users", () => {
    expect(normaliseParam("siteinfo", "admin_user", "bob_2")).toBe("bob_2");
    for (const bad of ["Bob", "2bob", "bob-x", "", "a".repeat(33)]) {
      expect(fault(() => normaliseParam("siteinfo", "admin_user", bad))).toMatch(/for `siteinfo\.admin_user'/);
    }
  });

  it("takes an e-mail address or a list of them, keeping the shape", () => {
    expect(normaliseParam("siteinfo", "email", "a@example.com")).toBe("a@example.com");
    expect(normaliseParam("siteinfo", "email", ["a@example.com", "b@example.org"])).toEqual([
      "a@example.com",
      "b@example.org",
    ]);
    expect(fault(() => normaliseParam("siteinfo", "email", "not-an-email"))).toMatch(/`siteinfo\.email'/);
    expect(fault(() => normaliseParam("siteinfo", "email", []))).toMatch(/`siteinfo\.email'/);
    expect(fault(() => normaliseParam("siteinfo", "email", ["a@example.com", "x"]))).toMatch(
      /"x" is not a valid e-mail/,
    );
  });

  it("takes alias lists of hostnames only, lowercased, each once", () => {
    expect(normaliseParam("aliases", "aliases", ["A.example.com", "b.example.com"])).toEqual([
      "a.example.com",
      "b.example.com",
    ]);
    expect(normaliseParam("aliases", "aliases", [])).toEqual([]);
    expect(fault(() => normaliseParam("aliases", "aliases", "a.example.com"))).toMatch(/expected a list of hostnames/);
    expect(fault(() => normaliseParam("aliases", "aliases", ["ok.com", "bad_host"]))).toMatch(
      /"bad_host" is not a valid hostname/,
    );
    expect(fault(() => normaliseParam("aliases", "aliases", ["a.com", "A.com"]))).toMatch(/`a\.com' is listed twice/);
  });

  it("requires database prefixes ending in an underscore", () => {
    expect(normaliseParam("mysql", "dbaseprefix", "shop_")).toBe("shop_");
    expect(fault(() => normaliseParam("pgsql", "dbaseprefix", "shop"))).toMatch(/`pgsql\.dbaseprefix'/);
  });

  it("takes invoices as tokens or null", () => {
    expect(normaliseParam("billing", "invoice", "INV-1")).toBe("INV-1");
    expect(normaliseParam("billing", "parent_invoice", null)).toBeNull();
    expect(fault(() => normaliseParam("billing", "invoice", "has space"))).toMatch(/`billing\.invoice'/);
    expect(fault(() => normaliseParam("billing", "invoice", 123))).toMatch(/`billing\.invoice'/);
  });

  it("seals secrets and never repeats them in a fault", () => {
    const sealed = normaliseParam("auth", "tpasswd", "correct horse battery");
    expect(typeof sealed === "string" && isSealed(sealed)).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain("horse");
    const message = fault(() => normaliseParam("auth", "tpasswd", "short"));
    expect(message).toBe(
      "invalid value (secret not shown) for `auth.tpasswd': expected a password of at least 8 characters",
    );
    expect(message).not.toContain("short\"");
    expect(fault(() => normaliseParam("auth", "cpasswd", "plaintext"))).not.toContain("plaintext");
    expect(normaliseParam("dns", "key", null)).toBeNull();
  });
});
