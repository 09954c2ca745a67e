/**
 * Which settings an import moves into a plan it generates: a value at least two resources and
 * more than half of them write, and only when every resource left at the template's default
 * can write its own value instead.
 */
import { describe, expect, it } from "vitest";
import { settingsCount, sharedSettings, type SharingMember } from "../../src/providers/import-sharing.js";

type Value = string | number | boolean | string[];

function member(overrides: Record<string, Record<string, Value>>, carries: (field: string) => boolean = () => true): SharingMember<Value> {
  return { overrides, canCarry: (group, field) => carries(`${group}.${field}`) };
}

describe("sharedSettings", () => {
  it("takes a value more than half of the resources write, at least two of them", () => {
    const shared = sharedSettings([
      member({ disk: { quota: 60 }, mail: { max: 5 } }),
      member({ disk: { quota: 60 } }),
      member({ disk: { quota: 80 } }),
    ]);
    expect(shared).toEqual({ disk: { quota: 60 } });
  });

  it("takes nothing from one resource, or from a half that is not a majority", () => {
    expect(sharedSettings([member({ disk: { quota: 60 } })])).toEqual({});
    expect(sharedSettings([member({ disk: { quota: 60 } }), member({ disk: { quota: 80 } })])).toEqual({});
    expect(sharedSettings([member({ disk: { quota: 60 } }), member({ disk: { quota: 60 } }), member({}), member({})])).toEqual({});
  });

  it("leaves a field out when a resource at the default could not write its own value of it", () => {
    const members = [member({ disk: { quota: 60 } }), member({ disk: { quota: 60 } }), member({}, (field) => field !== "disk.quota")];
    expect(sharedSettings(members)).toEqual({});
    const carrying = [member({ disk: { quota: 60 } }), member({ disk: { quota: 60 } }), member({})];
    expect(sharedSettings(carrying)).toEqual({ disk: { quota: 60 } });
  });

  it("compares lists and scalars by value, keeping the first-named order of fields", () => {
    const shared = sharedSettings([
      member({ dns: { ns: ["a", "b"] }, ssh: { enabled: true } }),
      member({ ssh: { enabled: true }, dns: { ns: ["a", "b"] } }),
      member({ dns: { ns: ["b", "a"] }, ssh: { enabled: "1" } }),
    ]);
    expect(shared).toEqual({ dns: { ns: ["a", "b"] }, ssh: { enabled: true } });
    expect(Object.keys(shared)).toEqual(["dns", "ssh"]);
    expect(settingsCount(shared)).toBe(2);
  });
});
