import { describe, expect, it } from "vitest";
import { baseFiles, check, expectDiagnostic, expectErrors, lines, site } from "./helpers.js";

const withSite = (extra: string[]): ReturnType<typeof check> => check({ ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", extra) });

describe("lifecycle", () => {
  it("cancelled without cancelled_on", () => {
    const result = withSite(["state: cancelled"]);
    const d = expectDiagnostic(result, { code: "cancelled-without-date", file: "sites/alpha.yaml", line: 6, column: 8, path: "state", message: /needs `cancelled_on`/ });
    expect(d.hint).toMatch(/cancelled_on: YYYY-MM-DD/);
    expectErrors(result, ["cancelled-without-date"]);
  });

  it("cancelled_on without cancelled", () => {
    const result = withSite(["state: suspended", "cancelled_on: 2025-01-31"]);
    expectDiagnostic(result, { code: "date-without-cancelled", file: "sites/alpha.yaml", line: 7, column: 15, message: /the state here is `suspended`/ });
  });

  it("a misspelt state is reported once, by the schema", () => {
    expectErrors(withSite(["state: canceled", "cancelled_on: 2025-01-31"]), ["bad-value"]);
  });

  it("a cancelled group needs its own date; its sites inherit the state and the date", () => {
    const group = lines("invoice: INV-5", "server: fra1", "state: cancelled", "sites:", "  - domain: g.example", "    admin_user: g", "    email: a@g.example", "    plan: basic");
    expectDiagnostic(check({ ...baseFiles(), "sites/g.yaml": group }), { code: "cancelled-without-date", file: "sites/g.yaml", line: 3, message: /needs `cancelled_on`/ });
    const dated = group.replace("state: cancelled\n", "state: cancelled\ncancelled_on: 2025-03-01\n");
    const result = check({ ...baseFiles(), "sites/g.yaml": dated });
    expectErrors(result, []);
    expect(result.inventory?.resources.find((s) => s.name === "g.example")).toMatchObject({ state: "cancelled", cancelledOn: "2025-03-01" });
  });

  it("suspend_reason without suspension is a warning", () => {
    const result = withSite(["suspend_reason: unpaid"]);
    expectDiagnostic(result, { code: "reason-without-suspension", file: "sites/alpha.yaml", line: 6, severity: "warning", message: /ignored/ });
    expect(result.ok).toBe(true);
  });

  it("a protected cancelled site is a warning", () => {
    const result = withSite(["state: cancelled", "cancelled_on: 2025-01-31", "protect: true"]);
    expectDiagnostic(result, { code: "protected-cancelled", file: "sites/alpha.yaml", line: 8, severity: "warning", message: /never deleted/ });
  });

  it("a cancelled parent with children that stay is a warning", () => {
    const group = lines("invoice: INV-5", "server: fra1", "sites:", "  - domain: g.example", "    admin_user: g", "    email: a@g.example", "    plan: basic", "    state: cancelled", "    cancelled_on: 2025-01-31", "  - domain: h.example", "    admin_user: h", "    email: a@h.example", "    plan: basic");
    const result = check({ ...baseFiles(), "sites/g.yaml": group });
    expectDiagnostic(result, { code: "cancelled-parent", file: "sites/g.yaml", line: 8, severity: "warning", message: /children stay \(`h\.example`\)/ });
    expect(result.ok).toBe(true);
  });
});
