/**
 * A server's fingerprint: the same for the same state however it was read (site order, key
 * order, the order of a set such as the aliases), different as soon as any collected value differs.
 */
import { describe, expect, it } from "vitest";
import type { ObservedResource, ObservedServer } from "../../../src/model/index.js";
import { fingerprintOf } from "../../../src/planner/index.js";
import { SITE_KIND } from "../../../src/providers/apiscp/kinds.js";
import { catalogueOf } from "../../../src/providers/registry.js";

const site = (id: string, domain: string): ObservedResource => ({
  server: "fra1",
  kind: SITE_KIND,
  id,
  name: domain,
  state: "active",
  fields: {
    siteinfo: { domain, admin_user: domain.split(".")[0] ?? "", plan: "basic", email: ["a@x.example", "b@x.example"] },
    aliases: { aliases: [`www-${domain}`, `old-${domain}`] },
    billing: { invoice: `INV-${id}`, parent_invoice: null },
    diskquota: { quota: 5, units: "GB" },
    ipinfo: { ipaddrs: ["192.0.2.1", "192.0.2.2"] },
  },
});

/** One site's fields with one group changed. */
const withGroup = (s: ObservedResource, group: string, values: Record<string, ObservedResource["fields"][string][string]>): ObservedResource => ({
  ...s,
  fields: { ...s.fields, [group]: { ...s.fields[group], ...values } },
});

const server = (resources: ObservedResource[], fields = ["diskquota.quota", "diskquota.units", "siteinfo.email"]): ObservedServer => ({
  server: "fra1",
  ok: true,
  resources,
  templates: { [SITE_KIND]: ["basic"] },
  fields: { [SITE_KIND]: fields },
});

const base = (): ObservedResource[] => [site("site1", "a.example"), site("site2", "b.example"), site("site10", "c.example")];

describe("fingerprintOf", () => {
  it("stays the hash earlier versions wrote, so a plan file saved before an upgrade is not taken for stale", () => {
    // Computed with the writer that built one canonical JSON value per resource (before 60cc476).
    const suspended: ObservedResource = { ...site("site10", "c.example"), state: "suspended", suspension: { since: "2025-01-02", reason: "unpaid" } };
    const observed = server([site("site1", "a.example"), site("site2", "b.example"), suspended]);
    expect(fingerprintOf(observed, catalogueOf())).toBe("sha256:916cd9a15a95d98f5af7a61cd1999ad76185dba9d20d6bb8c41f7f6d86f41feb");
  });

  it("is a sha256 of the state, and null for a server that could not be read", () => {
    expect(fingerprintOf(server(base()))).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fingerprintOf({ server: "fra1", ok: false, error: "connection refused" })).toBeNull();
  });

  it("does not depend on the order of sites, keys or fields", () => {
    const reference = fingerprintOf(server(base()));
    expect(fingerprintOf(server([...base()].reverse()))).toBe(reference);
    const reordered = base().map(
      (s): ObservedResource => ({
        fields: {
          diskquota: { units: "GB", quota: 5 },
          billing: { parent_invoice: null, invoice: s.fields.billing!.invoice! },
          ipinfo: { ipaddrs: s.fields.ipinfo!.ipaddrs! },
          aliases: { aliases: s.fields.aliases!.aliases! },
          siteinfo: { email: s.fields.siteinfo!.email!, plan: "basic", admin_user: s.fields.siteinfo!.admin_user!, domain: s.name },
        },
        state: s.state,
        name: s.name,
        id: s.id,
        kind: s.kind,
        server: s.server,
      }),
    );
    expect(fingerprintOf(server(reordered))).toBe(reference);
    expect(fingerprintOf(server(base(), ["siteinfo.email", "diskquota.units", "diskquota.quota"]))).toBe(reference);
    // Server plan (template) names are not part of the site state.
    expect(fingerprintOf({ server: "fra1", ok: true, resources: base(), templates: { [SITE_KIND]: ["basic", "business"] }, fields: { [SITE_KIND]: ["diskquota.quota", "diskquota.units", "siteinfo.email"] } })).toBe(reference);
  });

  it("does not depend on the order of a site's aliases or e-mail addresses (sets, as the panel happens to list them)", () => {
    const reversed = base().map((s) => withGroup(s, "aliases", { aliases: [...(s.fields.aliases!.aliases as string[])].reverse() }));
    const catalogue = catalogueOf();
    expect(fingerprintOf(server(reversed), catalogue)).toBe(fingerprintOf(server(base()), catalogue));
    const emails = base().map((s) => withGroup(s, "siteinfo", { email: ["b@x.example", "a@x.example"] }));
    expect(fingerprintOf(server(emails), catalogue)).toBe(fingerprintOf(server(base()), catalogue));
  });

  it.each<[string, (sites: ObservedResource[]) => ObservedResource[]]>([
    ["a domain", (s) => [{ ...withGroup(s[0]!, "siteinfo", { domain: "z.example" }), name: "z.example" }, ...s.slice(1)]],
    ["the name alone", (s) => [{ ...s[0]!, name: "z.example" }, ...s.slice(1)]],
    ["an id", (s) => [{ ...s[0]!, id: "site99" }, ...s.slice(1)]],
    ["an admin user", (s) => [withGroup(s[0]!, "siteinfo", { admin_user: "zed" }), ...s.slice(1)]],
    ["an alias", (s) => [withGroup(s[0]!, "aliases", { aliases: ["www-a.example"] }), ...s.slice(1)]],
    ["an invoice", (s) => [withGroup(s[0]!, "billing", { invoice: null }), ...s.slice(1)]],
    ["a parent invoice", (s) => [withGroup(s[0]!, "billing", { parent_invoice: "INV-1" }), ...s.slice(1)]],
    ["the server plan", (s) => [withGroup(s[0]!, "siteinfo", { plan: "business" }), ...s.slice(1)]],
    ["the state", (s) => [{ ...s[0]!, state: "suspended" }, ...s.slice(1)]],
    ["the suspension", (s) => [{ ...s[0]!, suspension: { since: "2025-07-01", reason: "siteform: cancelled" } }, ...s.slice(1)]],
    ["the kind", (s) => [{ ...s[0]!, kind: "test/other" }, ...s.slice(1)]],
    ["a service value", (s) => [withGroup(s[0]!, "diskquota", { quota: 6 }), ...s.slice(1)]],
    ["a value's type", (s) => [withGroup(s[0]!, "diskquota", { quota: "5" }), ...s.slice(1)]],
    ["the order of a list value that is not a set", (s) => [withGroup(s[0]!, "ipinfo", { ipaddrs: ["192.0.2.2", "192.0.2.1"] }), ...s.slice(1)]],
    ["a site more", (s) => [...s, site("site11", "d.example")]],
    ["a site less", (s) => s.slice(1)],
  ])("changes with %s", (_what, change) => {
    const catalogue = catalogueOf();
    expect(fingerprintOf(server(change(base())), catalogue)).not.toBe(fingerprintOf(server(base()), catalogue));
  });

  it("changes with the fields collected", () => {
    expect(fingerprintOf(server(base(), ["diskquota.quota"]))).not.toBe(fingerprintOf(server(base())));
  });
});
