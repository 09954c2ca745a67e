import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writePlanFile } from "../../../src/engine/plan-file-io.js";
import { serializePlan } from "../../../src/planner/plan-file.js";
import { REDACTED, redactPlan, renderPlan } from "../../../src/render/index.js";
import { licencePlan, op, planOf, richPlan, SECRET_VALUES, server } from "./rich-plan.js";
import { LICENCE_KIND, mixedCatalogue, siteCatalogue } from "./test-kinds.js";

const catalogue = siteCatalogue();

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function everyRendering(plan = richPlan(), cat = catalogue): { text: string; color: string; markdown: string; shortMarkdown: string; json: string; file: string } {
  return {
    text: renderPlan(plan, "text", cat, { color: false }),
    color: renderPlan(plan, "text", cat, { color: true }),
    markdown: renderPlan(plan, "markdown", cat),
    shortMarkdown: renderPlan(plan, "markdown", cat, { maxChars: 1500 }),
    json: renderPlan(plan, "json", cat),
    file: serializePlan(plan, cat),
  };
}

describe("secret redaction", () => {
  it("never shows a value of a field the kind marks x-secret, in any output", () => {
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
    expect(redactPlan(plan, catalogue).ops[0]?.reason).toBe(`mail key ${REDACTED} differs`);
  });

  it("masks secret fields inside a whole-group value", () => {
    const plan = planOf([op("update", "a.example", { reason: "r", changes: [{ field: "auth", before: null, after: { tpasswd: "Sup3rSecretPw!", other: "kept" } }] })], [server("fra1")]);
    expect(redactPlan(plan, catalogue).ops[0]?.changes[0]?.after).toEqual({ tpasswd: REDACTED, other: "kept" });
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
    await writePlanFile(join(dir, "plan.json"), richPlan(), catalogue);
    const written = await readFile(join(dir, "plan.json"), "utf8");
    for (const secret of SECRET_VALUES) expect(written).not.toContain(secret);
  });

  it("asks the op's own kind what is secret", () => {
    const plan = licencePlan();
    for (const out of Object.values(everyRendering(plan, mixedCatalogue()))) {
      expect(out).not.toContain("TOKEN-OLD-aaaa1111");
      expect(out).not.toContain("TOKEN-NEW-bbbb2222");
    }
    const token = redactPlan(plan, mixedCatalogue()).ops[1]?.changes.find((c) => c.field === "licence.token");
    expect(token).toEqual({ field: "licence.token", before: REDACTED, after: REDACTED, secret: true });
    // A field secret in one kind is not secret in another that has a field of that name.
    const other = planOf([op("update", "b.example", { kind: LICENCE_KIND, reason: "r", changes: [{ field: "dns.key", before: "visible-1", after: "visible-2" }] })], [server("fra1")]);
    expect(redactPlan(other, mixedCatalogue()).ops[0]?.changes[0]).toEqual({ field: "dns.key", before: "visible-1", after: "visible-2" });
  });

  it("takes every kind's secrets as secret for a kind the catalogue does not know", () => {
    const plan = planOf([op("update", "c.example", { kind: "other/thing", reason: "r", changes: [{ field: "dns.key", before: "KEY-OLD-11112222", after: "KEY-NEW-33334444" }] })], [server("fra1")]);
    expect(redactPlan(plan, catalogue).ops[0]?.changes[0]).toEqual({ field: "dns.key", before: REDACTED, after: REDACTED, secret: true });
    for (const out of Object.values(everyRendering(plan))) expect(out).not.toContain("KEY-OLD-11112222");
  });
});
