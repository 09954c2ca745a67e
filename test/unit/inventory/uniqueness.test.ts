import { describe, expect, it } from "vitest";
import { baseFiles, check, expectDiagnostic, expectErrors, lines, site } from "./helpers.js";

describe("uniqueness", () => {
  it("a domain used twice on one server, across files, reported at the later one", () => {
    const result = check({ ...baseFiles(), "sites/beta.yaml": site("alpha.example", "beta") });
    const d = expectDiagnostic(result, { code: "duplicate-domain", file: "sites/beta.yaml", line: 1, column: 9, path: "domain", message: /^`alpha\.example` is already used on server `fra1` as a site's domain \(sites\/alpha\.yaml:1:9\)$/ });
    expect(d.hint).toMatch(/one site per server/);
    expectErrors(result, ["duplicate-domain"]);
  });

  it("the same domain on two servers is refused: a domain belongs to one server (names-across-servers.test.ts has more)", () => {
    const result = check({ ...baseFiles(), "sites/beta.yaml": site("alpha.example", "beta", [], "ams1") });
    expectDiagnostic(result, { code: "duplicate-domain", file: "sites/beta.yaml", line: 1, column: 9, message: /^`alpha\.example` is already used on server `fra1` as a site's domain \(sites\/alpha\.yaml:1:9\), and this site is on `ams1`$/ });
    expectErrors(result, ["duplicate-domain"]);
  });

  it("an alias that is another site's domain", () => {
    const result = check({ ...baseFiles(), "sites/beta.yaml": site("beta.example", "beta", ["aliases:", "  - alpha.example"]) });
    expectDiagnostic(result, { code: "duplicate-domain", file: "sites/beta.yaml", line: 7, column: 5, path: "aliases[0]", message: /`alpha\.example` is already used on server `fra1` as a site's domain/ });
  });

  it("an alias used by two sites", () => {
    const files = {
      ...baseFiles(),
      "sites/alpha.yaml": site("alpha.example", "alpha", ["aliases:", "  - shop.example"]),
      "sites/beta.yaml": site("beta.example", "beta", ["aliases:", "  - x.example", "  - shop.example"]),
    };
    expectDiagnostic(check(files), { code: "duplicate-domain", file: "sites/beta.yaml", line: 8, message: /`shop\.example` is already used on server `fra1` as a site's alias \(sites\/alpha\.yaml:7:5\)/ });
  });

  it("a site listing its own domain as an alias", () => {
    const result = check({ ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", ["aliases:", "  - alpha.example"]) });
    expectDiagnostic(result, { code: "duplicate-domain", file: "sites/alpha.yaml", line: 7, message: /this site's domain and also its alias/ });
  });

  it("an admin user used twice on one server", () => {
    const result = check({ ...baseFiles(), "sites/beta.yaml": site("beta.example", "alpha") });
    expectDiagnostic(result, { code: "duplicate-admin-user", file: "sites/beta.yaml", line: 3, column: 13, path: "admin_user", message: /^`alpha` is already used on server `fra1` as a site's admin user \(sites\/alpha\.yaml:3:13\)$/ });
    expectErrors(result, ["duplicate-admin-user"]);
  });

  it("duplicates inside one invoice group", () => {
    const group = lines("invoice: INV-5", "server: fra1", "sites:", "  - domain: g.example", "    admin_user: g", "    email: a@g.example", "    plan: basic", "  - domain: g.example", "    admin_user: g", "    email: a@g.example", "    plan: basic");
    const result = check({ ...baseFiles(), "sites/g.yaml": group });
    expectDiagnostic(result, { code: "duplicate-domain", file: "sites/g.yaml", line: 8, message: /`g\.example`.*\(sites\/g\.yaml:4:13\)/ });
    expectDiagnostic(result, { code: "duplicate-admin-user", file: "sites/g.yaml", line: 9, message: /`g`/ });
  });

  it("a pinned id used twice on one server", () => {
    const files = { ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", ["id: site3"]), "sites/beta.yaml": site("beta.example", "beta", ["id: site3"]) };
    expectDiagnostic(check(files), { code: "duplicate-site-id", file: "sites/beta.yaml", line: 6, message: /`site3` is already used on server `fra1` as a site's pinned id/ });
  });

  it("an invoice used by two sites, even on different servers", () => {
    const files = { ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", ["invoice: INV-1"]), "sites/beta.yaml": site("beta.example", "beta", ["invoice: INV-1"], "ams1") };
    const d = expectDiagnostic(check(files), { code: "duplicate-invoice", file: "sites/beta.yaml", line: 6, column: 10, message: /^`INV-1` is already used in the inventory as a site's invoice \(sites\/alpha\.yaml:6:10\)$/ });
    expect(d.hint).toMatch(/invoice group/);
  });

  it("an invoice used by a group and a site", () => {
    const group = lines("invoice: INV-1", "server: ams1", "sites:", "  - domain: g.example", "    admin_user: g", "    email: a@g.example", "    plan: basic");
    const files = { ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", ["invoice: INV-1"]), "sites/g.yaml": group };
    expectDiagnostic(check(files), { code: "duplicate-invoice", file: "sites/g.yaml", line: 1, column: 10, message: /`INV-1` is already used in the inventory as a site's invoice/ });
  });

  it("an invoice used by two groups", () => {
    const group = (d: string): string => lines("invoice: INV-1", "server: ams1", "sites:", `  - domain: ${d}`, `    admin_user: ${d.slice(0, 1)}`, `    email: a@${d}`, "    plan: basic");
    const files = { ...baseFiles(), "sites/g1.yaml": group("g.example"), "sites/g2.yaml": group("h.example") };
    expectDiagnostic(check(files), { code: "duplicate-invoice", file: "sites/g2.yaml", line: 1, message: /as a group's invoice \(sites\/g1\.yaml:1:10\)/ });
  });
});
