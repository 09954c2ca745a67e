/**
 * A server's fingerprint: the same for the same state however it was read (site order, key
 * order, alias order), different as soon as any collected value differs.
 */
import { describe, expect, it } from "vitest";
import type { ObservedServer, ObservedSite } from "../../../src/model/index.js";
import { fingerprintOf } from "../../../src/planner/index.js";

const site = (id: string, domain: string, extra: Partial<ObservedSite> = {}): ObservedSite => ({
  server: "fra1",
  id,
  domain,
  adminUser: domain.split(".")[0] ?? null,
  aliases: [`www-${domain}`, `old-${domain}`],
  invoice: `INV-${id}`,
  parentInvoice: null,
  plan: "basic",
  active: true,
  services: { diskquota: { quota: 5, units: "GB" }, siteinfo: { email: ["a@x.example", "b@x.example"] } },
  ...extra,
});

const server = (sites: ObservedSite[], fields = ["diskquota.quota", "diskquota.units", "siteinfo.email"]): ObservedServer => ({
  server: "fra1",
  ok: true,
  sites,
  plans: ["basic"],
  fields,
});

const base = (): ObservedSite[] => [site("site1", "a.example"), site("site2", "b.example"), site("site10", "c.example")];

describe("fingerprintOf", () => {
  it("is a sha256 of the state, and null for a server that could not be read", () => {
    expect(fingerprintOf(server(base()))).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fingerprintOf({ server: "fra1", ok: false, error: "connection refused" })).toBeNull();
  });

  it("does not depend on the order of sites, keys, aliases or fields", () => {
    const reference = fingerprintOf(server(base()));
    expect(fingerprintOf(server([...base()].reverse()))).toBe(reference);
    const reordered = base().map((s) => ({
      services: { siteinfo: s.services.siteinfo!, diskquota: { units: "GB", quota: 5 } },
      active: s.active,
      plan: s.plan,
      aliases: [...s.aliases].reverse(),
      parentInvoice: s.parentInvoice,
      invoice: s.invoice,
      adminUser: s.adminUser,
      domain: s.domain,
      id: s.id,
      server: s.server,
    }));
    expect(fingerprintOf(server(reordered))).toBe(reference);
    expect(fingerprintOf(server(base(), ["siteinfo.email", "diskquota.units", "diskquota.quota"]))).toBe(reference);
    // Plan names are not part of the site state.
    expect(fingerprintOf({ server: "fra1", ok: true, sites: base(), plans: ["basic", "business"], fields: ["diskquota.quota", "diskquota.units", "siteinfo.email"] })).toBe(reference);
  });

  it.each<[string, (sites: ObservedSite[]) => ObservedSite[]]>([
    ["a domain", (s) => [{ ...s[0]!, domain: "z.example" }, ...s.slice(1)]],
    ["an id", (s) => [{ ...s[0]!, id: "site99" }, ...s.slice(1)]],
    ["an admin user", (s) => [{ ...s[0]!, adminUser: "zed" }, ...s.slice(1)]],
    ["an alias", (s) => [{ ...s[0]!, aliases: ["www-a.example"] }, ...s.slice(1)]],
    ["an invoice", (s) => [{ ...s[0]!, invoice: null }, ...s.slice(1)]],
    ["a parent invoice", (s) => [{ ...s[0]!, parentInvoice: "INV-1" }, ...s.slice(1)]],
    ["the server plan", (s) => [{ ...s[0]!, plan: "business" }, ...s.slice(1)]],
    ["the state", (s) => [{ ...s[0]!, active: false }, ...s.slice(1)]],
    ["a service value", (s) => [{ ...s[0]!, services: { ...s[0]!.services, diskquota: { quota: 6, units: "GB" } } }, ...s.slice(1)]],
    ["a value's type", (s) => [{ ...s[0]!, services: { ...s[0]!.services, diskquota: { quota: "5", units: "GB" } } }, ...s.slice(1)]],
    ["the order of a list value", (s) => [{ ...s[0]!, services: { ...s[0]!.services, siteinfo: { email: ["b@x.example", "a@x.example"] } } }, ...s.slice(1)]],
    ["a site more", (s) => [...s, site("site11", "d.example")]],
    ["a site less", (s) => s.slice(1)],
  ])("changes with %s", (_what, change) => {
    expect(fingerprintOf(server(change(base())))).not.toBe(fingerprintOf(server(base())));
  });

  it("changes with the fields collected", () => {
    expect(fingerprintOf(server(base(), ["diskquota.quota"]))).not.toBe(fingerprintOf(server(base())));
  });
});
