/**
 * One test over every formatter that shows a server's or an inventory's text to people: the
 * plan (text, markdown), drift (text, markdown), the apply report (text, markdown), apply's
 * progress lines and validation output. A hostile value (a terminal escape, a bidi override, a
 * C1 control, a line break, markdown and HTML) must come out escaped the same way in each.
 */
import { describe, expect, it } from "vitest";
import { createProgress, renderApplyMarkdown, renderApplyText, type OpResult } from "../../../src/applier/index.js";
import { buildReport } from "../../../src/applier/report.js";
import { classifyDrift, renderDriftMarkdown, renderDriftText } from "../../../src/drift/index.js";
import { renderText as renderInventoryText } from "../../../src/inventory/index.js";
import { renderPlanMarkdown, renderPlanText } from "../../../src/render/index.js";
import { op, plan } from "../drift/plan-builder.js";
import { siteCatalogue } from "./test-kinds.js";

/** Each of these must never reach an output raw. */
const HOSTILE = ["\u001b[2J", "\u202e", "\u2066", "\u0085", "\u009b", "\u0007"];
const VALUE = `ok${HOSTILE.join("")}|<b>bold</b>\`tick\` @everyone\nsecond line`;
// Built from a string: a control-character class is exactly what this test is about.
const RAW_CHARS = "[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]";
const RAW = new RegExp(RAW_CHARS, "u");

function outputs(): Record<string, string> {
  const hostilePlan = plan([
    op("update", `evil${"\u202e"}.example`, { changes: [{ field: "diskquota.quota", before: VALUE, after: 5 }], reason: VALUE }),
    op("create", "new.example", { changes: [{ field: "siteinfo.email", before: null, after: VALUE }] }),
  ]);
  const result: OpResult = {
    id: "fra1:update:x",
    server: "fra1",
    action: "update",
    name: `evil${"\u202e"}.example`,
    status: "failed",
    message: VALUE,
    resourceId: "site1",
    attempts: 1,
    durationMs: 5,
    note: VALUE,
    changes: [`diskquota.quota: ${VALUE} → 5`],
  };
  const report = buildReport([result], { startedAt: 0, finishedAt: 1 }, { interrupted: false, refused: [VALUE] });
  const progress: string[] = [];
  const sink = createProgress({ isTTY: false, write: (t) => progress.push(t), now: () => 0 });
  sink({ type: "op-retrying", at: 0, op: { id: result.id, server: "fra1", action: "update", name: result.name }, attempt: 2, delayMs: 1, message: VALUE });
  sink({ type: "op-finished", at: 0, result });
  const catalogue = siteCatalogue();
  const drift = classifyDrift(hostilePlan, catalogue);
  const validation = renderInventoryText(
    { ok: false, inventory: null, files: [`sites/${VALUE}.yaml`], diagnostics: [{ severity: "error", code: "bad-value", file: `sites/${VALUE}.yaml`, line: 1, column: 1, path: VALUE, message: VALUE, hint: VALUE }] },
    { color: false },
  );
  return {
    "plan text": renderPlanText(hostilePlan, catalogue, { color: false }),
    "plan markdown": renderPlanMarkdown(hostilePlan, catalogue),
    "drift text": renderDriftText(drift),
    "drift markdown": renderDriftMarkdown(drift),
    "apply report text": renderApplyText(report),
    "apply report markdown": renderApplyMarkdown(report),
    "apply progress": progress.join(""),
    "validation text": validation,
  };
}

describe("every formatter people read", () => {
  const all = outputs();

  it("shows control and bidi characters escaped, never raw, and keeps a value on one line", () => {
    for (const [name, text] of Object.entries(all)) {
      expect(RAW.test(text), `${name} holds a raw control or bidi character`).toBe(false);
      // Shown as `\u001b`; markdown escapes that backslash (and the `[`) once more.
      expect(text, name).toMatch(/\\{1,2}u001b\\?\[2J/);
      expect(text, name).toMatch(/\\{1,2}u202e/);
      // The hostile line break is shown as \n: no output line starts with what came after it.
      expect(text.split("\n").some((line) => line.startsWith("second line")), `${name} let a value span lines`).toBe(false);
    }
  });

  it("in markdown, a value can open no tag, no mention and no extra table cell", () => {
    for (const name of ["plan markdown", "drift markdown", "apply report markdown"]) {
      const text = all[name] ?? "";
      // Inside a code span HTML and mentions are shown as typed; outside, they must be defused.
      const outsideCode = text.replace(/(`+)[^`][\s\S]*?\1/g, "");
      expect(outsideCode, name).not.toContain("<b>bold");
      expect(outsideCode, name).not.toMatch(/@everyone/);
      // Every row of a table has as many cells as its header: cells split on unescaped pipes only.
      let header: number | null = null;
      for (const line of text.split("\n")) {
        if (!line.startsWith("|")) {
          header = null;
          continue;
        }
        const cells = line.split(/(?<!\\)\|/).length;
        header ??= cells;
        expect(cells, `${name}: ${line}`).toBe(header);
      }
    }
  });
});
