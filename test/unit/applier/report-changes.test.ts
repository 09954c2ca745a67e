import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Journal, applyPlan, renderApplyJson, renderApplyMarkdown, renderApplyText, type ApplyEventSink } from "../../../src/applier/index.js";
import { FakeProvider, instant, providers } from "./fake-provider.js";
import { CATALOGUE, op, plan } from "./ops.js";

const PASSWORD = "hunter2-correct-horse";

async function applyWith(events?: ApplyEventSink) {
  const fra1 = new FakeProvider("fra1");
  const ops = [
    op("update", "kessler-law.example", {
      changes: [
        { field: "diskquota.quota", before: 20, after: 40 },
        { field: "auth.tpasswd", before: null, after: PASSWORD },
        { field: "siteinfo.email", before: "a@kessler-law.example", after: "b@kessler-law.example" },
        { field: "bandwidth.threshold", before: 10, after: 20 },
      ],
    }),
    op("create", "new.example", { changes: [{ field: "siteinfo.domain", before: null, after: "new.example" }, { field: "siteinfo.admin_user", before: null, after: "newadmin" }] }),
    op("update", "quota.example", { changes: [{ field: "diskquota.quota", before: 5, after: 6 }] }),
  ];
  return applyPlan(plan(ops), { providers: providers(fra1), catalogue: CATALOGUE, concurrency: { perServer: {}, total: 1 }, failFast: false, reread: false, ...instant(), ...(events === undefined ? {} : { events }) });
}

describe("what an applied op changed", () => {
  it("is in the report, field by field, the secret masked as the plan masks it", async () => {
    const report = await applyWith();
    const kessler = report.ops.find((o) => o.name === "kessler-law.example");
    expect(kessler?.changes).toEqual([
      "diskquota.quota: 20 → 40",
      "auth.tpasswd: (none) → (secret)",
      "siteinfo.email: a@kessler-law.example → b@kessler-law.example",
      "bandwidth.threshold: 10 → 20",
    ]);
    const text = renderApplyText(report);
    expect(text).toContain("  fra1 update quota.example (diskquota.quota: 5 → 6)\n");
    // Three named on a line, the rest counted; a create's fields were the plan's to show.
    expect(text).toContain('fra1 update kessler-law.example (diskquota.quota: 20 → 40; auth.tpasswd: (none) → (secret); siteinfo.email: a@kessler-law.example → b@kessler-law.example; and 1 more)');
    expect(text).toContain("fra1 create new.example (2 fields set): created as site100");
    expect(renderApplyMarkdown(report)).toContain("diskquota.quota: 5 → 6");
    expect(JSON.parse(renderApplyJson(report)).ops[0].changes).toHaveLength(4);
    for (const out of [text, renderApplyMarkdown(report), renderApplyJson(report)]) expect(out).not.toContain(PASSWORD);
  });

  it("is in the journal's finish records, never the secret", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "siteform-journal-")), "apply.jsonl");
    const journal = new Journal(path);
    try {
      await applyWith(journal.write);
    } finally {
      journal.close();
    }
    const text = readFileSync(path, "utf8");
    const finishes = text.trimEnd().split("\n").map((l) => JSON.parse(l) as { record: string; op?: string; changes?: string[] }).filter((r) => r.record === "finish");
    expect(finishes.find((r) => r.op === "fra1:update:quota.example")?.changes).toEqual(["diskquota.quota: 5 → 6"]);
    expect(text).not.toContain(PASSWORD);
  });
});
