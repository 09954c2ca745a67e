/**
 * op-calls.ts: an Op's changes as WHM's parameters (rename and contact through modifyacct,
 * counts and shell as the MAX… and HASSHELL parameters, the disk quota and bandwidth in MB with 0 for unlimited)
 * and createacct's arguments; what cannot be sent is refused as a siteform bug.
 */
import { describe, expect, it } from "vitest";
import type { FieldChange, Op } from "../../../src/model/op.js";
import { OpShapeError, accountWork, createCall, identityChanges, opAccountLabel } from "../../../src/providers/whm/op-calls.js";

function op(action: Op["action"], changes: FieldChange[], extra: Partial<Op> = {}): Op {
  return {
    id: `cp1:${action}:acme.example`,
    server: "cp1",
    kind: "whm/account",
    action,
    target: { id: action === "create" ? null : "1001", name: "acme.example", key: "sites/acme.yaml", source: null },
    changes,
    flags: {},
    dependsOn: [],
    preconditions: { exists: action !== "create", id: null, fields: {} },
    reason: "test",
    notes: [],
    ...extra,
  };
}

const set = (field: string, after: FieldChange["after"], before: FieldChange["before"] = null): FieldChange => ({ field, before, after });

describe("accountWork", () => {
  it("splits changes into identity, package and the calls that set limits", () => {
    const work = accountWork(
      op("update", [
        set("account.user", "acme2", "acme"),
        set("account.domain", "acme.test", "acme.example"),
        set("account.email", "new@acme.test"),
        set("limits.disk_mb", "unlimited", 100),
        set("limits.bandwidth_mb", 20000),
        set("limits.mailboxes", 0),
        set("limits.parked_domains", "unlimited"),
        set("shell.enabled", true, false),
      ]),
    );
    expect(work).toEqual({
      user: "acme2",
      domain: "acme.test",
      email: "new@acme.test",
      limits: { modify: { MAXPOP: 0, MAXPARK: "unlimited", HASSHELL: true }, quotaMb: 0, bandwidthMb: 20000 },
    });
  });

  it("takes the package from the template flag too", () => {
    expect(accountWork(op("update", [], { flags: { template: "business" } })).package).toBe("business");
  });

  it("refuses fields the kind cannot set and values that are not limits", () => {
    expect(() => accountWork(op("update", [set("usage.disk_mb", 5)]))).toThrow(OpShapeError);
    expect(() => accountWork(op("update", [set("limits.disk_mb", "lots")]))).toThrow(/whole number or "unlimited"/);
    expect(() => accountWork(op("update", [{ ...set("account.user", "x"), secret: true }]))).toThrow(/secret/);
    expect(() => accountWork(op("update", [set("account.user", null)]))).toThrow(/non-empty text/);
  });
});

describe("createCall", () => {
  it("takes the user, domain, package and contact from the changes, and the limits for after", () => {
    const call = createCall(
      op("create", [set("account.user", "acme"), set("account.domain", "acme.example"), set("account.email", "o@acme.example"), set("account.package", "starter"), set("limits.disk_mb", 5120)], {
        flags: { template: "starter" },
      }),
    );
    expect(call).toEqual({ username: "acme", domain: "acme.example", plan: "starter", contactemail: "o@acme.example", limits: { modify: {}, quotaMb: 5120 } });
  });

  it("falls back to the names the create must find free, and needs a user", () => {
    const free = [{ key: "user", namespace: "user", value: "acme" }];
    expect(createCall(op("create", [], { preconditions: { exists: false, id: null, free, fields: {} } }))).toMatchObject({ username: "acme", domain: "acme.example" });
    expect(() => createCall(op("create", []))).toThrow(/needs a user/);
  });
});

describe("identityChanges", () => {
  it("leaves out what the account already has, so an op sent again does not rename twice", () => {
    const work = { user: "acme2", domain: "acme.test", email: "o@acme.test", limits: { modify: {} } };
    expect(identityChanges(work, { user: "acme", domain: "acme.example", email: null })).toEqual({ newuser: "acme2", DNS: "acme.test", contactemail: "o@acme.test" });
    expect(identityChanges(work, { user: "acme2", domain: "ACME.test", email: "o@acme.test" })).toEqual({});
  });

  it("labels an account by its name and uid", () => {
    expect(opAccountLabel(op("update", []))).toBe("acme.example (uid 1001)");
    expect(opAccountLabel(op("create", []))).toBe("acme.example");
  });
});
