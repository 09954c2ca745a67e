import { describe, expect, it } from "vitest";
import type { Op, OpAction } from "../../../src/model/index.js";
import { GITHUB_COMMENT_LIMIT, renderPlanMarkdown } from "../../../src/render/index.js";
import { licencePlan, op, planOf, richPlan, server } from "./rich-plan.js";
import { mixedCatalogue, siteCatalogue } from "./test-kinds.js";

const catalogue = siteCatalogue();
const renderMarkdown = (plan: Parameters<typeof renderPlanMarkdown>[0], options?: Parameters<typeof renderPlanMarkdown>[2]): string => renderPlanMarkdown(plan, catalogue, options);

const SERVERS = Array.from({ length: 10 }, (_, i) => server(`srv${i}`));

/** `count` ops spread over 10 servers; the first `deletions` are deletions, the rest a mix. */
function bigPlan(count: number, deletions: number): ReturnType<typeof planOf> {
  const others: OpAction[] = ["update", "create", "suspend", "activate"];
  const ops: Op[] = Array.from({ length: count }, (_, i) => {
    const action: OpAction = i < deletions ? "delete" : (others[i % others.length] ?? "update");
    const domain = `site-${String(i).padStart(5, "0")}.example`;
    return op(action, domain, {
      server: `srv${i % 10}`,
      id: action === "create" ? null : `site${i}`,
      reason: `${action} because the inventory says so (entry ${i})`,
      flags: action === "delete" ? { deletion: { suspendedDays: 30, ownerTag: "siteform: cancelled" } } : {},
      changes:
        action === "update" || action === "create"
          ? [
              { field: "siteinfo.email", before: action === "create" ? null : `old${i}@example.com`, after: `new${i}@example.com` },
              { field: "diskquota.quota", before: action === "create" ? null : 1000, after: 2000 },
              { field: "aliases.aliases", before: action === "create" ? null : [`www.${domain}`], after: [`www.${domain}`, `shop.${domain}`], wholesale: true },
            ]
          : [],
    });
  });
  return planOf(ops, SERVERS);
}

describe("renderPlanMarkdown", () => {
  it("puts the summary table, the refusal and the destructive operations before the per-server sections", () => {
    const md = renderMarkdown(richPlan());
    const at = (s: string): number => md.indexOf(s);
    expect(md.startsWith("## siteform plan\n")).toBe(true);
    expect(at("> [!CAUTION]")).toBeLessThan(at("| Server | Delete | Suspend | Update | Create | Activate | Status |"));
    expect(at("**This plan is refused: 1 error.**")).toBeGreaterThan(0);
    expect(md).toContain("| fra1 | 1 | 1 | 3 | 1 | 1 | refused (1 error) |");
    expect(md).toContain("| ams1 | · | · | · | · | · | could not be read: unreachable: connect ECONNREFUSED 203.0.113.7:2083 |");
    expect(at("### Destructive operations")).toBeLessThan(at("<details>"));
    expect(md).toContain("<summary><b>fra1</b>: 1 to delete, 1 to suspend, 3 to update, 1 to create, 1 to activate</summary>");
    expect(md).toContain("**(the whole list is replaced)**");
    expect(md).toContain("domain renamed to `acme.test`");
  });

  it("escapes markdown and HTML in values, reasons and names", () => {
    const evil = op("update", "x.example", {
      server: "a<b>|c",
      reason: "see <script>alert(1)</script> **now** @here | [link](https://evil.example)",
      changes: [{ field: "siteinfo.notes", before: "`tick`", after: "</details><b>x</b>" }],
    });
    const md = renderMarkdown(planOf([evil], [server("a<b>|c")]));
    expect(md).not.toContain("<script>");
    // Inside a code span HTML is shown, not read; outside one it must never appear raw.
    expect(md.replace(/`[^`]*`/g, "")).not.toContain("</details><b>");
    expect(md).toContain("<summary><b>a&lt;b&gt;|c</b>");
    expect(md).toContain("| a&lt;b&gt;\\|c |");
    expect(md).toContain("see &lt;script&gt;alert(1)&lt;/script&gt; \\*\\*now\\*\\* @\u200bhere \\| \\[link\\](https://evil.example)");
    expect(md).toContain("`siteinfo.notes`: `` `tick` `` → `</details><b>x</b>`");
  });

  it("keeps a 5,000-op plan with 400 deletions under GitHub's limit and names every deletion", () => {
    const plan = bigPlan(5000, 400);
    const md = renderMarkdown(plan, { fullPlanLocation: "the plan-json artifact" });
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const deleted = plan.ops.filter((o) => o.action === "delete");
    expect(deleted).toHaveLength(400);
    for (const d of deleted) expect(md).toContain(`\`${d.target.name}\` (${d.target.id ?? ""})`);
    expect(md).toContain("This comment is shortened to stay under 65,536 characters");
    expect(md).toContain("Every deletion is still listed. For the full plan, see the plan-json artifact.");
  });

  it("degrades one step at a time: field changes go before the operation lists", () => {
    const plan = bigPlan(200, 20);
    const full = renderMarkdown(plan);
    expect(full).toContain("`diskquota.quota`: `1000` → `2000`");
    const limit = full.length - 1;
    const shorter = renderMarkdown(plan, { maxChars: limit });
    expect(shorter.length).toBeLessThanOrEqual(limit);
    expect(shorter).toContain("field changes are left out");
    expect(shorter).not.toContain("`diskquota.quota`");
    expect(shorter).toContain("- **update** `site-00024.example` (site24):");
    expect(shorter).toContain("For the full plan, run `siteform show` on the plan file.");
  });

  it("counts the last deletions only when their names alone exceed the limit, and says so", () => {
    const plan = bigPlan(5000, 5000);
    const md = renderMarkdown(plan, { fullPlanLocation: "the plan-json artifact" });
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toContain("some deletions are counted, not named");
    expect(md).not.toContain("Every deletion is still listed");
    const named = plan.ops.filter((o) => md.includes(`\`${o.target.name}\``)).length;
    expect(named).toBeGreaterThan(1000);
    expect(md).toContain(`… and ${5000 - named} more deletions, too many for one comment (in the full plan)`);
  });

  it("says there are no changes when there are none", () => {
    const md = renderMarkdown(planOf([], [server("fra1")]));
    expect(md).toContain("**No changes** on 1 server.");
    expect(md).not.toContain("### Destructive operations");
    expect(md).not.toContain("[!CAUTION]");
  });

  it("shows the template change and the deletion requirement under each operation", () => {
    const md = renderMarkdown(richPlan());
    expect(md).toContain("  - server plan: `basic` → `premium`");
    expect(md).toContain("  - on server plan basic");
    // Quotes are HTML-escaped in running markdown text; GitHub shows them as quotes.
    expect(md).toContain("  - deleted only if suspended at least 30 days with a reason starting with &quot;siteform: cancelled&quot;");
    expect(md).toContain("### Unmanaged sites (2)");
    expect(md).toContain("<summary>2 sites</summary>");
    expect(md).not.toContain("Costs money");
  });

  it("lists what costs money in a section of its own, counts it in the title, and has a column for a kind's own action", () => {
    const md = renderPlanMarkdown(licencePlan(), mixedCatalogue());
    expect(md).toContain("**5 operations on 2 servers:** 1 to delete, 2 to update, 1 to renew, 1 to create; 2 cost money.");
    expect(md).toContain("| Server | Delete | Suspend | Update | Renew | Create | Activate | Status |");
    expect(md).toContain("| lic1 | 1 | · | 1 | 1 | 1 | · | ok |");
    expect(md).toContain(
      "### Costs money (2)\n\n- **renew** `office-suite` (4711) on **lic1**: renews until 2026-09-01 · `sites/office-suite.yaml:1`\n  - renewal preview (nothing charged): 12 months for 120.00, paid until 2025-09-01 → 2026-09-01\n- **create** `new-seat-pack` on **lic1**: in the inventory, not on the server · `sites/new-seat-pack.yaml:1`\n",
    );
    expect(md.indexOf("### Costs money")).toBeLessThan(md.indexOf("### Operations by server"));
    expect(md).toContain("  - **costs money**");
    expect(md).toContain("licence name renamed to `design-tool`");
    expect(md).toContain("### Unmanaged licences (1)");
    expect(md).not.toContain("TOKEN-");
  });

  it("keeps every operation that costs money when it shortens the comment", () => {
    const plan = licencePlan();
    const full = renderPlanMarkdown(plan, mixedCatalogue());
    const short = renderPlanMarkdown(plan, mixedCatalogue(), { maxChars: full.length - 200 });
    expect(short).toContain("This comment is shortened");
    expect(short).toContain("### Costs money (2)");
    expect(short).toContain("- **renew** `office-suite` (4711) on **lic1**");
  });
});
