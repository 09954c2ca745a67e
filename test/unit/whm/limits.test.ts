/**
 * limits.ts: every WHM spelling of a limit reads as the one form the planner compares, and
 * that form goes back out as the parameter WHM reads the same way. Zero is "unlimited" for
 * sizes and zero for counts, in both directions.
 */
import { describe, expect, it } from "vitest";
import {
  LIMITS,
  LimitValueError,
  UNLIMITED,
  limitParam,
  limitSpec,
  mbToBytes,
  readAccountShell,
  readBytesAsMb,
  readCount,
  readLimit,
  readPackageSwitch,
  readSizeMb,
  readUsedMb,
  toLimit,
  type LimitSpec,
} from "../../../src/providers/whm/limits.js";

function spec(field: string): LimitSpec {
  const found = limitSpec(field);
  if (found === undefined) throw new Error(`no spec for ${field}`);
  return found;
}

describe("sizes in MB (disk quota, bandwidth limit)", () => {
  it("reads listaccts' disklimit and listpkgs' QUOTA forms as whole MB", () => {
    expect(readSizeMb("5120M")).toBe(5120);
    expect(readSizeMb("5120")).toBe(5120);
    expect(readSizeMb(5120)).toBe(5120);
    expect(readSizeMb(" 20 M ")).toBe(20);
  });

  it("reads 0 and unlimited as unlimited, as WHM means them", () => {
    for (const value of ["unlimited", "Unlimited", 0, "0", "0M"]) expect(readSizeMb(value)).toBe(UNLIMITED);
  });

  it("reads what is not a size as not reported", () => {
    for (const value of ["*unknown*", "", null, undefined, -5, "5G", {}, true]) expect(readSizeMb(value)).toBeNull();
  });

  it("reads showbw's limit in bytes as MB, keeping a fraction so an odd byte limit shows as a change", () => {
    expect(readBytesAsMb(mbToBytes(20000))).toBe(20000);
    expect(readBytesAsMb(String(mbToBytes(7)))).toBe(7);
    expect(readBytesAsMb(0)).toBe(UNLIMITED);
    expect(readBytesAsMb("unlimited")).toBe(UNLIMITED);
    expect(readBytesAsMb(1024 * 1024 + 512 * 1024)).toBe(1.5);
    expect(readBytesAsMb("12M")).toBeNull();
  });

  it("sends unlimited as 0 and a number as itself", () => {
    expect(limitParam(spec("limits.disk_mb"), UNLIMITED)).toBe(0);
    expect(limitParam(spec("limits.bandwidth_mb"), UNLIMITED)).toBe(0);
    expect(limitParam(spec("limits.disk_mb"), 5120)).toBe(5120);
  });

  it("round-trips: what is sent reads back as what was written", () => {
    for (const written of [1, 5120, UNLIMITED] as const) {
      const sent = limitParam(spec("limits.disk_mb"), toLimit("limits.disk_mb", written));
      // editquota's MB come back through listaccts as "NNNNM" (or "unlimited" for 0).
      const reported = sent === 0 ? "unlimited" : `${String(sent)}M`;
      expect(readSizeMb(reported)).toBe(written);
      // limitbw's MB come back through showbw in bytes.
      expect(readBytesAsMb(typeof sent === "number" ? mbToBytes(sent) : sent)).toBe(written);
    }
  });
});

describe("counts (mailboxes, databases, …)", () => {
  it("keeps 0 as 0 and unlimited as unlimited", () => {
    expect(readCount(0)).toBe(0);
    expect(readCount("0")).toBe(0);
    expect(readCount("50")).toBe(50);
    expect(readCount("unlimited")).toBe(UNLIMITED);
    expect(readCount("*unknown*")).toBeNull();
    expect(readCount("50M")).toBeNull();
  });

  it("sends them as they are", () => {
    expect(limitParam(spec("limits.mailboxes"), 0)).toBe(0);
    expect(limitParam(spec("limits.mailboxes"), UNLIMITED)).toBe(UNLIMITED);
    expect(limitParam(spec("limits.databases"), 10)).toBe(10);
  });

  it("reads a field by its unit", () => {
    expect(readLimit(spec("limits.mailboxes"), 0)).toBe(0);
    expect(readLimit(spec("limits.disk_mb"), 0)).toBe(UNLIMITED);
  });
});

describe("the limit table", () => {
  it("names every limit field once, each with a way to read and to set it", () => {
    const fields = LIMITS.map((l) => l.field);
    expect(new Set(fields).size).toBe(fields.length);
    expect(fields.sort()).toEqual([
      "limits.addon_domains",
      "limits.bandwidth_mb",
      "limits.databases",
      "limits.disk_mb",
      "limits.ftp_accounts",
      "limits.mailboxes",
      "limits.parked_domains",
      "limits.subdomains",
    ]);
    // Only the bandwidth limit is missing from listaccts (it comes from showbw).
    expect(LIMITS.filter((l) => l.accountField === null).map((l) => l.field)).toEqual(["limits.bandwidth_mb"]);
  });
});

describe("plan values", () => {
  it("takes whole numbers, digit strings and unlimited", () => {
    expect(toLimit("limits.disk_mb", 10)).toBe(10);
    expect(toLimit("limits.disk_mb", "10")).toBe(10);
    expect(toLimit("limits.disk_mb", "unlimited")).toBe(UNLIMITED);
  });

  it("refuses anything else, naming the field", () => {
    expect(() => toLimit("limits.disk_mb", 1.5)).toThrow(LimitValueError);
    expect(() => toLimit("limits.disk_mb", "lots")).toThrow(/limits\.disk_mb must be a whole number or "unlimited"/);
    expect(() => toLimit("limits.disk_mb", null)).toThrow(LimitValueError);
  });
});

describe("usage and switches", () => {
  it("reads usage in MB, where 0 is nothing used", () => {
    expect(readUsedMb("14M", "mb")).toBe(14);
    expect(readUsedMb("0M", "mb")).toBe(0);
    expect(readUsedMb(mbToBytes(3), "bytes")).toBe(3);
    expect(readUsedMb("none", "mb")).toBeNull();
  });

  it("reads an account's shell path as access or none", () => {
    expect(readAccountShell("/bin/bash")).toBe(true);
    expect(readAccountShell("/usr/local/cpanel/bin/jailshell")).toBe(true);
    expect(readAccountShell("/usr/local/cpanel/bin/noshell")).toBe(false);
    expect(readAccountShell("/sbin/nologin")).toBe(false);
    expect(readAccountShell("/bin/false")).toBe(false);
    expect(readAccountShell("")).toBeNull();
    expect(readAccountShell(undefined)).toBeNull();
  });

  it("reads a package's y/n switch", () => {
    expect(readPackageSwitch("y")).toBe(true);
    expect(readPackageSwitch("n")).toBe(false);
    expect(readPackageSwitch(1)).toBe(true);
    expect(readPackageSwitch("0")).toBe(false);
    expect(readPackageSwitch("maybe")).toBeNull();
  });
});
