/**
 * How the ApisCP provider turns an Op into call arguments, without a server: the positional
 * domain and admin user of a create, the flat dotted opts, the wire encoding of values, the
 * site argument, and the refusal to send a redacted secret.
 */
import { describe, expect, it } from "vitest";
import type { FieldChange, Op } from "../../../src/model/op.js";
import { addSiteCall, deleteFilters, deleteFilterText, OpShapeError, siteArgument, siteOpts, wireValue } from "../../../src/providers/apiscp/op-calls.js";

function op(partial: Partial<Op> & Pick<Op, "action">, changes: FieldChange[] = []): Op {
  return {
    id: `fra1:${partial.action}:a.example`,
    server: "fra1",
    kind: "apiscp/site",
    target: { id: null, name: "a.example", key: "sites/a.yaml", source: null },
    changes,
    flags: {},
    dependsOn: [],
    preconditions: { exists: false, id: null, free: [{ key: "admin user", namespace: "admin user", value: "acme" }], fields: {} },
    reason: "test",
    notes: [],
    ...partial,
  };
}

const change = (field: string, after: FieldChange["after"]): FieldChange => ({ field, before: null, after });

describe("wire values", () => {
  it("sends flags as 1/0 and keeps strings, numbers, null and lists", () => {
    expect(wireValue(true)).toBe(1);
    expect(wireValue(false)).toBe(0);
    expect(wireValue("5000")).toBe("5000");
    expect(wireValue(25)).toBe(25);
    expect(wireValue(null)).toBeNull();
    expect(wireValue(["a.example", "b.example"])).toEqual(["a.example", "b.example"]);
    expect(wireValue({ nested: [true, "x"] })).toEqual({ nested: [1, "x"] });
  });
});

describe("create", () => {
  it("puts domain and admin user in position and everything else in flat opts", () => {
    const create = op({ action: "create", flags: { template: "business" } }, [
      change("siteinfo.domain", "new.example"),
      change("siteinfo.admin_user", "newadmin"),
      change("siteinfo.plan", "business"),
      change("ssh.enabled", false),
      change("aliases.aliases", ["www.new.example"]),
    ]);
    expect(addSiteCall(create)).toEqual({
      domain: "new.example",
      adminUser: "newadmin",
      opts: { "siteinfo.plan": "business", "ssh.enabled": 0, "aliases.aliases": ["www.new.example"] },
      plan: "business",
    });
  });

  it("falls back to the preconditions and target for domain and admin user", () => {
    const create = op({
      action: "create",
      preconditions: {
        exists: false,
        id: null,
        free: [
          { key: "domain", namespace: "domain", value: "free.example" },
          { key: "admin user", namespace: "admin user", value: "freeadmin" },
        ],
        fields: {},
      },
    });
    expect(addSiteCall(create)).toMatchObject({ domain: "free.example", adminUser: "freeadmin", opts: {}, plan: undefined });
  });

  it("refuses a create without an admin user", () => {
    const create = op({ action: "create", target: { id: null, name: "a.example", key: null, source: null }, preconditions: { exists: false, id: null, free: [{ key: "domain", namespace: "domain", value: "a.example" }], fields: {} } });
    expect(() => addSiteCall(create)).toThrow(/needs an admin user/);
  });
});

describe("update", () => {
  it("sends a rename as siteinfo.domain and names the site by id", () => {
    const update = op({ action: "update", target: { id: "site4", name: "old.example", key: null, source: null } }, [change("siteinfo.domain", "new.example")]);
    expect(siteOpts(update)).toEqual({ "siteinfo.domain": "new.example" });
    expect(siteArgument(update)).toBe("site4");
  });

  it("names the site by domain when the plan has no id", () => {
    expect(siteArgument(op({ action: "suspend" }))).toBe("a.example");
  });

  it("never sends a redacted secret", () => {
    const update = op({ action: "update" }, [{ field: "auth.tpasswd", before: "[REDACTED]", after: "[REDACTED]", secret: true }]);
    expect(() => siteOpts(update)).toThrow(OpShapeError);
    expect(() => siteOpts(update)).toThrow(/auth\.tpasswd is a secret/);
  });
});

describe("delete filters", () => {
  it("turns the deletion requirement into the server's since/match filters, the owner tag anchored and escaped", () => {
    expect(deleteFilters(op({ action: "delete", flags: { deletion: { suspendedDays: 30, ownerTag: "siteform: cancelled" } } }))).toEqual({ since: "30 days ago", match: "^siteform: cancelled" });
    expect(deleteFilters(op({ action: "delete", flags: { deletion: { suspendedDays: 7, ownerTag: "a.b (c)" } } }))).toEqual({ since: "7 days ago", match: "^a\\.b \\(c\\)" });
    expect(deleteFilters(op({ action: "delete" }))).toEqual({});
  });

  it("quotes the filters the server applied", () => {
    expect(deleteFilterText(op({ action: "delete", flags: { deletion: { suspendedDays: 30, ownerTag: "siteform:" } } }))).toBe("since 30 days ago, match ^siteform:");
    expect(deleteFilterText(op({ action: "delete", flags: { deletion: { suspendedDays: 0, ownerTag: "siteform: unmanaged" } } }))).toBe("since 0 days ago, match ^siteform: unmanaged");
    expect(deleteFilterText(op({ action: "delete" }))).toBe("");
  });
});
