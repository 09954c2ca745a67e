/**
 * Naming one resource (src/resources/resource-name.ts): pairs of git and the server as the
 * planner pairs them, every name a resource answers to, the closest name for a misspelt one, and
 * an error listing the candidates for a name that fits two.
 */
import { describe, expect, it } from "vitest";
import { namedResources, resolveResourceName } from "../../../src/resources/resource-name.js";
import { desired, inventory, observedOf, observedServer, stranger } from "../planner/helpers.js";

const acme = desired({ domain: "acme.example", adminUser: "acme", server: "fra1", aliases: ["acme-shop.example"] });
const renamed = desired({ domain: "new-name.example", adminUser: "kessler", server: "fra1" });
const inv = inventory([acme, renamed]);
// On the server, kessler's site still has its old domain: the admin user pairs it with git's entry.
const observed = [
  observedServer("fra1", [observedOf(acme, "site1"), observedOf(renamed, "site2", { fields: { siteinfo: { domain: "old-name.example" } } }), stranger("site3", "stray.example")]),
  observedServer("ams1", [{ ...stranger("site9", "stray.example"), server: "ams1" }]),
];
const candidates = namedResources(inv, observed);

function found(name: string): string {
  const r = resolveResourceName(name, candidates, inv);
  if (!r.ok) throw new Error(r.message);
  return `${r.resource.server}/${r.resource.id ?? "-"}`;
}

describe("namedResources", () => {
  it("pairs git and the server as the planner does, and keeps the unmanaged apart", () => {
    expect(candidates.map((c) => [c.server, c.id, c.name, c.desired?.name ?? null])).toEqual([
      ["ams1", "site9", "stray.example", null],
      ["fra1", "site1", "acme.example", "acme.example"],
      ["fra1", "site2", "old-name.example", "new-name.example"],
      ["fra1", "site3", "stray.example", null],
    ]);
  });
});

describe("resolveResourceName", () => {
  it("finds a resource by any name it answers to, with or without its server, in any case", () => {
    for (const name of ["acme.example", "ACME.example", "acme", "site1", "fra1/site1", "acme-shop.example", "fra1/acme.example", acme.key]) expect(found(name), name).toBe("fra1/site1");
    for (const name of ["old-name.example", "new-name.example", "kessler"]) expect(found(name), name).toBe("fra1/site2");
    expect(found("ams1/stray.example")).toBe("ams1/site9");
  });

  it("lists the candidates for a name that fits two, and suggests the closest for one that fits none", () => {
    const two = resolveResourceName("stray.example", candidates, inv);
    expect(two).toMatchObject({ ok: false, problem: "ambiguous", message: '"stray.example" names 2 resources: ams1/stray.example (site9, not in git); fra1/stray.example (site3, not in git)' });
    const none = resolveResourceName("acme.exmaple", candidates, inv);
    expect(none).toMatchObject({ ok: false, problem: "unknown", hint: 'did you mean "acme.example"?' });
  });

  it("offers git's resources on a server that was not read, without an id", () => {
    const unread = namedResources(inv, [{ server: "fra1", ok: false, error: "fra1: down" }]);
    const r = resolveResourceName("acme.example", unread, inv);
    expect(r.ok && r.resource.id === null && r.resource.desired === acme).toBe(true);
  });
});
