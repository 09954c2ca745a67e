/**
 * Whatever single edit is made to a valid saved plan file (an op's action, its kind, a value, its
 * target, its flags, whether it costs money, its dependencies, an op dropped or added, an op moved to another server), apply
 * refuses the whole file and sends nothing: with the file's digest left as it was (the edit is
 * caught as an edit) and with the digest recomputed as a forger would (the edit is caught by
 * planning again). Real CLI, real client, two emulated servers; the emulators' counters say
 * what reached them.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OP_ACTIONS, type Op, type OpFlags, type Plan } from "../../src/model/index.js";
import { serializePlan } from "../../src/planner/plan-file.js";
import { catalogueOf } from "../../src/providers/registry.js";
import { addSite, invokeDaysAgo, invoke, mutatingCalls, startTestFleet, type TestFleet, SMALL_PLAN_YAML } from "../integration/cli-harness.js";

const RUNS = Number(process.env.EDITED_PLAN_RUNS ?? 40);

const CONFIG = `servers:
  s1:
    url: http://127.0.0.1:1/soap
    key_env: S1_APISCP_KEY
  s2:
    url: http://127.0.0.1:1/soap
    key_env: S2_APISCP_KEY
policy:
  max_deletes: 5
`;

const site = (name: string, server = "s1", extra = ""): string =>
  `domain: ${name}.example\nserver: ${server}\nadmin_user: ${name}\nemail: owner@${name}.example\nplan: small\n${extra}`;

let fleet: TestFleet;
let saved: Plan & { digest: string };
let savedText: string;

beforeAll(async () => {
  fleet = await startTestFleet({
    "siteform.yaml": CONFIG,
    "plans/small.yaml": SMALL_PLAN_YAML,
    "sites/alpha.yaml": site("alpha", "s1", "protect: true\n"),
    "sites/beta.yaml": site("beta"),
    "sites/gamma.yaml": site("gamma"),
    "sites/delta.yaml": site("delta"),
    "sites/gone.yaml": site("gone", "s1", "state: cancelled\ncancelled_on: 2020-01-01\n"),
    "sites/eps.yaml": site("eps", "s1", "state: suspended\n"),
    "sites/zeta.yaml": site("zeta", "s2"),
  });
  const s1 = fleet.server("s1");
  const base = (name: string) => ({ "siteinfo.plan": "starter", "siteinfo.email": `owner@${name}.example`, "diskquota.quota": 2 });
  addSite(s1, "alpha.example", "alpha", { ...base("alpha"), "diskquota.quota": 1 });
  addSite(s1, "beta.example", "beta", { ...base("beta"), "diskquota.quota": 1 });
  addSite(s1, "delta.example", "delta", base("delta"));
  invoke(s1, "admin_deactivate_site", "delta.example", { reason: "abuse report" });
  addSite(s1, "gone.example", "gone", base("gone"));
  invokeDaysAgo(s1, 90, "admin_deactivate_site", "gone.example", { reason: "siteform: cancelled on 2020-01-01" });
  addSite(s1, "eps.example", "eps", base("eps"));
  const planned = await fleet.cli(["plan", "-o", "plan.json"]);
  expect(planned.code, planned.stderr).toBe(0);
  savedText = await fleet.read("plan.json");
  saved = JSON.parse(savedText) as Plan & { digest: string };
  // Every kind of op is there to be edited: update, create, activate, suspend, delete, on two servers.
  expect(new Set(saved.ops.map((o) => o.action))).toEqual(new Set(OP_ACTIONS));
  expect(new Set(saved.ops.map((o) => o.server))).toEqual(new Set(["s1", "s2"]));
});

afterAll(async () => {
  await fleet.close();
});

type Edit = { name: string; apply: (ops: Op[]) => Op[] };

const index = (ops: readonly Op[]): fc.Arbitrary<number> => fc.nat({ max: ops.length - 1 });

function replaceAt(ops: Op[], i: number, op: Op): Op[] {
  return ops.map((o, j) => (j === i ? op : o));
}

function editArb(ops: readonly Op[]): fc.Arbitrary<Edit> {
  const withChanges = ops.map((o, i) => [o, i] as const).filter(([o]) => o.changes.length > 0);
  const action = fc.tuple(index(ops), fc.nat()).map(([i, k]): Edit => {
    const op = ops[i] as Op;
    const others = OP_ACTIONS.filter((a) => a !== op.action);
    const to = others[k % others.length] ?? "delete";
    return { name: `action of ${op.id} → ${to}`, apply: (all) => replaceAt(all, i, { ...op, action: to }) };
  });
  const value = fc.tuple(fc.constantFrom(...withChanges), fc.nat(), fc.oneof(fc.integer({ min: 3, max: 10_000 }), fc.string({ minLength: 1, maxLength: 8 }))).map(([[op, i], k, v]): Edit => {
    const j = k % op.changes.length;
    return {
      name: `value of ${op.id} change ${j} → ${JSON.stringify(v)}`,
      apply: (all) => replaceAt(all, i, { ...op, changes: op.changes.map((c, n) => (n === j ? { ...c, after: JSON.stringify(c.after) === JSON.stringify(v) ? `${String(v)}x` : v } : c)) }),
    };
  });
  const kind = fc.tuple(index(ops), fc.constantFrom("kind", "paid")).map(([i, part]): Edit => {
    const op = ops[i] as Op;
    if (part === "kind") return { name: `kind of ${op.id} → apiscp/other`, apply: (all) => replaceAt(all, i, { ...op, kind: "apiscp/other" }) };
    const { paid: _paid, ...free } = op;
    return { name: `paid of ${op.id} toggled`, apply: (all) => replaceAt(all, i, op.paid === true ? free : { ...op, paid: true }) };
  });
  const target = fc.tuple(index(ops), fc.constantFrom("id", "name")).map(([i, part]): Edit => {
    const op = ops[i] as Op;
    const changed = { ...op.target, [part]: `${String(op.target[part] ?? "x")}-edited` };
    return { name: `target.${part} of ${op.id}`, apply: (all) => replaceAt(all, i, { ...op, target: changed }) };
  });
  const flagChoices: ReadonlyArray<[keyof OpFlags, OpFlags[keyof OpFlags]]> = [
    ["reset", true],
    ["template", "other-plan"],
    ["reason", "edited reason"],
    ["deletion", { suspendedDays: 1, ownerTag: "siteform: cancelled" }],
    ["deletion", { suspendedDays: 30, ownerTag: "" }],
  ];
  const flags = fc.tuple(index(ops), fc.constantFrom(...flagChoices)).map(([i, [flag, v]]): Edit => {
    const op = ops[i] as Op;
    const value = op.flags[flag] === v ? undefined : v;
    return { name: `flags.${flag} of ${op.id} → ${String(value)}`, apply: (all) => replaceAt(all, i, { ...op, flags: { ...op.flags, [flag]: value } }) };
  });
  const dependency = fc.tuple(fc.integer({ min: 1, max: ops.length - 1 }), fc.nat()).map(([i, k]): Edit => {
    const op = ops[i] as Op;
    const earlier = ops.slice(0, i).map((o) => o.id);
    const dep = earlier[k % earlier.length] as string;
    const dependsOn = op.dependsOn.includes(dep) ? op.dependsOn.filter((d) => d !== dep) : [...op.dependsOn, dep];
    return { name: `dependsOn of ${op.id} ${op.dependsOn.includes(dep) ? "without" : "with"} ${dep}`, apply: (all) => replaceAt(all, i, { ...op, dependsOn }) };
  });
  const drop = index(ops).map((i): Edit => {
    const id = (ops[i] as Op).id;
    return { name: `drop ${id}`, apply: (all) => all.filter((o) => o.id !== id).map((o) => ({ ...o, dependsOn: o.dependsOn.filter((d) => d !== id) })) };
  });
  const add = fc.tuple(index(ops), fc.constantFrom("copy", "delete")).map(([i, how]): Edit => {
    const op = ops[i] as Op;
    const extra: Op =
      how === "copy"
        ? { ...op, id: `${op.id}-again`, target: { ...op.target, name: `extra-${op.target.name}` }, dependsOn: [] }
        : { ...op, id: `${op.server}:delete:${op.target.name}:added`, action: "delete", changes: [], dependsOn: [], flags: { deletion: { suspendedDays: 30, ownerTag: "siteform: cancelled" } } };
    return { name: `add ${extra.id}`, apply: (all) => [...all, extra] };
  });
  const server = index(ops).map((i): Edit => {
    const op = ops[i] as Op;
    const to = op.server === "s1" ? "s2" : "s1";
    return { name: `server of ${op.id} → ${to}`, apply: (all) => replaceAt(all, i, { ...op, server: to }) };
  });
  return fc.oneof(action, kind, value, target, flags, dependency, drop, add, server);
}

describe("an edited saved plan", () => {
  it("is refused whole, with zero mutating calls, whatever the single edit and whether or not the digest was recomputed", async () => {
    await fc.assert(
      fc.asyncProperty(editArb(saved.ops), fc.boolean(), async (edit, resign) => {
        const ops = edit.apply(saved.ops.map((o) => ({ ...o })));
        const edited: Plan = { ...saved, ops };
        const text = resign ? serializePlan(edited, catalogueOf()) : `${JSON.stringify({ ...edited, digest: saved.digest }, null, 2)}\n`;
        await fleet.write("edited.json", text);
        for (const name of ["s1", "s2"]) fleet.server(name).calls.reset();
        const applied = await fleet.cli(["apply", "edited.json", "--allow-deletes", "5"]);
        const sent = mutatingCalls(fleet.server("s1")) + mutatingCalls(fleet.server("s2"));
        expect(applied.code, `${edit.name} (digest ${resign ? "recomputed" : "kept"}): ${applied.stderr}`).toBe(1);
        expect(applied.stderr, edit.name).toMatch(/nothing was applied/i);
        expect(sent, edit.name).toBe(0);
      }),
      { numRuns: RUNS },
    );
    // The untouched file is still good: it is refused only when edited.
    expect(await fleet.read("plan.json")).toBe(savedText);
  });
});
