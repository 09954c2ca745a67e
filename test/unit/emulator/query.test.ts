import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SoapMap, SoapValue } from "../../../src/providers/apiscp/wire/value.js";
import { Harness } from "./harness.js";

function groups(): Harness {
  const h = new Harness();
  h.add("p.example.com", "p", { "billing.invoice": "INV-1", "diskquota.quota": 5000 });
  h.add("c1.example.com", "c1", { "billing.parent_invoice": "INV-1", "ssh.enabled": 0 });
  h.add("c2.example.com", "c2", { "billing.parent_invoice": "INV-1", "diskquota.quota": "5000" });
  h.add("solo.example.com", "solo", { "aliases.aliases": ["www.solo.example.net"] });
  return h;
}

describe("admin_collect query", () => {
  it("matches dotted, comma and nested fields alike", () => {
    const h = groups();
    expect(h.ids({ "billing.parent_invoice": "INV-1" })).toEqual(["site2", "site3"]);
    expect(h.ids({ "billing,parent_invoice": "INV-1" })).toEqual(["site2", "site3"]);
    expect(h.ids({ billing: { parent_invoice: "INV-1" } })).toEqual(["site2", "site3"]);
    expect(h.ids({ billing: { invoice: "INV-1" } })).toEqual(["site1"]);
  });

  it("takes the AND of all conditions, across forms", () => {
    const h = groups();
    expect(h.ids({ "billing.parent_invoice": "INV-1", diskquota: { quota: 5000 } })).toEqual(["site3"]);
    expect(h.ids({ "billing.parent_invoice": "INV-1", "billing,parent_invoice": "INV-2" })).toEqual([]);
  });

  it("compares normalised values: flags in any PHP form, numbers as strings", () => {
    const h = groups();
    for (const off of [0, "0", false]) expect(h.ids({ "ssh.enabled": off })).toEqual(["site2"]);
    for (const quota of [5000, "5000", 5000.0]) expect(h.ids({ "diskquota.quota": quota })).toEqual(["site1", "site3"]);
    expect(h.ids({ "siteinfo.domain": "SOLO.example.com" })).toEqual(["site4"]);
  });

  it("matches null against null and absent values", () => {
    const h = groups();
    expect(h.ids({ "billing.invoice": null })).toEqual(["site2", "site3", "site4"]);
    expect(h.ids({ billing: { invoice: null, parent_invoice: null } })).toEqual(["site4"]);
    expect(h.ids({ "cgroup.io": null })).toEqual(["site1", "site2", "site3", "site4"]);
  });

  it("filters on active with any boolean form", () => {
    const h = groups();
    h.call("admin_deactivate_site", "site2");
    for (const inactive of [false, 0, "0"]) expect(h.ids({ active: inactive })).toEqual(["site2"]);
    for (const active of [true, 1, "1"]) expect(h.ids({ active })).toEqual(["site1", "site3", "site4"]);
    expect(h.ids({ "siteinfo.enabled": 0 })).toEqual(["site2"]);
  });

  it("compares lists whole", () => {
    const h = groups();
    expect(h.ids({ "aliases.aliases": ["www.solo.example.net"] })).toEqual(["site4"]);
    expect(h.ids({ "aliases.aliases": [] })).toEqual(["site1", "site2", "site3"]);
  });

  it("treats an empty query (null, [] or {}) as everything", () => {
    const h = groups();
    for (const query of [null, [], {}]) expect(h.ids(query)).toHaveLength(4);
  });

  it("faults on unknown fields, bad values, secrets and bad shapes", () => {
    const h = groups();
    const collect = (query: SoapValue) => () => h.collect([], query);
    expect(collect({ "billing.owner": "x" })).toThrow("unknown service parameter `billing.owner'");
    expect(collect({ "nosuch,x": 1 })).toThrow("unknown service `nosuch'");
    expect(collect({ domain: "p.example.com" })).toThrow("unknown service `domain'");
    expect(collect({ "diskquota.quota": "lots" })).toThrow(
      "invalid value \"lots\" for query field `diskquota.quota': expected a number",
    );
    expect(collect({ active: "yes" })).toThrow(/for query field `active'/);
    expect(collect({ "auth.tpasswd": "guess" })).toThrow("cannot query on secret `auth.tpasswd'");
    expect(collect({ dns: { key: "guess" } })).toThrow("cannot query on secret `dns.key'");
    expect(collect({ billing: "INV-1" })).toThrow(/^query field `billing' must be a map of parameters/);
    expect(collect(["billing.invoice"])).toThrow("argument query must be a map of field => value");
  });
});

interface GeneratedSite {
  invoice: boolean;
  parent: number | null;
  quota: number;
  ssh: 0 | 1;
  active: boolean;
}

const siteArb: fc.Arbitrary<GeneratedSite> = fc.record({
  invoice: fc.boolean(),
  parent: fc.option(fc.integer({ min: 0, max: 3 })),
  quota: fc.constantFrom(1, 5, 5000),
  ssh: fc.constantFrom<0 | 1>(0, 1),
  active: fc.boolean(),
});

type Field = "billing.invoice" | "billing.parent_invoice" | "diskquota.quota" | "ssh.enabled";

function build(sites: GeneratedSite[]): { h: Harness; model: Array<Record<Field, SoapValue> & { active: boolean }> } {
  const h = new Harness();
  const model = sites.map((s, i) => {
    const invoice = s.invoice ? `INV-${i}` : null;
    const parent = s.parent === null || (invoice !== null && s.parent === i) ? null : `INV-${s.parent}`;
    h.add(`s${i}.example.com`, `u${i}`, {
      billing: { invoice, parent_invoice: parent },
      "diskquota.quota": s.quota,
      "ssh.enabled": s.ssh,
    });
    if (!s.active) h.call("admin_deactivate_site", `s${i}.example.com`);
    return {
      "billing.invoice": invoice,
      "billing.parent_invoice": parent,
      "diskquota.quota": s.quota,
      "ssh.enabled": s.ssh,
      active: s.active,
    };
  });
  return { h, model };
}

/** A query value as a client might spell it, and the stored value it stands for. */
interface Condition {
  field: Field;
  wire: SoapValue;
  stored: SoapValue;
}

const conditionArb: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({
    field: fc.constantFrom<Field>("billing.invoice", "billing.parent_invoice"),
    n: fc.option(fc.integer({ min: 0, max: 4 })),
  }).map(({ field, n }) => ({ field, wire: n === null ? null : `INV-${n}`, stored: n === null ? null : `INV-${n}` })),
  fc.record({ quota: fc.constantFrom(1, 5, 5000, 7), asString: fc.boolean() }).map(({ quota, asString }) => ({
    field: "diskquota.quota" as const,
    wire: asString ? String(quota) : quota,
    stored: quota,
  })),
  fc
    .constantFrom<[SoapValue, 0 | 1]>([true, 1], [1, 1], ["1", 1], [false, 0], [0, 0], ["0", 0])
    .map(([wire, stored]) => ({ field: "ssh.enabled" as const, wire, stored })),
);

/** The same conditions spelled in one form; nested conditions on one service share its map. */
function queryFor(form: "dotted" | "comma" | "nested", conditions: Condition[], active: boolean | null): SoapMap {
  const query: SoapMap = active === null ? {} : { active };
  for (const { field, wire } of conditions) {
    const [service, param] = field.split(".") as [string, string];
    if (form === "dotted") query[field] = wire;
    else if (form === "comma") query[`${service},${param}`] = wire;
    else query[service] = { ...((query[service] as SoapMap | undefined) ?? {}), [param]: wire };
  }
  return query;
}

describe("admin_collect query forms (property)", () => {
  it("dotted, comma and nested forms give identical results, equal to the model's", () => {
    fc.assert(
      fc.property(
        fc.array(siteArb, { maxLength: 8 }),
        fc.uniqueArray(conditionArb, { maxLength: 3, selector: (c) => c.field }),
        fc.option(fc.boolean()),
        (sites, conditions, active) => {
          const { h, model } = build(sites);
          const expected = model
            .map((site, i) => ({ site, key: `site${i + 1}` }))
            .filter(({ site }) => conditions.every((c) => site[c.field] === c.stored))
            .filter(({ site }) => active === null || site.active === active)
            .map(({ key }) => key);
          for (const form of ["dotted", "comma", "nested"] as const) {
            expect(h.ids(queryFor(form, conditions, active))).toEqual(expected);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
