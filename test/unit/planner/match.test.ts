/**
 * Identity on a server: id pin, then admin user, then domain, then alias. A changed domain or
 * admin user is one in-place update (a rename), never a delete and a create; anything
 * ambiguous is an error naming both sides; a site the inventory moved to another server is
 * refused and left alone on the old one.
 */
import { describe, expect, it } from "vitest";
import { matchKind } from "../../../src/planner/match.js";
import type { DesiredResource, ObservedResource } from "../../../src/model/index.js";
import { CATALOGUE, SITE_KIND, actions, codes, desired, errors, fields, ids, inventory, observedOf, observedServer, opById, plan, planOne, stranger } from "./helpers.js";

const matchSites = (desired: DesiredResource[], observed: ObservedResource[]) => matchKind(CATALOGUE.kind(SITE_KIND), desired, observed);

describe("matchKind (ApisCP sites)", () => {
  it("tries the id pin, then the admin user, then the domain, then an alias", () => {
    const pinned = desired({ domain: "pinned.example", adminUser: "pinned", id: "site9" });
    const byUser = desired({ domain: "user.example", adminUser: "byuser" });
    const byDomain = desired({ domain: "domain.example", adminUser: "bydomain" });
    const byAlias = desired({ domain: "alias.example", adminUser: "byalias" });
    const match = matchSites(
      [pinned, byUser, byDomain, byAlias],
      [
        stranger("site9", "whatever.example", { fields: { siteinfo: { admin_user: "someone" } } }),
        stranger("site2", "old-user.example", { fields: { siteinfo: { admin_user: "byuser" } } }),
        stranger("site3", "DOMAIN.example", { fields: { siteinfo: { admin_user: "renamed" } } }),
        stranger("site4", "primary.example", { fields: { siteinfo: { admin_user: "other" }, aliases: { aliases: ["alias.example"] } } }),
      ],
    );
    expect(match.problems).toEqual([]);
    expect(match.pairs.map((p) => [p.desired.name, p.observed.id, p.by])).toEqual([
      ["pinned.example", "site9", "pin"],
      ["user.example", "site2", "admin user"],
      ["domain.example", "site3", "domain"],
      ["alias.example", "site4", "alias"],
    ]);
    expect(match.missing).toEqual([]);
    expect(match.unmanaged).toEqual([]);
  });

  it("matches by alias when an observed domain is one of the desired aliases", () => {
    const d = desired({ domain: "new.example", adminUser: "newuser", aliases: ["old.example"] });
    const match = matchSites([d], [stranger("site1", "old.example", { fields: { siteinfo: { admin_user: "olduser" } } })]);
    expect(match.pairs.map((p) => [p.observed.id, p.by])).toEqual([["site1", "alias"]]);
  });

  it("prefers the admin user over the domain: the earlier identity wins", () => {
    const d = desired({ domain: "a.example", adminUser: "alice" });
    const match = matchSites([d], [stranger("site1", "a.example", { fields: { siteinfo: { admin_user: "bob" } } }), stranger("site2", "b.example", { fields: { siteinfo: { admin_user: "alice" } } })]);
    expect(match.pairs.map((p) => [p.observed.id, p.by])).toEqual([["site2", "admin user"]]);
    expect(match.unmanaged.map((o) => o.id)).toEqual(["site1"]);
  });

  it("reports desired sites the server lacks and observed sites nobody names, in id order", () => {
    const d = desired({ domain: "new.example" });
    const match = matchSites([d], [stranger("site2", "b.example"), stranger("site1", "a.example")]);
    expect(match.missing).toEqual([d]);
    expect(match.unmanaged.map((o) => o.id)).toEqual(["site2", "site1"]);
  });

  it("refuses a pin the server does not have, saying where and what to do", () => {
    const d = desired({ domain: "pinned.example", id: "site7" });
    const match = matchSites([d], [stranger("site1", "pinned.example")]);
    expect(match.pairs).toEqual([]);
    expect(match.problems).toHaveLength(1);
    const problem = match.problems[0];
    expect(problem).toMatchObject({ severity: "error", code: "pinned-site-missing", server: "fra1", file: "sites/pinned.example.yaml", line: 1 });
    expect(problem?.message).toMatch(/pinned to site7, which fra1 does not have/);
    expect(problem?.hint).toMatch(/remove `id`/);
  });

  it("accepts a cancelled site's pin that is gone: the site was deleted, as planned", () => {
    const d = desired({ domain: "gone.example", id: "site7", state: "cancelled", cancelledOn: "2025-01-01" });
    const match = matchSites([d], [stranger("site1", "other.example")]);
    expect(match.problems).toEqual([]);
    expect(match.missing).toEqual([d]);
    const keep = desired({ domain: "keep.example" });
    expect(planOne([d, keep], [observedOf(keep, "site1")]).diagnostics).toEqual([]);
  });

  it("refuses one desired site matching two observed sites, naming both", () => {
    // Its domain is an alias of site1, and its alias is the domain of site2.
    const d = desired({ domain: "shop.example", adminUser: "shop", aliases: ["store.example"] });
    const match = matchSites([d], [stranger("site1", "main.example", { fields: { aliases: { aliases: ["shop.example"] } } }), stranger("site2", "store.example")]);
    expect(match.pairs).toEqual([]);
    expect(match.problems.map((p) => p.code)).toEqual(["ambiguous-match"]);
    expect(match.problems[0]?.message).toMatch(/site1 \(main\.example\).*site2 \(store\.example\)/);
  });

  it("refuses two desired sites matching one observed site, naming both", () => {
    const a = desired({ domain: "a.example", adminUser: "alice", aliases: ["shared.example"] });
    const b = desired({ domain: "b.example", adminUser: "bob", aliases: ["shared.example"] });
    const match = matchSites([a, b], [stranger("site1", "shared.example", { fields: { siteinfo: { admin_user: "carol" } } })]);
    expect(match.pairs).toEqual([]);
    expect(match.problems.map((p) => p.code)).toEqual(["ambiguous-match"]);
    expect(match.problems[0]?.message).toMatch(/a\.example \(sites\/a\.example\.yaml:1\) and b\.example \(sites\/b\.example\.yaml:1\) all match site1/);
  });
});

describe("renames", () => {
  it("a changed domain, found by the admin user, is one update", () => {
    const d = desired({ domain: "new-name.example", adminUser: "acme" });
    const p = planOne([d], [observedOf(d, "site1", { fields: { siteinfo: { domain: "old-name.example" } } })]);
    expect(codes(p)).toEqual([]);
    expect(ids(p)).toEqual(["fra1:update:old-name.example"]);
    const op = opById(p, "fra1:update:old-name.example");
    expect(op.target).toMatchObject({ id: "site1", name: "old-name.example" });
    expect(op.changes).toEqual([{ field: "siteinfo.domain", before: "old-name.example", after: "new-name.example" }]);
    expect(op.preconditions.fields).toMatchObject({ "siteinfo.domain": "old-name.example", state: "active" });
  });

  it("a changed admin user, found by the domain, is one update", () => {
    const d = desired({ domain: "acme.example", adminUser: "acmenew" });
    const p = planOne([d], [observedOf(d, "site1", { fields: { siteinfo: { admin_user: "acmeold" } } })]);
    expect(actions(p)).toEqual([["update", "acme.example"]]);
    expect(p.ops[0]?.changes).toEqual([{ field: "siteinfo.admin_user", before: "acmeold", after: "acmenew" }]);
  });

  it("a changed domain and admin user together, with a pin, is one update", () => {
    const d = desired({ domain: "new.example", adminUser: "newuser", id: "site4" });
    const p = planOne([d], [observedOf(d, "site4", { fields: { siteinfo: { domain: "old.example", admin_user: "olduser" } } })]);
    expect(actions(p)).toEqual([["update", "old.example"]]);
    expect(fields(p.ops[0]!)).toEqual(["siteinfo.admin_user", "siteinfo.domain"]);
  });

  it("both names changed without a pin is a new site; the old one is unmanaged", () => {
    const d = desired({ domain: "new.example", adminUser: "newuser" });
    const p = planOne([d], [observedOf(d, "site4", { fields: { siteinfo: { domain: "old.example", admin_user: "olduser" } } })]);
    expect(actions(p)).toEqual([["create", "new.example"]]);
    expect(p.servers[0]?.unmanaged).toEqual([{ kind: SITE_KIND, id: "site4", name: "old.example" }]);
  });

  it("a pin the server lacks is an error in the plan, with no create", () => {
    const d = desired({ domain: "gone.example", id: "site3" });
    const p = planOne([d], []);
    expect(codes(p)).toEqual(["pinned-site-missing"]);
    expect(p.ops).toEqual([]);
  });
});

describe("sites moved between servers", () => {
  const moved = desired({ domain: "moved.example", adminUser: "moved", server: "ams1" });
  const left = observedOf({ ...moved, server: "fra1" }, "site5");

  it("is refused on the new server and left alone on the old one, even with prune: true", () => {
    const inv = inventory([moved], { servers: ["fra1!", "ams1"] });
    const p = plan(inv, [observedServer("fra1", [left]), observedServer("ams1", [])]);
    expect(codes(p)).toEqual(["server-moved"]);
    const error = errors(p)[0];
    expect(error).toMatchObject({ server: "ams1", file: "sites/moved.example.yaml", line: 1 });
    expect(error?.message).toMatch(/moved\.example .* is on fra1 as site5, but the inventory now puts it on ams1/);
    expect(error?.hint).toMatch(/server: fra1/);
    expect(p.ops).toEqual([]);
    expect(p.servers.find((s) => s.name === "fra1")?.unmanaged).toEqual([{ kind: SITE_KIND, id: "site5", name: "moved.example" }]);
  });

  it("is refused for a cancelled site too, whose cancellation would otherwise never happen", () => {
    const cancelled = { ...moved, state: "cancelled" as const, cancelledOn: "2025-07-01" };
    const inv = inventory([cancelled], { servers: ["fra1!", "ams1"] });
    const p = plan(inv, [observedServer("fra1", [left]), observedServer("ams1", [])]);
    expect(codes(p)).toEqual(["server-moved"]);
    expect(p.ops).toEqual([]);
  });

  it("is not noticed when the old server is not planned: the create is planned", () => {
    const inv = inventory([moved], { servers: ["fra1!", "ams1"] });
    const p = plan(inv, [observedServer("ams1", [])]);
    expect(codes(p)).toEqual([]);
    expect(ids(p)).toEqual(["ams1:create:moved.example"]);
  });
});
