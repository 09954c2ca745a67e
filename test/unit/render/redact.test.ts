import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writePlanFile } from "../../../src/engine/plan-file-io.js";
import { serializePlan } from "../../../src/planner/plan-file.js";
import { REDACTED, redactPlan, renderPlan } from "../../../src/render/index.js";
import { op, planOf, richPlan, SECRET_VALUES, server } from "./rich-plan.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function everyRendering(plan = richPlan()): { text: string; color: string; markdown: string; shortMarkdown: string; json: string; file: string } {
  return {
    text: renderPlan(plan, "text", { color: false }),
    color: renderPlan(plan, "text", { color: true }),
    markdown: renderPlan(plan, "markdown"),
    shortMarkdown: renderPlan(plan, "markdown", { maxChars: 1500 }),
    json: renderPlan(plan, "json"),
    file: serializePlan(plan),
  };
}

describe("secret redaction", () => {
  it("never shows a value of a field the schema marks x-secret, in any output", () => {
    for (const [name, out] of Object.entries(everyRendering())) {
      for (const secret of SECRET_VALUES) expect(out, `${name} leaks ${secret}`).not.toContain(secret);
    }
  });

  it("keeps the change visible, marked secret, with the marker in JSON and a word in text", () => {
    const { text, json } = everyRendering();
    expect(text).toMatch(/dns\.key +\(secret\) → \(secret\)/);
    const doc = JSON.parse(json) as { ops: Array<{ changes: Array<{ field: string; before: unknown; after: unknown; secret?: boolean }>; preconditions: { fields: Record<string, unknown> } }> };
    const gamma = doc.ops.find((o) => o.changes.some((c) => c.field === "dns.key"));
    expect(gamma?.changes.find((c) => c.field === "dns.key")).toEqual({ field: "dns.key", before: REDACTED, after: REDACTED, secret: true });
    expect(gamma?.preconditions.fields["dns.key"]).toBe(REDACTED);
    expect(gamma?.preconditions.fields["siteinfo.plan"]).toBe("basic");
  });

  it("redacts a change the planner marked secret whatever its field, and never shows the marked value", () => {
    const leaked = "hunter2-password-value";
    const plan = planOf([op("update", "a.example", { reason: "r", changes: [{ field: "custom.thing", before: leaked, after: leaked, secret: true }] })], [server("fra1")]);
    for (const out of Object.values(everyRendering(plan))) expect(out).not.toContain(leaked);
  });

  it("cuts a secret value out of free text too (reasons, notes, diagnostics, server errors)", () => {
    const key = "MAIL-KEY-77aa88bb99cc";
    const plan = planOf(
      [op("update", "a.example", { reason: `mail key ${key} differs`, notes: [`was ${key}`], changes: [{ field: "mail.key", before: key, after: "other-secret-1234" }] })],
      [server("fra1", { error: null }), server("ams1", { fingerprint: null, error: `refused key ${key}` })],
      [{ severity: "warning", code: "w", server: "fra1", message: `saw ${key}` }],
    );
    for (const out of Object.values(everyRendering(plan))) {
      expect(out).not.toContain(key);
      expect(out).not.toContain("other-secret-1234");
    }
    expect(redactPlan(plan).ops[0]?.reason).toBe(`mail key ${REDACTED} differs`);
  });

  it("masks secret parameters inside a whole-service value", () => {
    const plan = planOf([op("update", "a.example", { reason: "r", changes: [{ field: "auth", before: null, after: { tpasswd: "Sup3rSecretPw!", other: "kept" } }] })], [server("fra1")]);
    expect(redactPlan(plan).ops[0]?.changes[0]?.after).toEqual({ tpasswd: REDACTED, other: "kept" });
    for (const out of Object.values(everyRendering(plan))) expect(out).not.toContain("Sup3rSecretPw!");
  });

  it("does not change the plan it is given", () => {
    const plan = richPlan();
    const before = JSON.stringify(plan);
    everyRendering(plan);
    expect(JSON.stringify(plan)).toBe(before);
  });

  it("writes plan files without secrets", async () => {
    const dir = await mkdtemp(join(tmpdir(), "siteform-redact-"));
    dirs.push(dir);
    await writePlanFile(join(dir, "plan.json"), richPlan());
    const written = await readFile(join(dir, "plan.json"), "utf8");
    for (const secret of SECRET_VALUES) expect(written).not.toContain(secret);
  });
});
