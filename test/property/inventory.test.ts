/**
 * Property tests of the inventory check: random valid inventories (random sizes, invoice
 * groups, lifecycle states, service overrides and YAML layouts) always validate, and one
 * random mistake from a catalogue is always reported with the right code at the right file,
 * line and column, and saying `kind:` in every file changes neither what resolves nor the
 * ops planned. Expected positions come from the YAML library's own node ranges, not from the
 * code under test.
 */
import fc from "fast-check";
import { LineCounter, isMap, isPair, isScalar, parseDocument, stringify, type ToStringOptions } from "yaml";
import { describe, expect, it } from "vitest";
import { checkInventory, type InventoryResult } from "../../src/inventory/index.js";
import type { DesiredResource, DiagnosticCode, Inventory, ObservedResource, ObservedServer } from "../../src/model/index.js";
import { buildPlan } from "../../src/planner/index.js";

type Doc = Record<string, unknown>;
type FileMap = Record<string, Doc>;
type Path = Array<string | number>;

const SERVERS = ["fra1", "ams1", "lon2"] as const;
const PLANS = ["starter", "business", "agency"] as const;

interface Model {
  files: FileMap;
  env: Record<string, string>;
  layout: ToStringOptions;
}

// ---------- generation ----------

const servicesArb = fc.record(
  {
    diskquota: fc.record({ quota: fc.nat(500), units: fc.constantFrom("MB", "GB", "TB") }, { requiredKeys: [] }),
    cgroup: fc.record({ memory: fc.nat(8192), proclimit: fc.integer({ min: 0, max: 4096 }), cpu: fc.constantFrom(50, 100, 250.5, null) }, { requiredKeys: [] }),
    ssh: fc.record({ enabled: fc.constantFrom(true, false, 0, 1) }),
    mysql: fc.record({ dbasenum: fc.integer({ min: 0, max: 999 }) }),
    spamfilter: fc.record({ provider: fc.constantFrom("rspamd", "spamassassin") }),
  },
  { requiredKeys: [] },
);

const lifecycleArb = fc.oneof(
  fc.constant({}),
  fc.constant({ state: "active" }),
  fc.record({ state: fc.constant("suspended"), suspend_reason: fc.constantFrom("unpaid invoice", "abuse report #42") }, { requiredKeys: ["state"] }),
  fc.record({ state: fc.constant("cancelled"), cancelled_on: fc.constantFrom("2024-02-29", "2025-01-31", "2025-12-01") }),
);

/** A site's shape; names are filled in afterwards so they are unique. */
interface SiteShape {
  plan: string;
  emails: number;
  aliases: number | undefined;
  services: Doc | undefined;
  lifecycle: Doc;
  protect: boolean | undefined;
  hasInvoice: boolean;
}

interface FileShape {
  kind: "site" | "group";
  server: string;
  site?: SiteShape;
  members?: SiteShape[];
  services?: Doc | undefined;
  lifecycle?: Doc;
}

const siteShapeArb = (plans: readonly string[]): fc.Arbitrary<SiteShape> =>
  fc.record({
    plan: fc.constantFrom(...plans),
    emails: fc.integer({ min: 0, max: 3 }),
    aliases: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    services: fc.option(servicesArb, { nil: undefined }),
    lifecycle: lifecycleArb,
    protect: fc.option(fc.boolean(), { nil: undefined }),
    hasInvoice: fc.boolean(),
  });

const fileShapeArb = (servers: readonly string[], plans: readonly string[]): fc.Arbitrary<FileShape> =>
  fc.oneof<fc.Arbitrary<FileShape>[]>(
    fc.record({ kind: fc.constant("site" as const), server: fc.constantFrom(...servers), site: siteShapeArb(plans) }),
    fc.record({
      kind: fc.constant("group" as const),
      server: fc.constantFrom(...servers),
      services: fc.option(servicesArb, { nil: undefined }),
      lifecycle: lifecycleArb,
      members: fc.array(siteShapeArb(plans), { minLength: 1, maxLength: 4 }),
    }),
  );

const layoutArb: fc.Arbitrary<ToStringOptions> = fc.record({
  indent: fc.constantFrom(2, 4),
  indentSeq: fc.boolean(),
  // Not "block": the yaml library then writes an empty list as a bare `[]` line, which is not YAML.
  collectionStyle: fc.constantFrom("any", "flow"),
  defaultStringType: fc.constantFrom("PLAIN", "QUOTE_DOUBLE", "QUOTE_SINGLE"),
  defaultKeyType: fc.constantFrom(null, "PLAIN"),
}) as fc.Arbitrary<ToStringOptions>;

const modelArb: fc.Arbitrary<Model> = fc
  .record({
    servers: fc.subarray([...SERVERS], { minLength: 1 }),
    plans: fc.uniqueArray(fc.record({ name: fc.constantFrom(...PLANS), apiscp: fc.constantFrom("basic", "business"), services: fc.option(servicesArb, { nil: undefined }) }), { minLength: 1, maxLength: 3, selector: (p) => p.name }),
    layout: layoutArb,
  })
  .chain(({ servers, plans, layout }) =>
    fc.array(fileShapeArb(servers, plans.map((p) => p.name)), { minLength: 1, maxLength: 8 }).map((shapes) => build(servers, plans, shapes, layout)),
  );

function build(
  servers: readonly string[],
  plans: ReadonlyArray<{ name: string; apiscp: string; services: Doc | undefined }>,
  shapes: readonly FileShape[],
  layout: ToStringOptions,
): Model {
  const files: FileMap = {
    "siteform.yaml": {
      servers: Object.fromEntries(servers.map((s) => [s, { url: `https://${s}.panel.example.net:2083/soap`, key_env: `${s.toUpperCase()}_KEY` }])),
      policy: { max_deletes: 3, ignore: ["bandwidth.threshold"] },
    },
  };
  for (const plan of plans) files[`plans/${plan.name}.yaml`] = { apiscp_plan: plan.apiscp, ...(plan.services === undefined ? {} : { services: plan.services }) };
  let n = 0;
  const site = (shape: SiteShape, inGroup: boolean): Doc => {
    n++;
    const emails = Array.from({ length: shape.emails }, (_, j) => `owner${j}@site${n}.example`);
    return {
      domain: `site${n}.example`,
      admin_user: `user${n}`,
      email: emails.length === 0 ? `owner@site${n}.example` : emails,
      plan: shape.plan,
      ...(shape.hasInvoice && !inGroup ? { invoice: `INV-${n}` } : {}),
      ...(shape.aliases === undefined ? {} : { aliases: Array.from({ length: shape.aliases }, (_, j) => `alias${n}x${j}.example`) }),
      ...(shape.services === undefined ? {} : { services: shape.services }),
      ...shape.lifecycle,
      ...(shape.protect === undefined ? {} : { protect: shape.protect }),
    };
  };
  shapes.forEach((shape, i) => {
    const file = `sites/f${String(i).padStart(3, "0")}.yaml`;
    if (shape.kind === "site" && shape.site !== undefined) {
      files[file] = { ...site(shape.site, false), server: shape.server };
    } else {
      const members = (shape.members ?? []).map((m) => site(m, true));
      files[file] = { invoice: `GRP-${i}`, server: shape.server, ...(shape.services === undefined ? {} : { services: shape.services }), ...shape.lifecycle, sites: members };
    }
  });
  const env = Object.fromEntries(servers.map((s) => [`${s.toUpperCase()}_KEY`, "k"]));
  return { files, env, layout };
}

function texts(model: Model, overrides: Record<string, string> = {}): Array<{ file: string; text: string }> {
  return Object.entries(model.files).map(([file, doc]) => ({ file, text: overrides[file] ?? stringify(doc, model.layout) }));
}

// ---------- the oracle: where the YAML library puts a node ----------

function position(text: string, path: Path, anchor: "value" | "key"): { line: number; column: number } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  let offset: number | undefined;
  if (anchor === "key") {
    const parent = doc.getIn(path.slice(0, -1), true);
    const name = path[path.length - 1];
    const pair = isMap(parent) ? parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === name) : undefined;
    offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
  } else {
    const node = doc.getIn(path, true) as { range?: number[] } | undefined;
    offset = node?.range?.[0];
  }
  if (offset === undefined) throw new Error(`oracle cannot find ${path.join(".")}`);
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

// ---------- the catalogue of mistakes ----------

interface Mistake {
  code: DiagnosticCode;
  file: string;
  severity?: "error" | "warning";
  /** Where the diagnostic must be: a node, or a whole line of the file's text. */
  at: { path: Path; anchor: "value" | "key" } | { line: number };
  /** Replaces the serialised text of `file` (for mistakes YAML cannot be built from data). */
  text?: string;
  env?: Record<string, string>;
}

interface SiteRef {
  file: string;
  path: Path;
  doc: Doc;
  server: string;
}

/** Every site in report order, with its effective server. */
function sitesOf(files: FileMap): SiteRef[] {
  return Object.keys(files)
    .filter((f) => f.startsWith("sites/"))
    .sort()
    .flatMap((file) => {
      const doc = files[file] as Doc;
      if (!Array.isArray(doc.sites)) return [{ file, path: [], doc, server: String(doc.server) }];
      return (doc.sites as Doc[]).map((member, i) => ({ file, path: ["sites", i], doc: member, server: String(doc.server) }));
    });
}

const pick = <T>(items: readonly T[], seed: number): T | undefined => (items.length === 0 ? undefined : items[seed % items.length]);

type MakeMistake = (files: FileMap, seed: number, model: Model) => Mistake | undefined;

const MISTAKES: Record<string, MakeMistake> = {
  unknownField(files, seed) {
    const s = pick(sitesOf(files), seed);
    if (s === undefined) return undefined;
    s.doc.colour = "blue";
    return { code: "unknown-field", file: s.file, at: { path: [...s.path, "colour"], anchor: "key" } };
  },
  wrongType(files, seed) {
    const s = pick(sitesOf(files), seed);
    if (s === undefined) return undefined;
    s.doc.services = { ...(s.doc.services as Doc | undefined), diskquota: { quota: "lots" } };
    return { code: "wrong-type", file: s.file, at: { path: [...s.path, "services", "diskquota", "quota"], anchor: "value" } };
  },
  badDomain(files, seed) {
    const s = pick(sitesOf(files), seed);
    if (s === undefined) return undefined;
    s.doc.domain = "not_a_domain";
    return { code: "bad-format", file: s.file, at: { path: [...s.path, "domain"], anchor: "value" } };
  },
  badEmail(files, seed) {
    const s = pick(sitesOf(files), seed);
    if (s === undefined) return undefined;
    s.doc.email = "owner-at-example";
    return { code: "bad-format", file: s.file, at: { path: [...s.path, "email"], anchor: "value" } };
  },
  badInvoice(files, seed) {
    const owners = Object.keys(files).filter((f) => f.startsWith("sites/") && typeof (files[f] as Doc).invoice === "string");
    const file = pick(owners, seed);
    if (file === undefined) return undefined;
    (files[file] as Doc).invoice = "INV 2024";
    return { code: "bad-format", file, at: { path: ["invoice"], anchor: "value" } };
  },
  badState(files, seed) {
    const s = pick(sitesOf(files), seed);
    if (s === undefined) return undefined;
    s.doc.state = "paused";
    return { code: "bad-value", file: s.file, at: { path: [...s.path, "state"], anchor: "value" } };
  },
  unknownServer(files, seed) {
    const file = pick(Object.keys(files).filter((f) => f.startsWith("sites/")), seed);
    if (file === undefined) return undefined;
    (files[file] as Doc).server = "zzz9";
    return { code: "unknown-server", file, at: { path: ["server"], anchor: "value" } };
  },
  unknownPlan(files, seed) {
    const s = pick(sitesOf(files), seed);
    if (s === undefined) return undefined;
    s.doc.plan = "no-such-plan";
    return { code: "unknown-plan", file: s.file, at: { path: [...s.path, "plan"], anchor: "value" } };
  },
  duplicateDomain(files, seed) {
    const sites = sitesOf(files);
    const pairs = sites.flatMap((a, i) => sites.slice(i + 1).filter((b) => b.server === a.server).map((b) => [a, b] as const));
    const pair = pick(pairs, seed);
    if (pair === undefined) return undefined;
    const [first, later] = pair;
    if (seed % 2 === 0) {
      later.doc.domain = first.doc.domain;
      return { code: "duplicate-domain", file: later.file, at: { path: [...later.path, "domain"], anchor: "value" } };
    }
    const aliases = Array.isArray(later.doc.aliases) ? (later.doc.aliases as string[]) : [];
    later.doc.aliases = [...aliases, first.doc.domain];
    return { code: "duplicate-domain", file: later.file, at: { path: [...later.path, "aliases", aliases.length], anchor: "value" } };
  },
  duplicateAdminUser(files, seed) {
    const sites = sitesOf(files);
    const pairs = sites.flatMap((a, i) => sites.slice(i + 1).filter((b) => b.server === a.server).map((b) => [a, b] as const));
    const pair = pick(pairs, seed);
    if (pair === undefined) return undefined;
    pair[1].doc.admin_user = pair[0].doc.admin_user;
    return { code: "duplicate-admin-user", file: pair[1].file, at: { path: [...pair[1].path, "admin_user"], anchor: "value" } };
  },
  duplicateInvoice(files, seed) {
    const owners = Object.keys(files).filter((f) => f.startsWith("sites/") && typeof (files[f] as Doc).invoice === "string").sort();
    const pairs = owners.flatMap((a, i) => owners.slice(i + 1).map((b) => [a, b] as const));
    const pair = pick(pairs, seed);
    if (pair === undefined) return undefined;
    (files[pair[1]] as Doc).invoice = (files[pair[0]] as Doc).invoice;
    return { code: "duplicate-invoice", file: pair[1], at: { path: ["invoice"], anchor: "value" } };
  },
  cancelledWithoutDate(files, seed) {
    const s = pick(sitesOf(files), seed);
    if (s === undefined) return undefined;
    s.doc.state = "cancelled";
    delete s.doc.cancelled_on;
    delete s.doc.suspend_reason;
    return { code: "cancelled-without-date", file: s.file, at: { path: [...s.path, "state"], anchor: "value" } };
  },
  secret(files, seed) {
    const s = pick(sitesOf(files), seed);
    if (s === undefined) return undefined;
    s.doc.services = { ...(s.doc.services as Doc | undefined), auth: { tpasswd: "Corr3ct-Horse" } };
    return { code: "secret", file: s.file, at: { path: [...s.path, "services", "auth", "tpasswd"], anchor: "key" } };
  },
  childOnOtherServer(files, seed) {
    const servers = Object.keys((files["siteform.yaml"] as Doc).servers as Doc);
    const children = sitesOf(files).filter((s) => s.path[1] !== undefined && s.path[1] !== 0);
    const child = pick(children, seed);
    const other = servers.find((name) => name !== child?.server);
    if (child === undefined || other === undefined) return undefined;
    child.doc.server = other;
    return { code: "group-server-mismatch", file: child.file, at: { path: [...child.path, "server"], anchor: "value" } };
  },
  planUnknownService(files, seed) {
    const file = pick(Object.keys(files).filter((f) => f.startsWith("plans/")), seed);
    if (file === undefined) return undefined;
    const plan = files[file] as Doc;
    plan.services = { ...(plan.services as Doc | undefined), frobnicate: { level: 1 } };
    return { code: "unknown-field", file, at: { path: ["services", "frobnicate"], anchor: "key" } };
  },
  configUnknownField(files, seed) {
    const config = files["siteform.yaml"] as Doc;
    const name = pick(Object.keys(config.servers as Doc), seed) as string;
    ((config.servers as Doc)[name] as Doc).verify_ssl = false;
    return { code: "unknown-field", file: "siteform.yaml", at: { path: ["servers", name, "verify_ssl"], anchor: "key" } };
  },
  duplicateKey(files, seed, model) {
    const file = pick(Object.keys(files).filter((f) => f.startsWith("sites/")), seed);
    if (file === undefined) return undefined;
    const text = stringify(files[file], { ...model.layout, collectionStyle: "any" });
    return { code: "duplicate-key", file, text: `${text}server: fra1\n`, at: { line: text.split("\n").length } };
  },
  yamlSyntax(files, seed, model) {
    const file = pick(Object.keys(files).sort(), seed) as string;
    const text = stringify(files[file], { ...model.layout, collectionStyle: "any" });
    const bad = seed % 2 === 0 ? "@note: checked" : "note: see: ticket 12";
    return { code: "yaml-syntax", file, text: `${text}${bad}\n`, at: { line: text.split("\n").length } };
  },
  missingKey(files, seed, model) {
    const servers = Object.entries((files["siteform.yaml"] as Doc).servers as Record<string, Doc>);
    const [name, server] = pick(servers, seed) ?? [];
    if (name === undefined || server === undefined) return undefined;
    const env = { ...model.env };
    delete env[String(server.key_env)];
    return { code: "missing-key-env", severity: "warning", file: "siteform.yaml", env, at: { path: ["servers", name, "key_env"], anchor: "value" } };
  },
};

// ---------- the same inventory, saying its kind ----------

/** Every plan and resource file with `kind: apiscp/site` as its last key, so no earlier node moves. */
function withKinds(model: Model): Model {
  const files: FileMap = {};
  for (const [file, doc] of Object.entries(model.files)) files[file] = file === "siteform.yaml" ? doc : { ...doc, kind: "apiscp/site" };
  return { ...model, files };
}

/** What a server may hold of a desired site: nothing, the site as wanted, or the site with one difference. */
type Seen = "absent" | "same" | "changed-field" | "missing-field" | "other-state";

/** A field's value made different in its own type. */
function otherValue(value: unknown): unknown {
  if (typeof value === "number") return value + 1;
  if (typeof value === "boolean") return !value;
  if (Array.isArray(value)) return value.length === 0 ? ["x.example"] : value.slice(1);
  if (value === null) return "x";
  return `${String(value)}-old`;
}

/** Observed servers built from the resolved sites, each seen as `seen` says, plus one site nobody manages. */
function observedOf(resources: readonly DesiredResource[], servers: readonly string[], seen: readonly Seen[], pick: number): ObservedServer[] {
  return servers.map((server) => {
    const mine = resources.filter((r) => r.server === server);
    const collected = new Set<string>();
    for (const r of mine) for (const [group, fields] of Object.entries(r.fields)) for (const field of Object.keys(fields)) collected.add(`${group}.${field}`);
    const observed: ObservedResource[] = [];
    mine.forEach((r, i) => {
      const how = seen[(resources.indexOf(r) + i) % seen.length] ?? "same";
      if (how === "absent") return;
      const fields: Record<string, Record<string, unknown>> = structuredClone(r.fields) as Record<string, Record<string, unknown>>;
      const paths = [...collected].filter((p) => !p.startsWith("siteinfo.") && !p.startsWith("billing.")).sort();
      const path = paths[(pick + i) % Math.max(paths.length, 1)];
      if (path !== undefined && (how === "changed-field" || how === "missing-field")) {
        const [group = "", field = ""] = path.split(".");
        const values = (fields[group] ??= {});
        if (how === "missing-field") delete values[field];
        else values[field] = otherValue(values[field]);
      }
      const state = r.state === "active" ? (how === "other-state" ? "suspended" : "active") : how === "other-state" ? "active" : "suspended";
      observed.push({ server, kind: r.kind, id: `site${i + 1}`, name: r.name, state, fields: fields as ObservedResource["fields"] });
    });
    observed.push({
      server,
      kind: "apiscp/site",
      id: `site${mine.length + 1}`,
      name: `stray-${server}.example`,
      state: "active",
      fields: { siteinfo: { domain: `stray-${server}.example`, admin_user: `stray${server}`, email: "x@stray.example", plan: "basic" } },
    });
    return { server, ok: true, resources: observed, templates: { "apiscp/site": ["basic", "business"] }, fields: { "apiscp/site": [...collected].sort() } };
  });
}

function planOf(inventory: Inventory, observed: readonly ObservedServer[], servers: readonly string[]): ReturnType<typeof buildPlan> {
  return buildPlan(inventory, observed, {
    now: "2026-03-01T06:00:00.000Z",
    commit: { commit: "0123456789abcdef0123456789abcdef01234567", dirty: false },
    allowDeletes: null,
    servers,
    resetPlanDefaults: false,
  });
}

// ---------- the properties ----------

function errors(result: InventoryResult): string[] {
  return result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`);
}

describe("inventory properties", () => {
  it("random valid inventories validate and resolve every site", () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const result = checkInventory(texts(model), { env: model.env });
        expect(errors(result)).toEqual([]);
        const expected = sitesOf(model.files).map((s) => s.doc.domain);
        expect(result.inventory?.resources.map((s) => s.name)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it("a random inventory means the same and plans the same ops when every file says its kind", () => {
    let planned = 0;
    let runs = 0;
    fc.assert(
      fc.property(modelArb, fc.array(fc.constantFrom<Seen>("absent", "same", "changed-field", "missing-field", "other-state"), { minLength: 1, maxLength: 6 }), fc.nat(), (model, seen, pick) => {
        // No line folding: a flow mapping folded at 80 columns would fold elsewhere once `kind:` is added, moving earlier nodes.
        const unfolded = { ...model, layout: { ...model.layout, lineWidth: 0 } };
        const plain = checkInventory(texts(unfolded), { env: model.env });
        const kinded = checkInventory(texts(withKinds(unfolded)), { env: model.env });
        expect(errors(kinded)).toEqual(errors(plain));
        if (!plain.inventory || !kinded.inventory) throw new Error("a valid inventory did not resolve");
        expect(kinded.inventory.resources).toEqual(plain.inventory.resources);
        expect(kinded.inventory.plans).toEqual(plain.inventory.plans);
        const servers = plain.inventory.servers.map((s) => s.name);
        const observed = observedOf(plain.inventory.resources, servers, seen, pick);
        const before = planOf(plain.inventory, observed, servers);
        const after = planOf(kinded.inventory, observed, servers);
        expect(after.ops).toEqual(before.ops);
        expect(after.servers).toEqual(before.servers);
        expect(after.summary).toEqual(before.summary);
        expect(after.diagnostics).toEqual(before.diagnostics);
        runs += 1;
        if (before.ops.length > 0) planned += 1;
      }),
      { numRuns: 150 },
    );
    // Not a comparison of empty plans: most random inventories plan something against these servers.
    expect(planned).toBeGreaterThan(runs / 2);
  });

  it("one random mistake is reported with its code, file, line and column", () => {
    fc.assert(
      fc.property(modelArb, fc.constantFrom(...Object.keys(MISTAKES)), fc.nat(), (model, name, seed) => {
        const files = structuredClone(model.files);
        const mistake = (MISTAKES[name] as MakeMistake)(files, seed, model);
        fc.pre(mistake !== undefined);
        if (mistake === undefined) return;
        const mutated = { ...model, files };
        const text = mistake.text ?? stringify(files[mistake.file], model.layout);
        const result = checkInventory(texts(mutated, { [mistake.file]: text }), { env: mistake.env ?? model.env });
        const where = "line" in mistake.at ? { line: mistake.at.line, column: undefined } : position(text, mistake.at.path, mistake.at.anchor);
        const found = result.diagnostics.filter(
          (d) => d.code === mistake.code && d.file === mistake.file && d.line === where.line && (where.column === undefined || d.column === where.column),
        );
        expect(found, `${name} in ${mistake.file} at ${JSON.stringify(where)}:\n${text}\n${JSON.stringify(result.diagnostics, null, 1)}`).toHaveLength(1);
        expect(found[0]?.severity).toBe(mistake.severity ?? "error");
        // The mistake is the only error: nothing cascades from it.
        expect(errors(result)).toHaveLength(mistake.severity === "warning" ? 0 : 1);
      }),
      { numRuns: 400 },
    );
  });
});
