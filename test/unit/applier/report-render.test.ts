import { describe, expect, it } from "vitest";
import { renderApplyJson, renderApplyMarkdown, renderApplyText, type ApplyReport, type OpResult } from "../../../src/applier/index.js";
import { buildReport } from "../../../src/applier/report.js";

function result(status: OpResult["status"], domain: string, extra: Partial<OpResult> = {}): OpResult {
  return { id: `fra1:update:${domain}`, server: "fra1", action: "update", name: domain, status, message: null, resourceId: "site1", attempts: 1, durationMs: 120, note: null, changes: [], ...extra };
}

const times = { startedAt: Date.parse("2025-07-01T04:00:00Z"), finishedAt: Date.parse("2025-07-01T04:00:02.5Z") };

function mixed(): ApplyReport {
  return buildReport(
    [
      result("done", "ok.example", { action: "create", resourceId: "site42", note: "confirmed by reading back after a lost answer" }),
      result("failed", "bad.example", { message: "quota | too large" }),
      result("skipped", "child.example", { message: "depends on fra1:update:bad.example which failed", attempts: 0 }),
      result("unknown", "lost.example", { message: "timed out; reading the site back failed" }),
      result("conflict", "moved.example", { message: "not sent: the site changed since the plan (diskquota.quota was 1 when planned, is now 5)", attempts: 0 }),
    ],
    times,
    { interrupted: false },
  );
}

describe("apply report renderers", () => {
  it("text groups ops by status, problems first, with messages and totals", () => {
    const text = renderApplyText(mixed());
    expect(text.split("\n")).toEqual([
      "Apply finished with problems: 1 failed, 1 conflict, 1 unknown, 1 skipped, 1 done of 5 ops in 2.5 s.",
      "",
      "Failed (1):",
      "  fra1 update bad.example: quota | too large",
      "",
      "Conflict: changed on the server since the plan, not sent (1):",
      "  fra1 update moved.example: not sent: the site changed since the plan (diskquota.quota was 1 when planned, is now 5)",
      "",
      "Unknown outcome (1):",
      "  fra1 update lost.example: timed out; reading the site back failed",
      "",
      "Skipped (1):",
      "  fra1 update child.example: depends on fra1:update:bad.example which failed",
      "",
      "Done (1):",
      "  fra1 create ok.example: created as site42; confirmed by reading back after a lost answer",
      "",
      "Totals: 1 done, 1 failed, 1 conflict, 1 unknown, 1 skipped, 5 in all.",
      "Ops in conflict were not sent: someone changed their sites since the plan. Plan again to see the change and decide.",
      "Ops with an unknown outcome may or may not have taken effect: check those sites, then plan again.",
      "",
    ]);
  });

  it("text says plainly when everything is done, and when the run was interrupted", () => {
    expect(renderApplyText(buildReport([result("done", "a.example")], times, { interrupted: false }))).toMatch(/^Apply complete: all 1 op done in 2\.5 s\./);
    expect(renderApplyText(buildReport([result("skipped", "a.example", { message: "not started: interrupted" })], times, { interrupted: true }))).toMatch(/^Apply interrupted: 1 skipped of 1 op/);
  });

  it("markdown has a totals table and a section per status, escaping table cells", () => {
    const md = renderApplyMarkdown(mixed());
    expect(md).toContain("### ❌ siteform apply");
    expect(md).toContain("| 1 | 1 | 1 | 1 | 1 | 5 |");
    expect(md).toContain("#### Conflict: changed on the server since the plan, not sent (1)");
    expect(md).toContain("#### Failed (1)");
    expect(md).toContain("| fra1 | update | `bad.example` | quota \\| too large |");
    expect(md).toContain("#### Unknown outcome (1)");
    expect(md).toContain("#### Skipped (1)");
    expect(md).toContain("<summary>Done (1)</summary>");
    expect(md.indexOf("Failed")).toBeLessThan(md.indexOf("Done (1)"));
  });

  it("json carries the whole report under a kind and version", () => {
    const parsed = JSON.parse(renderApplyJson(mixed())) as ApplyReport & { kind: string; formatVersion: number };
    expect(parsed.kind).toBe("siteform-apply-report");
    expect(parsed.formatVersion).toBe(2);
    expect(parsed.ok).toBe(false);
    expect(parsed.ops.map((o) => o.status)).toEqual(["done", "failed", "skipped", "unknown", "conflict"]);
    expect(parsed.totals).toEqual({ done: 1, failed: 1, conflict: 1, skipped: 1, unknown: 1, total: 5 });
    expect(parsed.forced).toBe(false);
    expect(parsed.refused).toEqual([]);
    expect(parsed.startedAt).toBe("2025-07-01T04:00:00.000Z");
  });
});
