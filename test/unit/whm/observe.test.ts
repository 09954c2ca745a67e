/**
 * observe.ts: a listaccts row (and its showbw line) as an ObservedResource: uid as id, domain
 * as name, suspension time and reason, only the requested fields (plus the identity ones) in
 * limits.ts' form, and the listaccts fields and calls a set of fields needs.
 */
import { describe, expect, it } from "vitest";
import { mbToBytes } from "../../../src/providers/whm/limits.js";
import { needsBandwidth, observedAccount, observedAccounts, readFields, suspendReason, suspendedSince, wantFor } from "../../../src/providers/whm/observe.js";
import { readAccounts, readBandwidth } from "../../../src/providers/whm/results.js";

const acct = (extra: Record<string, unknown> = {}) => ({
  uid: "1001",
  user: "acme",
  domain: "Acme.example",
  email: "owner@acme.example",
  plan: "starter",
  suspended: 0,
  suspendreason: "not suspended",
  suspendtime: null,
  disklimit: "unlimited",
  diskused: "14M",
  maxpop: "50",
  maxsql: "*unknown*",
  maxaddons: 0,
  shell: "/bin/bash",
  ...extra,
});

function one(raw: Record<string, unknown>) {
  const [row] = readAccounts({ acct: [raw] });
  if (row === undefined) throw new Error("no row");
  return row;
}

describe("observedAccount", () => {
  it("has the uid as id, the domain as name, and the identity fields whatever was asked", () => {
    expect(observedAccount("cp1", one(acct()), undefined, [])).toEqual({
      server: "cp1",
      kind: "whm/account",
      id: "1001",
      name: "Acme.example",
      state: "active",
      fields: { account: { domain: "Acme.example", package: "starter", user: "acme" } },
    });
  });

  it("reads the requested limits in one form, leaving out what WHM does not know", () => {
    const fields = ["account.email", "limits.disk_mb", "limits.mailboxes", "limits.databases", "limits.addon_domains", "shell.enabled", "usage.disk_mb"];
    expect(observedAccount("cp1", one(acct()), undefined, fields).fields).toEqual({
      account: { domain: "Acme.example", email: "owner@acme.example", package: "starter", user: "acme" },
      limits: { addon_domains: 0, disk_mb: "unlimited", mailboxes: 50 },
      shell: { enabled: true },
      usage: { disk_mb: 14 },
    });
  });

  it("takes the bandwidth limit and use from showbw, in MB", () => {
    const [line] = readBandwidth({ acct: [{ user: "acme", limit: String(mbToBytes(20000)), totalbytes: mbToBytes(3) }] });
    const fields = ["limits.bandwidth_mb", "usage.bandwidth_mb"];
    expect(observedAccount("cp1", one(acct()), line, fields).fields).toMatchObject({ limits: { bandwidth_mb: 20000 }, usage: { bandwidth_mb: 3 } });
    // Without a line, the bandwidth is not reported rather than guessed.
    expect(observedAccount("cp1", one(acct()), undefined, fields).fields).not.toHaveProperty("limits");
  });

  it("reads a suspension with its time and reason; an unknown contact address is no address", () => {
    const suspended = observedAccount("cp1", one(acct({ suspended: 1, suspendtime: 1_800_000_000, suspendreason: "siteform: cancelled on 2026-01-01", email: "*unknown*" })), undefined, ["account.email"]);
    expect(suspended.state).toBe("suspended");
    expect(suspended.suspension).toEqual({ since: "2027-01-15T08:00:00.000Z", reason: "siteform: cancelled on 2026-01-01" });
    expect(suspended.fields.account).not.toHaveProperty("email");
  });

  it("orders accounts by uid, numerically", () => {
    const rows = readAccounts({ acct: [acct({ uid: 1010, user: "b", domain: "b.example" }), acct({ uid: 999, user: "a", domain: "a.example" })] });
    expect(observedAccounts("cp1", rows, null, []).map((r) => r.id)).toEqual(["999", "1010"]);
  });
});

describe("what a read asks for", () => {
  it("wants the identifying fields and those the requested fields come from", () => {
    expect(wantFor(readFields(["limits.disk_mb", "shell.enabled"])).sort()).toEqual(
      ["disklimit", "domain", "plan", "shell", "suspended", "suspendreason", "suspendtime", "uid", "user"].sort(),
    );
  });

  it("calls showbw only for bandwidth", () => {
    expect(needsBandwidth(["limits.disk_mb", "limits.mailboxes"])).toBe(false);
    expect(needsBandwidth(["limits.bandwidth_mb"])).toBe(true);
    expect(needsBandwidth(["usage.bandwidth_mb"])).toBe(true);
  });

  it("reads WHM's suspension fields", () => {
    expect(suspendedSince("1800000000")).toBe("2027-01-15T08:00:00.000Z");
    expect(suspendedSince(null)).toBeNull();
    expect(suspendedSince(0)).toBeNull();
    expect(suspendReason("not suspended")).toBeNull();
    expect(suspendReason("")).toBeNull();
    expect(suspendReason(null)).toBeNull();
    expect(suspendReason("abuse")).toBe("abuse");
  });
});
