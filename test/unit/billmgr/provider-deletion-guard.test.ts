/**
 * deletion-guard.ts: a service may be deleted only when it is suspended, its last suspension in
 * the history was done by siteform's API user, and that was at least the grace period ago.
 */
import { describe, expect, it } from "vitest";
import { deletionRefusal, historyTimeMs, lastSuspension } from "../../../src/providers/billmgr/deletion-guard.js";
import type { HistoryRow, ServiceRow } from "../../../src/providers/billmgr/results.js";

const service = (itemStatus: ServiceRow["itemStatus"]): ServiceRow => ({
  id: "101",
  itemtype: "vds",
  domain: "shop.example",
  ip: null,
  username: null,
  licname: null,
  pricelist: "12",
  datacenter: null,
  createdate: null,
  expiredate: null,
  autoprolong: null,
  itemStatus,
  itemSubstatus: null,
  statusMsg: null,
  cost: null,
  remoteid: "shop-vps",
  addons: {},
  raw: {},
});

const event = (date: string, user: string, action: string): HistoryRow => ({ date, user, action, raw: {} });
const requirement = { suspendedDays: 30, ownerTag: "siteform:" };
const NOW = Date.parse("2026-03-01T00:00:00Z");

describe("deletionRefusal", () => {
  it("allows siteform's own suspension once the grace period is over", () => {
    expect(deletionRefusal(service(3), [event("2026-01-20 10:00:00", "reseller", "suspend")], requirement, "reseller", NOW)).toBeNull();
  });

  it("refuses a service that is not suspended", () => {
    expect(deletionRefusal(service(2), [event("2026-01-01 00:00:00", "reseller", "suspend")], requirement, "reseller", NOW)).toContain("not suspended");
  });

  it("refuses a suspension by another user, judged by the last suspension", () => {
    const history = [event("2026-01-01 00:00:00", "reseller", "suspend"), event("2026-01-02 00:00:00", "admin", "resume"), event("2026-01-03 00:00:00", "admin", "suspend")];
    expect(deletionRefusal(service(3), history, requirement, "reseller", NOW)).toContain('last suspended by "admin"');
  });

  it("refuses a suspension too recent, on the given clock", () => {
    expect(deletionRefusal(service(3), [event("2026-02-20 00:00:00", "reseller", "suspend")], requirement, "reseller", NOW)).toContain("suspended 9.0 days ago");
  });

  it("refuses when the history shows no suspension or no readable date", () => {
    expect(deletionRefusal(service(3), [event("2026-01-01 00:00:00", "reseller", "open")], requirement, "reseller", NOW)).toContain("no suspension");
    expect(deletionRefusal(service(3), [event("yesterday", "reseller", "suspend")], requirement, "reseller", NOW)).toContain("does not say when");
  });
});

describe("history", () => {
  it("reads BILLmanager's dates as UTC and finds the last suspension, not a resume", () => {
    expect(historyTimeMs("2026-01-20 10:00:00")).toBe(Date.parse("2026-01-20T10:00:00Z"));
    expect(historyTimeMs("2026-01-20")).toBe(Date.parse("2026-01-20T00:00:00Z"));
    const last = lastSuspension([event("2026-01-03 00:00:00", "a", "vds.suspend"), event("2026-01-01 00:00:00", "b", "suspend"), event("2026-01-04 00:00:00", "c", "resume")]);
    expect(last?.row.user).toBe("a");
  });
});
