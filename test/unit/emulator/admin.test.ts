import { describe, expect, it } from "vitest";
import { ApiFault } from "../../../src/emulator/apiscp/api.js";
import { METHODS } from "../../../src/providers/apiscp/methods.js";
import { createAdminApi, defaultEmulatorState } from "../../../src/emulator/apiscp/model/index.js";
import { seal } from "../../../src/emulator/apiscp/model/secrets.js";
import { Harness, T0, fault } from "./harness.js";

describe("dispatch", () => {
  it("serves every method of the shared table", () => {
    const h = new Harness();
    h.add("a.example.com", "a");
    const calls: Record<string, unknown[]> = {
      admin_collect: [],
      admin_add_site: ["b.example.com", "b"],
      admin_edit_site: ["site1"],
      admin_deactivate_site: ["site1"],
      admin_activate_site: ["site1"],
      admin_delete_site: ["site2"],
      admin_list_plans: [],
      admin_get_plan: ["basic"],
      admin_get_domains: [],
      admin_get_site_id_from_domain: ["a.example.com"],
      admin_get_usage: ["storage"],
      admin_hijack: ["site1"],
      auth_change_password: ["Long-Enough-1", "a", "a.example.com"],
      common_whoami: [],
    };
    expect(Object.keys(calls).sort()).toEqual(Object.keys(METHODS).sort());
    for (const [method, args] of Object.entries(calls)) {
      expect(h.call(method, ...(args as string[])), method).not.toBeNull();
    }
  });

  it("faults on an unknown method, naming it", () => {
    expect(() => new Harness().call("admin_suspend_site", "site1")).toThrow(
      new ApiFault("unknown method `admin_suspend_site'"),
    );
  });

  it("faults on too many arguments", () => {
    expect(() => new Harness().call("common_whoami", 1)).toThrow(
      "common_whoami: expected at most 0 argument(s), got 1",
    );
  });

  it("refuses a context without a usable clock (a transport bug, not an API fault)", () => {
    const api = createAdminApi();
    expect(() => api.invoke("common_whoami", [], { now: Number.NaN })).toThrow(Error);
    expect(() => api.invoke("common_whoami", [], { now: Number.NaN })).not.toThrow(ApiFault);
  });
});

describe("common_whoami", () => {
  it("answers the admin user, configurable", () => {
    expect(new Harness().call("common_whoami")).toBe("admin");
    expect(createAdminApi(undefined, { adminUser: "root-admin" }).invoke("common_whoami", [], { now: T0 })).toBe(
      "root-admin",
    );
  });
});

describe("admin_get_domains and admin_get_site_id_from_domain", () => {
  it("map ids to primary domains", () => {
    const h = new Harness();
    expect(h.call("admin_get_domains")).toEqual({});
    h.add("a.example.com", "a", { "aliases.aliases": ["alias.example.org"] });
    h.add("b.example.com", "b");
    expect(h.call("admin_get_domains")).toEqual({ "1": "a.example.com", "2": "b.example.com" });
  });

  it("find a site by primary domain or alias, case-insensitively, else null", () => {
    const h = new Harness();
    h.add("a.example.com", "a", { "aliases.aliases": ["alias.example.org"] });
    expect(h.call("admin_get_site_id_from_domain", "A.Example.com")).toBe(1);
    expect(h.call("admin_get_site_id_from_domain", "alias.example.org")).toBe(1);
    expect(h.call("admin_get_site_id_from_domain", "nowhere.example.com")).toBeNull();
    expect(() => h.call("admin_get_site_id_from_domain", "not a domain")).toThrow("invalid domain `not a domain'");
  });
});

describe("admin_hijack", () => {
  it("opens a session for the site admin over SOAP by default", () => {
    const h = new Harness();
    h.add("a.example.com", "a");
    const id = h.call("admin_hijack", "a.example.com");
    expect(id).toBe("00000000000000000000000000000001");
    expect(h.api.session(id as string)).toEqual({ id, siteId: 1, user: "a", gate: "SOAP", createdAt: T0 });
    expect(h.call("admin_hijack", "site1", "a", "UI")).toBe("00000000000000000000000000000002");
    expect(h.api.session("00000000000000000000000000000002")?.gate).toBe("UI");
  });

  it("uses the injected id source and forgets sessions of deleted sites", () => {
    const api = createAdminApi(undefined, { sessionIds: () => "fixed-id" });
    api.invoke("admin_add_site", ["a.example.com", "a"], { now: T0 });
    expect(api.invoke("admin_hijack", ["site1"], { now: T0 })).toBe("fixed-id");
    expect(() => api.invoke("admin_hijack", ["site1"], { now: T0 })).toThrow("session id source repeated fixed-id");
    expect(api.hasSession("fixed-id")).toBe(true);
    expect(api.hasSession("other-id")).toBe(false);
    api.invoke("admin_delete_site", ["site1"], { now: T0 });
    expect(api.session("fixed-id")).toBeUndefined();
    expect(api.hasSession("fixed-id")).toBe(false);
  });

  it("never stores sessions in the state", () => {
    const h = new Harness();
    h.add("a.example.com", "a");
    const id = h.call("admin_hijack", "site1") as string;
    expect(JSON.stringify(h.api.snapshot())).not.toContain(id);
  });

  it("faults on unknown users, bad gates, suspended sites and groups", () => {
    const h = new Harness();
    h.add("a.example.com", "a", { "billing.invoice": "INV-1" });
    h.add("b.example.com", "b", { "billing.parent_invoice": "INV-1" });
    expect(() => h.call("admin_hijack", "site1", "mallory")).toThrow("unknown user `mallory' on site1");
    expect(() => h.call("admin_hijack", "site1", null, "SSH")).toThrow("invalid gate \"SSH\": expected SOAP or UI");
    expect(() => h.call("admin_hijack", "INV-1")).toThrow("site `INV-1' names 2 sites; hijack needs exactly one");
    h.call("admin_deactivate_site", "site2");
    expect(() => h.call("admin_hijack", "site2")).toThrow("site2 is suspended");
    expect(() => h.call("admin_hijack", "site7")).toThrow("unknown site `site7'");
  });
});

describe("UI sessions in a browser (openPanel)", () => {
  it("opens the panel once for a UI session, never for a SOAP one or an unknown id", () => {
    const h = new Harness();
    h.add("a.example.com", "a");
    const soap = h.call("admin_hijack", "site1") as string;
    const ui = h.call("admin_hijack", "site1", null, "UI") as string;
    expect(h.api.openPanel(soap)).toBeUndefined();
    expect(h.api.openPanel("nope")).toBeUndefined();
    expect(h.api.openPanel(ui)).toEqual({ site: "site1", user: "a" });
    expect(h.api.openPanel(ui)).toBeUndefined();
    // The session itself stays a session (a browser keeps its own cookie after the first visit).
    expect(h.api.hasSession(ui)).toBe(true);
  });
});

describe("auth_change_password", () => {
  it("records the new password sealed for the site's admin user, and never answers it", () => {
    const h = new Harness();
    h.add("a.example.com", "alice", { "auth.tpasswd": "Initial-Pass-1" });
    expect(h.call("auth_change_password", "Brand-New-Pass-2", "alice", "a.example.com")).toBe(true);
    expect(h.site(1)?.services.auth).toEqual({ cpasswd: seal("Brand-New-Pass-2"), tpasswd: null });
    expect(JSON.stringify(h.collect(null))).not.toContain("Brand-New-Pass-2");
  });

  it("refuses weak passwords in ApisCP's words, and unknown users, sites or a missing domain", () => {
    const h = new Harness();
    h.add("a.example.com", "alice");
    const before = h.site(1)?.services.auth;
    for (const weak of ["short1", "password", "qwerty", "alice"]) expect(fault(() => h.call("auth_change_password", weak, "alice", "a.example.com")), weak).toBe("password is weak");
    expect(fault(() => h.call("auth_change_password", "xx-Alice-2024", "alice", "a.example.com"))).toBe("password cannot be same as username");
    expect(fault(() => h.call("auth_change_password", "Long-Enough-1", "bob", "a.example.com"))).toBe("bob: user not found");
    expect(fault(() => h.call("auth_change_password", "Long-Enough-1", "alice", "b.example.com"))).toBe("unknown site `b.example.com'");
    expect(fault(() => h.call("auth_change_password", "Long-Enough-1"))).toMatch(/as the server admin, name the user and the site's domain/);
    expect(fault(() => h.call("auth_change_password", 12345678, "alice", "a.example.com"))).toBe("auth_change_password: argument password must be a string");
    expect(h.site(1)?.services.auth).toEqual(before);
  });
});

describe("setUsage", () => {
  it("sets what admin_get_usage reports for a site", () => {
    const h = new Harness();
    h.add("a.example.com", "a");
    h.api.setUsage("a.example.com", { storageKb: 42 });
    expect(h.call("admin_get_usage", "storage")).toEqual({ site1: { qused: 42, qhard: 5 * 1024 * 1024 } });
    expect(h.call("admin_get_usage", "bandwidth")).toMatchObject({ site1: { sum: 0 } });
  });
});

describe("state ownership", () => {
  it("copies the state it is given and hands out copies", () => {
    const state = defaultEmulatorState();
    const api = createAdminApi(state);
    api.invoke("admin_add_site", ["a.example.com", "a"], { now: T0 });
    expect(state.sites).toEqual([]);
    const snapshot = api.snapshot();
    snapshot.sites.pop();
    expect(api.snapshot().sites).toHaveLength(1);
  });

  it("survives JSON and starts over from it", () => {
    const h = new Harness();
    h.add("a.example.com", "a", { "billing.invoice": "INV-1", "aliases.aliases": ["b.example.org"] });
    h.call("admin_deactivate_site", "site1", { reason: "overdue" });
    const json = JSON.parse(JSON.stringify(h.api.snapshot())) as ReturnType<typeof h.api.snapshot>;
    expect(json).toEqual(h.api.snapshot());
    const again = new Harness(json);
    expect(again.collect(null)).toEqual(h.collect(null));
  });

  it("never returns null from a successful mutating call", () => {
    const h = new Harness();
    for (const [method, args] of [
      ["admin_add_site", ["a.example.com", "a"]],
      ["admin_edit_site", ["site1", { "ssh.enabled": 0 }]],
      ["admin_deactivate_site", ["site1"]],
      ["admin_activate_site", ["site1"]],
      ["admin_delete_site", ["site1"]],
    ] as const) {
      expect(h.call(method, ...args)).toBe(true);
    }
  });
});
