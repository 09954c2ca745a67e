/**
 * The inventory's kinds: a file may say which kind it is (`kind: apiscp/site`) and means the
 * same as without; an unknown kind or provider is reported; a repository plan serves one kind;
 * the policy's paid-op limit is read. A second, test-only kind stands for another provider.
 */
import { describe, expect, it } from "vitest";
import { Catalogue } from "../../../src/kinds/catalogue.js";
import type { Inventory, KindDeclaration, ObservedServer } from "../../../src/model/index.js";
import { buildPlan } from "../../../src/planner/index.js";
import { SITE } from "../../../src/providers/apiscp/kinds.js";
import { CONFIG, baseFiles, check, expectDiagnostic, expectErrors, lines, site, type Files } from "./helpers.js";

function resolved(files: Files, options: Parameters<typeof check>[1] = {}): Inventory {
  const result = check(files, options);
  expectErrors(result, []);
  if (!result.ok) throw new Error("expected a valid inventory");
  return result.inventory;
}

const GROUP = lines(
  "invoice: INV-7",
  "server: ams1",
  "services:",
  "  cgroup:",
  "    memory: 1024",
  "sites:",
  "  - domain: parent.example",
  "    admin_user: parent",
  "    email: a@parent.example",
  "    plan: basic",
  "  - domain: child.example",
  "    admin_user: child",
  "    email: a@child.example",
  "    plan: basic",
  "    state: suspended",
  "    suspend_reason: unpaid",
);

/** An inventory without a single `kind:` line: plans, a standalone site, a group. */
function untyped(): Files {
  return { ...baseFiles(), "sites/beta.yaml": site("beta.example", "beta", ["aliases: [www.beta.example]"], "ams1"), "sites/g.yaml": GROUP };
}

/** The same inventory with `kind: apiscp/site` at the top of every plan and resource file. */
function typed(): Files {
  const out: Files = {};
  for (const [file, text] of Object.entries(untyped())) out[file] = file === "siteform.yaml" ? text : `kind: apiscp/site\n${text}`;
  return out;
}

/** A value with every `line` and `column` of its source references dropped: the `kind:` line moves what follows it. */
function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const isRef = entries.some(([k]) => k === "file") && entries.some(([k]) => k === "line");
  return Object.fromEntries(entries.filter(([k]) => !(isRef && (k === "line" || k === "column"))).map(([k, v]) => [k, withoutPositions(v)]));
}

const COLLECTED = [
  "aliases.aliases",
  "billing.invoice",
  "billing.parent_invoice",
  "cgroup.memory",
  "diskquota.quota",
  "diskquota.units",
  "siteinfo.admin_user",
  "siteinfo.domain",
  "siteinfo.email",
  "siteinfo.plan",
];

/** What the servers hold: alpha with a bigger quota than its plan's, the group's parent without its memory limit, no child yet, one site nobody manages. */
const OBSERVED: ObservedServer[] = [
  {
    server: "fra1",
    ok: true,
    resources: [
      {
        server: "fra1",
        kind: "apiscp/site",
        id: "site1",
        name: "alpha.example",
        state: "active",
        fields: {
          siteinfo: { domain: "alpha.example", admin_user: "alpha", email: "owner@alpha.example", plan: "basic" },
          diskquota: { quota: 10, units: "GB" },
          billing: { invoice: null, parent_invoice: null },
          aliases: { aliases: [] },
        },
      },
      {
        server: "fra1",
        kind: "apiscp/site",
        id: "site2",
        name: "stray.example",
        state: "active",
        fields: { siteinfo: { domain: "stray.example", admin_user: "stray", email: "x@stray.example", plan: "basic" }, billing: { invoice: null, parent_invoice: null }, aliases: { aliases: [] } },
      },
    ],
    templates: { "apiscp/site": ["basic"] },
    fields: { "apiscp/site": COLLECTED },
  },
  {
    server: "ams1",
    ok: true,
    resources: [
      {
        server: "ams1",
        kind: "apiscp/site",
        id: "site3",
        name: "parent.example",
        state: "active",
        fields: {
          siteinfo: { domain: "parent.example", admin_user: "parent", email: "a@parent.example", plan: "basic" },
          diskquota: { quota: 5, units: "GB" },
          billing: { invoice: "INV-7", parent_invoice: null },
          aliases: { aliases: [] },
        },
      },
    ],
    templates: { "apiscp/site": ["basic"] },
    fields: { "apiscp/site": COLLECTED },
  },
];

function planOf(inventory: Inventory): ReturnType<typeof buildPlan> {
  return buildPlan(inventory, OBSERVED, {
    now: "2025-08-01T06:00:00.000Z",
    commit: { commit: "0123456789abcdef0123456789abcdef01234567", dirty: false },
    allowDeletes: null,
    servers: ["ams1", "fra1"],
    resetPlanDefaults: false,
  });
}

describe("kind: lines", () => {
  it("a plan and resource files may name their kind, and mean the same as without", () => {
    const plain = resolved(untyped());
    const kinded = resolved(typed());
    expect(kinded.resources.map((r) => r.kind)).toEqual(["apiscp/site", "apiscp/site", "apiscp/site", "apiscp/site"]);
    expect(kinded.plans.map((p) => [p.name, p.kind])).toEqual([["basic", "apiscp/site"]]);
    expect(withoutPositions(kinded.resources)).toEqual(withoutPositions(plain.resources));
    expect(withoutPositions(kinded.plans)).toEqual(withoutPositions(plain.plans));
    expect(kinded.servers).toEqual(plain.servers);
    expect(kinded.policy).toEqual(plain.policy);
  });

  it("plans the same ops with and without them", () => {
    const plain = planOf(resolved(untyped()));
    const kinded = planOf(resolved(typed()));
    // Not a vacuous comparison: updates, creates, a suspend and an unmanaged site.
    expect(plain.ops.map((o) => o.id).sort()).toEqual(["ams1:create:beta.example", "ams1:create:child.example", "ams1:suspend:child.example", "ams1:update:parent.example", "fra1:update:alpha.example"].sort());
    expect(plain.servers.find((s) => s.name === "fra1")?.unmanaged.map((u) => u.name)).toEqual(["stray.example"]);
    expect(withoutPositions(kinded.ops)).toEqual(withoutPositions(plain.ops));
    expect(withoutPositions(kinded.servers)).toEqual(withoutPositions(plain.servers));
    expect(kinded.summary).toEqual(plain.summary);
    expect(kinded.diagnostics).toEqual(plain.diagnostics);
  });

  it("an unknown kind, at its line, with a suggestion", () => {
    const files = { ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", ["kind: apiscp/stie"]) };
    const result = check(files);
    const d = expectDiagnostic(result, { code: "unknown-kind", file: "sites/alpha.yaml", line: 6, column: 7, path: "kind", message: /unknown kind `apiscp\/stie`/ });
    expect(d.hint).toBe("did you mean `apiscp/site`?");
    expectErrors(result, ["unknown-kind"]);
  });

  it("an unknown kind in a repository plan", () => {
    const result = check({ ...baseFiles(), "plans/basic.yaml": `kind: apicsp/site\n${baseFiles()["plans/basic.yaml"] ?? ""}` });
    const d = expectDiagnostic(result, { code: "unknown-kind", file: "plans/basic.yaml", line: 1, column: 7, message: /unknown kind `apicsp\/site`/ });
    expect(d.hint).toBe("did you mean `apiscp/site`?");
    expectErrors(result, ["unknown-kind"]);
  });

  it("lists the known kinds when nothing is close", () => {
    const files = { ...baseFiles(), "sites/alpha.yaml": `kind: plesk/subscription\n${site("alpha.example", "alpha")}` };
    const d = expectDiagnostic(check(files), { code: "unknown-kind", file: "sites/alpha.yaml", line: 1, message: /unknown kind `plesk\/subscription`/ });
    expect(d.hint).toBe("kinds: `apiscp/site`, `whm/account`, `billmgr/service`, `billmgr/license`");
  });
});

describe("providers", () => {
  it("an unknown server provider, with a suggestion", () => {
    const config = CONFIG.replace("    key_env: FRA1_KEY\n", "    key_env: FRA1_KEY\n    provider: apiscpp\n");
    const result = check({ ...baseFiles(), "siteform.yaml": config });
    const d = expectDiagnostic(result, { code: "unknown-provider", file: "siteform.yaml", line: 5, column: 15, path: "servers.fra1.provider", message: /unknown provider `apiscpp`/ });
    expect(d.hint).toBe("did you mean `apiscp`?");
    expectErrors(result, ["unknown-provider"]);
  });

  it("names the known providers when nothing is close", () => {
    const config = CONFIG.replace("    key_env: AMS1_KEY\n", "    key_env: AMS1_KEY\n    provider: plesk\n");
    const d = expectDiagnostic(check({ ...baseFiles(), "siteform.yaml": config }), { code: "unknown-provider", file: "siteform.yaml", line: 8, message: /unknown provider `plesk`/ });
    expect(d.hint).toMatch(/`apiscp`, `whm`, `billmgr`/);
  });
});

/** A second provider's kind, for these tests only: a thing with a name, on a template. */
const THING: KindDeclaration = {
  id: "other/thing",
  provider: "other",
  noun: "thing",
  fields: {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    description: "A thing's fields.",
    type: "object",
    additionalProperties: false,
    properties: {
      info: {
        description: "About the thing.",
        type: "object",
        additionalProperties: false,
        properties: {
          name: { description: "Its name.", type: "string", "x-siteform-field": "name" },
          template: { description: "Its template.", type: "string", "x-siteform-field": "plan" },
          size: { description: "How big.", type: "integer" },
        },
      },
    },
  },
  entry: {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    description: "One thing.",
    type: "object",
    additionalProperties: false,
    required: ["name", "server"],
    properties: {
      kind: { description: "The kind.", type: "string" },
      name: { description: "Its name.", type: "string" },
      server: { description: "Its server.", type: "string" },
      plan: { description: "Its plan.", type: "string" },
      services: { $ref: "services.schema.json" },
      state: { description: "Its state.", enum: ["active", "suspended", "cancelled"] },
      cancelled_on: { description: "When cancelled.", type: "string", format: "date" },
      suspend_reason: { description: "Why suspended.", type: "string" },
      protect: { description: "Never delete.", type: "boolean" },
      id: { description: "Its id.", type: "string" },
    },
  },
  plan: {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    description: "A thing template.",
    type: "object",
    additionalProperties: false,
    required: ["template"],
    properties: {
      kind: { description: "The kind.", type: "string" },
      template: { description: "The server's template.", type: "string" },
      description: { description: "For people.", type: "string" },
      services: { $ref: "services.schema.json" },
    },
  },
  identity: {
    id: { label: "thing id", pattern: "^[0-9]+$", survivesRenames: true },
    name: "name",
    keys: [{ name: "name", field: "info.name", label: "name", namespace: "thing", scope: "server", renames: false, unique: true }],
    match: [{ label: "name", pairs: [["name", "name"]] }],
  },
  states: { on: "active", off: "suspended" },
  relations: [],
  group: null,
  template: { entry: "template", field: "info.template", label: "template", resetsFields: false, createHint: "create the template" },
  capabilities: { deletion: "provider", suspendReason: false, actions: [], paid: [] },
};

const TWO_KINDS = new Catalogue([SITE, THING]);

/** fra1 and ams1 run ApisCP, box1 the other provider; an ApisCP plan and a thing plan. */
function twoProviders(): Files {
  return {
    ...baseFiles(),
    "siteform.yaml": `${CONFIG}${lines("  box1:", "    provider: other", "    url: https://box1.example.net/api", "    key_env: FRA1_KEY")}`,
    "plans/small.yaml": lines("kind: other/thing", "template: small-template", "services:", "  info:", "    size: 3"),
    "sites/t1.yaml": lines("name: t1", "server: box1", "plan: small"),
  };
}

describe("repository plans and kinds", () => {
  it("an entry of another provider's default kind resolves with that kind's plan", () => {
    const inventory = resolved(twoProviders(), { catalogue: TWO_KINDS });
    expect(inventory.catalogue).toBe(TWO_KINDS);
    expect(inventory.plans.map((p) => [p.name, p.kind, p.template])).toEqual([
      ["basic", "apiscp/site", "basic"],
      ["small", "other/thing", "small-template"],
    ]);
    const thing = inventory.resources.find((r) => r.key === "sites/t1.yaml");
    expect(thing).toMatchObject({ kind: "other/thing", server: "box1", name: "t1", plan: { name: "small", template: "small-template" } });
    expect(thing?.fields).toEqual({ info: { name: "t1", template: "small-template", size: 3 } });
    expect(inventory.resources.find((r) => r.key === "sites/alpha.yaml")?.kind).toBe("apiscp/site");
  });

  it("a site naming a plan of another kind", () => {
    const files = { ...twoProviders(), "sites/alpha.yaml": site("alpha.example", "alpha").replace("plan: basic", "plan: small") };
    const result = check(files, { catalogue: TWO_KINDS });
    const d = expectDiagnostic(result, { code: "plan-kind-mismatch", file: "sites/alpha.yaml", line: 5, column: 7, path: "plan", message: /plan `small` is a template for other\/thing, and this entry is apiscp\/site/ });
    expect(d.hint).toMatch(/apiscp\/site/);
    expectErrors(result, ["plan-kind-mismatch"]);
  });

  it("an entry of a kind its server's provider does not manage", () => {
    const files = { ...twoProviders(), "sites/t1.yaml": lines("kind: other/thing", "name: t1", "server: fra1", "plan: small") };
    const result = check(files, { catalogue: TWO_KINDS });
    const d = expectDiagnostic(result, { code: "unknown-kind", file: "sites/t1.yaml", line: 3, message: /`fra1` runs apiscp, which does not manage other\/thing/ });
    expect(d.hint).toMatch(/apiscp\/site/);
    expectErrors(result, ["unknown-kind"]);
  });
});

describe("policy.max_paid_ops", () => {
  it("is 0 unless set, and read when set", () => {
    expect(resolved(baseFiles()).policy.maxPaidOps).toBe(0);
    const config = `${CONFIG}${lines("policy:", "  max_paid_ops: 3")}`;
    expect(resolved({ ...baseFiles(), "siteform.yaml": config }).policy.maxPaidOps).toBe(3);
  });

  it("must be a whole number, not negative", () => {
    const config = `${CONFIG}${lines("policy:", "  max_paid_ops: -1")}`;
    const result = check({ ...baseFiles(), "siteform.yaml": config });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => [d.file, d.line, d.path])).toEqual([["siteform.yaml", 9, "policy.max_paid_ops"]]);
  });
});
