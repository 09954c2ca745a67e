/**
 * Two marks a kind's field schema may carry for paid-up periods: `x-siteform-days-ahead` (the
 * entry writes a number of days; the field wants the date that many days after the day the
 * inventory is read) and `x-siteform-at-least` (a server value as late as that, or later,
 * needs nothing). With them a kind renews a service only when its expiry is closer than the
 * inventory asks, shows the old expiry and the date it must reach, and judges a renewal that
 * paid for longer as done. A test-only kind (`lease/slot`) stands for a billing panel's service.
 */
import { describe, expect, it } from "vitest";
import { judgeReadBack } from "../../../src/applier/readback.js";
import { checkInventory } from "../../../src/inventory/index.js";
import { Catalogue, KindModel } from "../../../src/kinds/catalogue.js";
import type { Inventory, KindDeclaration, ObservedServer } from "../../../src/model/index.js";
import { buildPlan, satisfies, sameValue } from "../../../src/planner/index.js";
import { APISCP } from "../../../src/providers/apiscp/module.js";

const LEASE: KindDeclaration = {
  id: "lease/slot",
  provider: "lease",
  noun: "slot",
  fields: {
    type: "object",
    additionalProperties: false,
    properties: {
      slot: {
        type: "object",
        additionalProperties: false,
        properties: {
          name: { description: "Set by the entry's `name`.", "x-siteform-field": "name", not: {} },
          paid_until: {
            description: "Set by the entry's `renew_ahead_days`: paid at least until that many days from the plan's day.",
            "x-siteform-field": "renew_ahead_days",
            "x-siteform-days-ahead": true,
            "x-siteform-at-least": true,
            not: {},
          },
          seats: { description: "How many seats.", type: "integer", "x-siteform-at-least": true },
        },
      },
    },
  },
  entry: {
    type: "object",
    additionalProperties: false,
    required: ["name", "server"],
    properties: {
      kind: { const: "lease/slot" },
      name: { type: "string", pattern: "^[a-z][a-z0-9-]*$" },
      server: { type: "string" },
      renew_ahead_days: { type: "integer", minimum: 1, maximum: 3650 },
      services: { $ref: "services.schema.json" },
      state: { enum: ["active", "suspended", "cancelled"] },
      cancelled_on: { type: "string", format: "date" },
      protect: { type: "boolean" },
    },
  },
  plan: null,
  identity: {
    id: { label: "slot id", pattern: "^[0-9]+$", survivesRenames: true },
    name: "name",
    keys: [{ name: "name", field: "slot.name", label: "name", namespace: "name", scope: "server", renames: true, unique: true }],
    match: [{ label: "name", pairs: [["name", "name"]] }],
  },
  states: { active: "active", suspended: "suspended" },
  relations: [],
  group: null,
  template: null,
  capabilities: { deletion: "provider", suspendReason: false, actions: [{ name: "renew", field: "slot.paid_until", label: "renews to at least" }], paid: ["create", "renew"] },
};

const catalogue = new Catalogue([...APISCP.kinds, LEASE]);
const model = new KindModel(LEASE);
const CONFIG = "servers:\n  bm1:\n    provider: lease\n    url: http://127.0.0.1:1\n    key_env: BM1_KEY\npolicy:\n  max_paid_ops: 10\n";

function inventory(entry: string, today: string): Inventory {
  const result = checkInventory(
    [
      { file: "siteform.yaml", text: CONFIG },
      { file: "sites/web.yaml", text: entry },
    ],
    { catalogue, env: { BM1_KEY: "k" }, today },
  );
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`).join("; "));
  return result.inventory;
}

function server(paidUntil: string, seats = 5): ObservedServer {
  return {
    server: "bm1",
    ok: true,
    resources: [{ server: "bm1", kind: "lease/slot", id: "7", name: "web", state: "active", fields: { slot: { name: "web", paid_until: paidUntil, seats } } }],
    templates: {},
    fields: { "lease/slot": ["slot.name", "slot.paid_until", "slot.seats"] },
  };
}

function ops(inv: Inventory, observed: ObservedServer, now: string) {
  return buildPlan(inv, [observed], { now, commit: { commit: null, dirty: false }, allowDeletes: null, servers: ["bm1"], resetPlanDefaults: false }).ops;
}

const ENTRY = "kind: lease/slot\nname: web\nserver: bm1\nrenew_ahead_days: 30\nservices:\n  slot:\n    seats: 5\n";

describe("days ahead", () => {
  it("resolves the entry's number of days to the date that many days after the reading day", () => {
    expect(inventory(ENTRY, "2026-06-15").resources[0]?.fields.slot?.paid_until).toBe("2026-07-15");
    expect(inventory(ENTRY, "2026-12-20").resources[0]?.fields.slot?.paid_until).toBe("2027-01-19");
  });
});

describe("at least", () => {
  it("is satisfied by a value as large or as late as the wanted one, or larger and later, and by nothing else", () => {
    expect(satisfies(model, "slot.paid_until", "2026-07-15", "2026-07-15")).toBe(true);
    expect(satisfies(model, "slot.paid_until", "2026-07-15", "2026-09-01")).toBe(true);
    expect(satisfies(model, "slot.paid_until", "2026-07-15", "2026-07-14")).toBe(false);
    expect(satisfies(model, "slot.paid_until", "2026-07-15", null)).toBe(false);
    expect(satisfies(model, "slot.seats", 5, "6")).toBe(true);
    expect(satisfies(model, "slot.seats", 5, 4)).toBe(false);
    // A field without the mark, and equality itself, stay exact.
    expect(satisfies(model, "slot.name", "web", "webb")).toBe(false);
    expect(sameValue(model, "slot.paid_until", "2026-07-15", "2026-09-01")).toBe(false);
  });

  it("plans a renewal only when the expiry is closer than the inventory asks, showing the old expiry and the date to reach", () => {
    const inv = inventory(ENTRY, "2026-06-15");
    const due = ops(inv, server("2026-06-25"), "2026-06-15T08:00:00Z");
    expect(due.map((o) => [o.id, o.action, o.paid])).toEqual([["bm1:renew:web", "renew", true]]);
    expect(due[0]?.changes).toEqual([{ field: "slot.paid_until", before: "2026-06-25", after: "2026-07-15" }]);
    expect(ops(inv, server("2026-07-15"), "2026-06-15T08:00:00Z")).toEqual([]);
    expect(ops(inv, server("2027-06-01"), "2026-06-15T08:00:00Z")).toEqual([]);
    // More seats than wanted is no reason to change anything either.
    expect(ops(inv, server("2027-06-01", 9), "2026-06-15T08:00:00Z")).toEqual([]);
  });

  it("judges a renewal read back as done when it paid for longer than wanted, and not done when short of it", () => {
    const inv = inventory(ENTRY, "2026-06-15");
    const [renew] = ops(inv, server("2026-06-25"), "2026-06-15T08:00:00Z");
    if (renew === undefined) throw new Error("no renewal planned");
    const read = (paidUntil: string) => {
      const answer = server(paidUntil);
      return answer.ok ? (answer.resources[0] ?? null) : null;
    };
    expect(judgeReadBack(renew, read("2026-07-25"), catalogue)).toMatchObject({ kind: "took-effect", resourceId: "7" });
    expect(judgeReadBack(renew, read("2026-06-25"), catalogue)).toMatchObject({ kind: "not-taken" });
  });
});
