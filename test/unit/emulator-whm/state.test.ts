import { describe, expect, it } from "vitest";
import { defaultWhmState, validateWhmState } from "../../../src/emulator/whm/model/state.js";

describe("defaultWhmState", () => {
  it("has the default package and two sized ones, no accounts, uids from 1001", () => {
    const state = defaultWhmState();
    expect(state.packages.map((p) => p.name)).toEqual(["default", "starter", "business"]);
    expect(state.packages[0]).toMatchObject({ QUOTA: "unlimited", BWLIMIT: "unlimited", MAXADDON: 0 });
    expect(state).toMatchObject({ version: 1, nextUid: 1001, accounts: [] });
    expect(validateWhmState(state)).toEqual(state);
  });
});

describe("validateWhmState", () => {
  it("round-trips a full state unchanged", () => {
    const state = validateWhmState({ accounts: [{ user: "acme", domain: "Acme.Example", plan: "starter", suspended: true, suspendreason: "x", suspendtime: 5 }] });
    expect(state.accounts[0]).toMatchObject({ domain: "acme.example", uid: 1001, suspended: true, suspendtime: 5, limits: { maxpop: 10 } });
    expect(validateWhmState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it("keeps the given packages only, filling their defaults, and clears suspension fields of active accounts", () => {
    const state = validateWhmState({ packages: [{ name: "tiny", QUOTA: 10 }], accounts: [{ user: "a", domain: "a.example", plan: "tiny", suspendreason: "stale" }] });
    expect(state.packages).toEqual([expect.objectContaining({ name: "tiny", QUOTA: 10, BWLIMIT: 1048576, HASSHELL: "n" })]);
    expect(state.accounts[0]).toMatchObject({ suspended: false, suspendreason: null, suspendtime: null, limits: { quotaMb: 10 } });
  });

  it("keeps uids growing past pinned ones and nextUid", () => {
    const state = validateWhmState({ nextUid: 1500, accounts: [{ user: "a", domain: "a.example" }, { user: "b", domain: "b.example", uid: 1600 }] });
    expect(state.accounts.map((a) => a.uid)).toEqual([1601, 1600]);
    expect(state.nextUid).toBe(1602);
  });

  it.each([
    [[], /expected an object/],
    [{ version: 2 }, /version 2 is not supported/],
    [{ packages: [{ name: "p", QUOTA: -1 }] }, /packages\[0\]\.QUOTA: -1 is not an integer ≥ 0 or "unlimited"/],
    [{ packages: [{ name: "p", HASSHELL: "yes" }] }, /packages\[0\]\.HASSHELL: "yes" is not "y" or "n"/],
    [{ packages: [{ name: "p", COLOUR: "red" }] }, /unknown field "COLOUR"/],
    [{ packages: [{ name: "p" }, { name: "p" }] }, /two entries have name "p"/],
    [{ accounts: [{ user: "testx", domain: "t.example" }] }, /accounts\[0\]\.user: .*“test”/],
    [{ accounts: [{ user: "a" }] }, /accounts\[0\]\.domain must be a string/],
    [{ accounts: [{ user: "a", domain: "a.example", limits: { maxpop: "many" } }] }, /limits\.maxpop: "many"/],
    [{ accounts: [{ user: "a", domain: "a.example", limits: { maxcats: 1 } }] }, /unknown limit "maxcats"/],
    [{ accounts: [{ user: "a", domain: "a.example", uid: 7 }, { user: "b", domain: "b.example", uid: 7 }] }, /two entries have uid 7/],
    [{ accounts: [{ user: "acmecorp1", domain: "a.example" }, { user: "acmecorp2", domain: "b.example" }] }, /share their first 8 characters/],
  ])("refuses %j", (raw, message) => {
    expect(() => validateWhmState(raw)).toThrow(message);
  });
});
