import { describe, expect, it } from "vitest";
import { renderPlanText } from "../../../src/render/index.js";
import { licencePlan, op, planOf, richPlan, server } from "./rich-plan.js";
import { mixedCatalogue, siteCatalogue } from "./test-kinds.js";

const plain = (plan = richPlan()): string => renderPlanText(plan, siteCatalogue(), { color: false });

describe("renderPlanText", () => {
  it("starts with one summary line per server, counts in review order", () => {
    const lines = plain().split("\n");
    expect(lines[0]).toBe("fra1: 1 to delete, 1 to suspend, 3 to update, 1 to create, 1 to activate (refused: 1 error)");
    expect(lines[1]).toBe("ams1: could not be read: unreachable: connect ECONNREFUSED 203.0.113.7:2083 (no operations planned)");
  });

  it("says 'no changes' for a server without ops and ends with a plain total", () => {
    const text = plain(planOf([], [server("fra1"), server("ams1")]));
    expect(text).toBe(
      "fra1: no changes\nams1: no changes\n\nPlanned at 2025-07-01T03:00:00.000Z from inventory commit 4f2a9c1e7b3d (with uncommitted changes).\nNo changes. The servers match the inventory.\n",
    );
  });

  it("lists deletions and suspensions before edits, creates and activations, whatever the plan order", () => {
    const text = plain();
    const at = (s: string): number => text.indexOf(s);
    expect(at("- delete   closing.example")).toBeGreaterThan(0);
    expect(at("- delete   closing.example")).toBeLessThan(at("! suspend  shop.closing.example"));
    expect(at("! suspend  shop.closing.example")).toBeLessThan(at("~ update   acme.example"));
    expect(at("~ update   gamma.example")).toBeLessThan(at("+ create   acme.example"));
    expect(at("+ create   acme.example")).toBeLessThan(at("> activate returning.example"));
  });

  it("keeps one resource's own ops together in the order apply runs them: created, then suspended", () => {
    const create = op("create", "nordlicht.example", { reason: "in the inventory, not on the server" });
    const suspend = op("suspend", "nordlicht.example", { id: null, reason: "suspended in the inventory", dependsOn: [create.id] });
    const other = op("suspend", "other.example", { reason: "suspended in the inventory" });
    const update = op("update", "gamma.example", { reason: "1 managed field differs" });
    const text = plain(planOf([update, create, other, suspend], [server("fra1")]));
    const at = (s: string): number => text.indexOf(s);
    // Where the first of its ops falls (with the suspensions), the create first, the suspension right after it.
    expect(at("! suspend  other.example")).toBeLessThan(at("+ create   nordlicht.example"));
    expect(at("+ create   nordlicht.example")).toBeLessThan(at("! suspend  nordlicht.example"));
    expect(at("! suspend  nordlicht.example")).toBeLessThan(at("~ update   gamma.example"));
    const lines = text.split("\n");
    const created = lines.findIndex((l) => l.includes("+ create   nordlicht.example"));
    expect(lines[created + 1]).toContain("! suspend  nordlicht.example");
  });

  it("makes renames, plan changes and wholesale replacements obvious", () => {
    const text = plain();
    expect(text).toContain("renamed: domain acme.example → acme.test");
    expect(text).toContain("renamed: admin user beta → betaadmin");
    expect(text).toContain("server plan: basic → premium");
    expect(text).toMatch(/aliases\.aliases +\[www\.acme\.example\] → \[www\.acme\.test, shop\.acme\.test\] {2}\(the whole list is replaced\)/);
  });

  it("shows the deletion requirement and the suspension reason", () => {
    const text = plain();
    expect(text).toContain('deleted only if suspended at least 30 days with a reason starting with "siteform: cancelled"');
    expect(text).toContain("suspension reason: siteform: cancelled 2025-06-20");
  });

  it("lists diagnostics with file:line and unmanaged sites per server", () => {
    const text = plain();
    expect(text).toContain("error siteform.yaml:14 fra1: 1 deletion on fra1 exceeds policy.max_deletes (0) [too-many-deletes]");
    expect(text).toContain("hint: check the deletions below, then plan again with --allow-deletes 1");
    expect(text).toContain("fra1: stray.example (site11)\n  fra1: legacy_shop.example (site12)");
  });

  it("ends with the unread servers, the refusal and a Terraform-like total", () => {
    const tail = plain().trimEnd().split("\n").slice(-3);
    expect(tail).toEqual([
      "1 server could not be read: ams1.",
      "Refused: 1 error (see Diagnostics); nothing can be applied until it is fixed.",
      "Plan: 1 to delete, 1 to suspend, 3 to update, 1 to create, 1 to activate.",
    ]);
  });

  it("uses colour only when asked", () => {
    expect(plain()).not.toContain("\u001b");
    expect(renderPlanText(richPlan(), siteCatalogue(), { color: true })).toContain("\u001b[32m+ create");
  });

  it("escapes control characters from the server, so no escape sequence reaches the terminal", () => {
    const evil = op("update", "evil.example", {
      reason: "note differs\u001b[2J",
      changes: [{ field: "siteinfo.notes", before: "a\u001b]0;pwned\u0007", after: "line1\nline2" }],
      notes: ["\u202eoverride"],
    });
    const text = plain(planOf([evil], [server("fra1", { error: null })]));
    const unsafe = [...text].filter((ch) => ch !== "\n" && (ch < " " || ch === "\u007f" || ch === "\u202e"));
    expect(unsafe).toEqual([]);
    expect(text).toContain('"a\\u001b]0;pwned\\u0007" → "line1\\nline2"');
    expect(text).toContain("note differs\\u001b[2J");
  });

  it("names the template a create is on and an update moves to, by the kind's label", () => {
    const text = plain();
    expect(text).toContain("on server plan basic");
    const moved = op("update", "delta.example", { id: "site6", reason: "moves to server plan premium", flags: { template: "premium", reset: true } });
    const out = plain(planOf([moved], [server("fra1")]));
    expect(out).toContain("      moves to server plan premium\n");
    expect(out).toContain("resets the site's settings to its plan's defaults");
  });

  it("shows a kind's own action, what costs money and the resources of other kinds by their noun", () => {
    const text = renderPlanText(licencePlan(), mixedCatalogue(), { color: false });
    const lines = text.split("\n");
    expect(lines[0]).toBe("fra1: 1 to update");
    expect(lines[1]).toBe("lic1: 1 to delete, 1 to update, 1 to renew, 1 to create");
    expect(text).toContain("  * renew    office-suite (4711): renews until 2026-09-01");
    expect(text).toContain("      licence.expires   2025-09-01 → 2026-09-01");
    expect(text).toContain("renamed: licence name design-tool-old → design-tool");
    expect(text).toContain(
      "Costs money: 2\n  lic1: * renew    office-suite (4711): renews until 2026-09-01  [sites/office-suite.yaml:1]\n      renewal preview (nothing charged): 12 months for 120.00, paid until 2025-09-01 → 2026-09-01\n  lic1: + create   new-seat-pack: in the inventory, not on the server  [sites/new-seat-pack.yaml:1]\n",
    );
    // What costs money comes before the operations by server, with the panel's quote.
    expect(text.indexOf("Costs money: 2")).toBeLessThan(text.indexOf("\nlic1\n"));
    expect(text.indexOf("Costs money: 2")).toBeGreaterThan(text.indexOf("lic1: 1 to delete"));
    expect(text).toContain("Unmanaged licences (on the server, not in the inventory): 1\n  lic1: stray-licence (4799)");
    expect(text.trimEnd().split("\n").at(-1)).toBe("Plan: 1 to delete, 0 to suspend, 2 to update, 1 to renew, 1 to create, 0 to activate; 2 cost money.");
    // The licence's token is secret by its kind, though the planner did not mark the change.
    expect(text).toMatch(/licence\.token +\(secret\) → \(secret\)/);
    expect(text).not.toContain("TOKEN-");
  });

  it("says nothing of money when nothing costs any", () => {
    expect(plain()).not.toContain("money");
  });
});
