import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlanFileWriteError, readPlanFile, writePlanFile } from "../../src/engine/plan-file-io.js";
import { parsePlanFile, serializePlan } from "../../src/planner/plan-file.js";
import { REDACTED } from "../../src/render/index.js";
import { licencePlan, op, planOf, richPlan, server } from "./render/rich-plan.js";
import { mixedCatalogue, siteCatalogue } from "./render/test-kinds.js";

const catalogue = siteCatalogue();
const serialize = (plan: Parameters<typeof serializePlan>[0]): string => serializePlan(plan, catalogue);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "siteform-plan-file-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function errorsOf(text: string): { problem: string; errors: readonly string[] } {
  const result = parsePlanFile("plan.json", text);
  if (result.ok) throw new Error("expected the plan file to be refused");
  return result;
}

function mutated(edit: (doc: Record<string, unknown> & { ops: Array<Record<string, unknown>> }) => void): string {
  const doc = JSON.parse(serialize(richPlan())) as Record<string, unknown> & { ops: Array<Record<string, unknown>> };
  edit(doc);
  return JSON.stringify(doc);
}

describe("plan file round trip", () => {
  it("reads back exactly what it wrote, secrets redacted", async () => {
    const path = join(dir, "round.json");
    await writePlanFile(path, richPlan(), catalogue);
    const read = await readPlanFile(path);
    if (!read.ok) throw new Error(read.errors.join("\n"));
    const gamma = read.plan.ops.find((o) => o.id === "fra1:update:gamma.example");
    expect(gamma?.changes.find((c) => c.field === "dns.key")).toMatchObject({ before: REDACTED, after: REDACTED, secret: true });
    // Everything but the secrets is unchanged, and writing the read plan gives the same bytes.
    expect(serialize(read.plan)).toBe(await readFile(path, "utf8"));
    const { digest, ...withoutSecrets } = JSON.parse(serialize(richPlan())) as Record<string, unknown>;
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(read.plan).toEqual(withoutSecrets);
    expect(read.intact).toBe(true);
  });

  it("tells an edited file from one siteform wrote: any change of content, or a missing digest; not white space", () => {
    const text = serialize(richPlan());
    const intact = (t: string): boolean => {
      const r = parsePlanFile("plan.json", t);
      if (!r.ok) throw new Error(r.errors.join("\n"));
      return r.intact;
    };
    expect(intact(text)).toBe(true);
    expect(intact(JSON.stringify(JSON.parse(text)))).toBe(true);
    expect(intact(text.replace('"action": "update"', '"action": "delete"'))).toBe(false);
    expect(intact(text.replace(/"createdAt": "[^"]+"/, '"createdAt": "2030-01-01T00:00:00.000Z"'))).toBe(false);
    const { digest: _digest, ...rest } = JSON.parse(text) as Record<string, unknown>;
    expect(intact(JSON.stringify(rest))).toBe(false);
  });

  it("is stable: pretty, a final newline, the same bytes whatever order objects were built in", () => {
    const plan = richPlan();
    const shuffled = JSON.parse(JSON.stringify(plan, (_k, v: unknown) => (typeof v === "object" && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v))) as typeof plan;
    const text = serialize(plan);
    expect(serialize(shuffled)).toBe(text);
    expect(text.startsWith('{\n  "formatVersion": 3,\n  "createdAt": ')).toBe(true);
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("orders each object's keys as the model declares them", () => {
    const doc = JSON.parse(serialize(richPlan())) as { options: object; summary: object; ops: Array<Record<string, unknown>> };
    expect(Object.keys(doc.summary)).toEqual(["total", "paid", "byAction", "byServer"]);
    const del = doc.ops.find((o) => o.action === "delete") ?? {};
    expect(Object.keys(del)).toEqual(["id", "server", "kind", "action", "target", "changes", "flags", "dependsOn", "preconditions", "reason", "notes"]);
    expect(Object.keys(del.flags as object)).toEqual(["deletion"]);
    expect(Object.keys((del.flags as { deletion: object }).deletion)).toEqual(["suspendedDays", "ownerTag"]);
    expect(Object.keys(del.target as object)).toEqual(["id", "name", "key", "source"]);
  });

  it("round-trips a plan with a kind's own action, paid ops and a secret of another kind", () => {
    const text = serializePlan(licencePlan(), mixedCatalogue());
    expect(text).not.toContain("TOKEN-");
    const read = parsePlanFile("plan.json", text);
    if (!read.ok) throw new Error(read.errors.join("\n"));
    expect(read.intact).toBe(true);
    expect(read.plan.summary.paid).toBe(2);
    expect(read.plan.ops.map((o) => [o.action, o.paid ?? false])).toEqual([
      ["renew", true],
      ["update", false],
      ["create", true],
      ["delete", false],
      ["update", false],
    ]);
    expect(serializePlan(read.plan, mixedCatalogue())).toBe(text);
  });

  it("replaces the old file whole and leaves no temporary file", async () => {
    const path = join(dir, "replace.json");
    await writePlanFile(path, planOf([], [server("fra1")]), catalogue);
    await writePlanFile(path, richPlan(), catalogue);
    expect(await readFile(path, "utf8")).toBe(serialize(richPlan()));
    expect((await readdir(dir)).filter((f) => f.includes(".tmp"))).toEqual([]);
  });

  it("on failure keeps what was there, cleans up, and says what to do", async () => {
    const target = join(dir, "is-a-dir");
    await mkdir(target);
    await writeFile(join(target, "keep.txt"), "keep");
    await expect(writePlanFile(target, richPlan(), catalogue)).rejects.toThrow(PlanFileWriteError);
    await expect(writePlanFile(target, richPlan(), catalogue)).rejects.toThrow(/cannot write the plan to .*is-a-dir: .*nothing was changed there/);
    expect(await readFile(join(target, "keep.txt"), "utf8")).toBe("keep");
    expect((await readdir(dir)).filter((f) => f.includes(".tmp"))).toEqual([]);
    await expect(writePlanFile(join(dir, "missing", "plan.json"), richPlan(), catalogue)).rejects.toThrow(/the directory does not exist/);
  });
});

describe("reading a bad plan file", () => {
  it("says when the file cannot be read", async () => {
    const result = await readPlanFile(join(dir, "nope.json"), "nope.json");
    expect(result).toEqual({ ok: false, problem: "unreadable", errors: ["cannot read the plan file nope.json: no such file; check the path, or write a plan with `siteform plan -o FILE`."] });
  });

  it("gives line and column of broken JSON", () => {
    const { problem, errors } = errorsOf('{\n  "formatVersion": 1,\n  "ops": [1 2]\n}');
    expect(problem).toBe("not-json");
    expect(errors[0]).toMatch(/^plan\.json:3:13: not a plan file: the JSON is broken \(Expected ',' or ']' after array element\)/);
    expect(errorsOf('{"formatVersion": ').errors[0]).toMatch(/^plan\.json:1:19: .*the file ends too early/);
  });

  it("refuses unknown and missing format versions, telling the user to plan again", () => {
    expect(errorsOf('{"formatVersion": 4}').errors[0]).toBe(
      "plan.json: written by a newer siteform (plan format 4; this siteform reads format 3): upgrade siteform, or plan again with this siteform (`siteform plan -o FILE`).",
    );
    expect(errorsOf('{"formatVersion": 2}').errors[0]).toMatch(/written by an older siteform \(plan format 2; this siteform reads format 3\): plan again/);
    expect(errorsOf('{"ops": []}').errors[0]).toMatch(/no formatVersion; if it is a plan, it was written by an older siteform: plan again/);
    expect(errorsOf('{"formatVersion": 0}').errors[0]).toMatch(/written by an older siteform \(plan format 0/);
    expect(errorsOf('{"formatVersion": "1"}').errors[0]).toMatch(/formatVersion must be a whole number, it is "1"/);
    expect(errorsOf("[]")).toMatchObject({ problem: "version", errors: [expect.stringMatching(/the JSON is a list, not a plan document/)] });
  });

  it("names the JSON path of each schema violation, without quoting values", () => {
    const text = mutated((doc) => {
      const first = doc.ops[0] as { action: string; target: Record<string, unknown> };
      first.action = "Destroy!";
      delete first.target.id;
      (doc.ops[1] as Record<string, unknown>).extra = "SECRET-ISH-VALUE";
    });
    const { problem, errors } = errorsOf(text);
    expect(problem).toBe("invalid");
    expect(errors[0]).toMatch(/^plan\.json: not a valid plan file \(3 problems\); .*plan again/);
    expect(errors.slice(1)).toEqual([
      '  ops[0].action: must match pattern "^[a-z][a-z-]*$"',
      "  ops[0].target.id: is missing",
      "  ops[1].extra: is not a field of the plan format",
    ]);
    expect(errors.join("\n")).not.toContain("SECRET-ISH-VALUE");
  });

  it("checks what the schema cannot: unique ids, earlier dependencies, listed servers", () => {
    const a = op("update", "a.example", { reason: "r", dependsOn: ["fra1:create:b.example"] });
    const b = op("create", "b.example", { reason: "r" });
    const c = op("update", "a.example", { reason: "r", server: "fra1" });
    const d = op("update", "d.example", { reason: "r", server: "nowhere" });
    const { errors } = errorsOf(serialize(planOf([a, b, c, d], [server("fra1")])));
    expect(errors.slice(1)).toEqual([
      '  ops[0].dependsOn[0]: "fra1:create:b.example" is not the id of an earlier operation',
      '  ops[2].id: "fra1:update:a.example" is the id of an earlier operation too; ids must be unique',
      '  ops[3].server: "nowhere" is not one of the plan\'s servers',
    ]);
  });
});
