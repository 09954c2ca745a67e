import { describe, expect, it } from "vitest";
import {
  classifyDrift,
  driftExitCode,
  renderDrift,
  renderDriftJson,
  renderDriftMarkdown,
  renderDriftText,
  type DriftClass,
} from "../../../src/drift/index.js";
import { LICENCE_KIND, mixedCatalogue, siteCatalogue } from "../render/test-kinds.js";
import { op, plan, server, unmanagedSite } from "./plan-builder.js";

const catalogue = siteCatalogue();
const classify = (p: ReturnType<typeof plan>): ReturnType<typeof classifyDrift> => classifyDrift(p, catalogue);

const quota = { field: "diskquota.quota", before: 25, after: 40 };
const planChange = { field: "siteinfo.plan", before: "basic", after: "business" };

function classes(p: ReturnType<typeof plan>): Array<[DriftClass, string]> {
  return classify(p).entries.map((e) => [e.class, e.name]);
}

describe("classifyDrift", () => {
  it("reports no drift for an empty plan", () => {
    const report = classify(plan([]));
    expect(report.total).toBe(0);
    expect(report.entries).toEqual([]);
    expect(driftExitCode(report, true)).toBe(0);
  });

  it("classes a create as missing", () => {
    const report = classify(plan([op("create", "new.example", { changes: [{ field: "siteinfo.domain", before: null, after: "new.example" }] })]));
    expect(report.entries[0]).toMatchObject({ class: "missing", kind: "apiscp/site", observed: "absent", desired: "active", resourceId: null, name: "new.example", opId: "fra1:create:new.example" });
    expect(report.counts.missing).toBe(1);
  });

  it("classes suspend and activate of inventory sites as state", () => {
    const report = classify(plan([op("suspend", "unpaid.example"), op("activate", "paid.example")]));
    expect(report.entries.map((e) => [e.class, e.name, e.observed, e.desired])).toEqual([
      ["state", "paid.example", "suspended", "active"],
      ["state", "unpaid.example", "active", "suspended"],
    ]);
  });

  it("classes a cancelled site's deletion as state and counts it as a deletion", () => {
    const report = classify(plan([op("delete", "gone.example", { reason: "cancelled on 2025-05-01, grace of 30 days over" })]));
    expect(report.entries[0]).toMatchObject({ class: "state", observed: "suspended", desired: "deleted", action: "delete" });
    expect(report.deletions).toBe(1);
    expect(driftExitCode(report, true)).toBe(3);
  });

  it("splits an update into server-plan (the kind's template field) and modified, and counts renames as modified", () => {
    const rename = { field: "siteinfo.domain", before: "old.example", after: "new.example" };
    const report = classify(
      plan([op("update", "mixed.example", { changes: [planChange, quota], flags: { template: "business" } }), op("update", "old.example", { changes: [rename] })]),
    );
    expect(report.entries.map((e) => [e.class, e.name, e.changes.map((c) => c.field)])).toEqual([
      ["server-plan", "mixed.example", ["siteinfo.plan"]],
      ["modified", "mixed.example", ["diskquota.quota"]],
      ["modified", "old.example", ["siteinfo.domain"]],
    ]);
    expect(driftExitCode(report, true)).toBe(2);
  });

  it("takes a change of plan carried only in the flags", () => {
    const only = op("update", "flagged.example", { flags: { template: "business" } });
    const report = classify(plan([{ ...only, preconditions: { ...only.preconditions, fields: { "siteinfo.plan": "basic" } } }]));
    expect(report.entries.map((e) => [e.class, e.changes])).toEqual([["server-plan", [{ field: "siteinfo.plan", before: "basic", after: "business" }]]]);
  });

  it("lists unmanaged sites once, whether left alone or pruned", () => {
    const servers = [server("fra1", { unmanaged: [unmanagedSite("site9", "stray.example"), unmanagedSite("site8", "pruned.example")] })];
    const report = classify(plan([op("delete", "pruned.example", { key: null, id: "site8" })], servers));
    expect(report.entries.map((e) => [e.class, e.name, e.action])).toEqual([
      ["unmanaged", "pruned.example", "delete"],
      ["unmanaged", "stray.example", null],
    ]);
    expect(report.counts.unmanaged).toBe(2);
    expect(report.deletions).toBe(1);
  });

  it("reports unreadable servers and plan errors as problems, exit 1", () => {
    const servers = [server("fra1"), server("ams1", { fingerprint: null, error: "connection refused" })];
    const report = classify(plan([op("activate", "paid.example")], servers));
    expect(report.servers.map((s) => [s.name, s.read])).toEqual([["fra1", true], ["ams1", false]]);
    expect(report.problems).toMatchObject([{ severity: "error", code: "unreadable-server", server: "ams1" }]);
    expect(driftExitCode(report, true)).toBe(1);
    expect(driftExitCode(report, false)).toBe(1);
    const refused = classify(plan([], [server("fra1")], [{ severity: "error", code: "too-many-deletes", server: "fra1", message: "6 deletions" }]));
    expect(driftExitCode(refused, true)).toBe(1);
  });

  it("exits 0 for drift without --detailed-exitcode", () => {
    expect(driftExitCode(classify(plan([op("update", "a.example", { changes: [quota] })])), false)).toBe(0);
  });

  it("classes a kind's own action as modified, and never finds a template change in a kind without templates", () => {
    const lic = server("lic1", { provider: "test", unmanaged: [{ kind: LICENCE_KIND, id: "site-8", name: "stray-licence" }] });
    const renew = op("renew", "office-suite", { server: "lic1", kind: LICENCE_KIND, id: "4711", paid: true, changes: [{ field: "licence.expires", before: "2025-09-01", after: "2026-09-01" }] });
    // A field named like the site's template field is no template change for a kind without templates.
    const update = op("update", "design-tool", { server: "lic1", kind: LICENCE_KIND, id: "4712", changes: [{ field: "siteinfo.plan", before: "a", after: "b" }] });
    // An op on a site with the same id as the unmanaged licence does not touch the licence.
    const site = op("update", "acme.example", { server: "lic1", id: "site-8", changes: [quota] });
    const report = classifyDrift(plan([renew, update, site], [lic]), mixedCatalogue());
    expect(report.entries.map((e) => [e.class, e.kind, e.name, e.action])).toEqual([
      ["modified", "apiscp/site", "acme.example", "update"],
      ["modified", LICENCE_KIND, "design-tool", "update"],
      ["modified", LICENCE_KIND, "office-suite", "renew"],
      ["unmanaged", LICENCE_KIND, "stray-licence", null],
    ]);
    expect(report.kinds).toEqual({ "apiscp/site": { noun: "site", template: "server plan" }, [LICENCE_KIND]: { noun: "licence", template: null } });
  });

  it("says what the report's resources and templates are called", () => {
    expect(renderDriftText(classify(plan([])))).toBe("No drift: 1 server (10 sites) match the inventory.\n");
    const lic = server("lic1", { provider: "test", observed: 3 });
    const renew = op("renew", "office-suite", { server: "lic1", kind: LICENCE_KIND, id: "4711", changes: [{ field: "licence.expires", before: "2025-09-01", after: "2026-09-01" }] });
    const text = renderDriftText(classifyDrift(plan([renew], [lic]), mixedCatalogue()));
    expect(text).toContain("Drift: 1 difference (1 modified) on 1 server read (3 licences).");
    expect(text).toContain("  modified    office-suite (4711) [sites/office-suite.yaml:2]: 1 field differs");
    const md = renderDriftMarkdown(classifyDrift(plan([op("delete", "gone.example", { server: "lic1", kind: LICENCE_KIND })], [lic]), mixedCatalogue()));
    expect(md).toContain("1 of which a plan would fix by deleting a licence");
    expect(md).toContain("| server | licence | difference | why |");
    expect(md).toContain("| server | missing | state | template | modified | unmanaged |");
  });

  it("orders entries by server, then class, then name", () => {
    const servers = [server("fra1"), server("ams1")];
    const ops = [op("update", "b.example", { changes: [quota] }), op("create", "z.example", { server: "ams1" }), op("create", "c.example"), op("update", "a.example", { changes: [quota] })];
    expect(classes(plan(ops, servers))).toEqual([
      ["missing", "c.example"],
      ["modified", "a.example"],
      ["modified", "b.example"],
      ["missing", "z.example"],
    ]);
  });
});

describe("drift renderers", () => {
  const servers = [server("fra1", { unmanaged: [unmanagedSite("site9", "stray.example")] }), server("ams1", { error: "TLS certificate not trusted", fingerprint: null })];
  const secret = { field: "dns.key", before: "[redacted]", after: "[redacted]", secret: true as const };
  const report = classify(
    plan(
      [
        op("create", "new.example"),
        op("suspend", "unpaid.example"),
        op("update", "kessler-law.example", { changes: [quota, secret, { field: "siteinfo.notes", before: "a|b", after: "c`d" }] }),
        op("update", "moved.example", { changes: [planChange] }),
      ],
      servers,
      [{ severity: "warning", code: "x", server: "fra1", message: "a warning", hint: "do this" }],
    ),
  );

  it("renders text with one line per difference and the field values", () => {
    const text = renderDriftText(report);
    expect(text).toContain("Drift: 5 differences (1 missing, 1 state, 1 server plan, 1 modified, 1 unmanaged)");
    expect(text).toContain("  missing     new.example [sites/new.example.yaml:2]: in git, not on the server");
    expect(text).toContain("  state       unpaid.example (site-14) [sites/unpaid.example.yaml:2]: active on the server, suspended in git");
    expect(text).toContain("      diskquota.quota: server 25, git 40");
    expect(text).toContain("      dns.key: server (secret), git (secret)");
    expect(text).toContain("server plan basic on the server, business in git");
    expect(text).toContain("stray.example (site9): on the server, not in git (left alone)");
    expect(text).toContain("ams1: could not be read: TLS certificate not trusted");
    expect(text).toContain("warning: a warning\n  hint: do this");
  });

  it("renders markdown with a summary table, a section per class and escaped cells", () => {
    const md = renderDriftMarkdown(report);
    expect(md).toContain("| server | missing | state | server plan | modified | unmanaged |");
    expect(md).toContain("| fra1 | 1 | 1 | 1 | 1 | 1 |");
    expect(md).toContain("| ams1 | ? | ? | ? | ? | ? |");
    for (const title of ["### Missing", "### State", "### Server plan changed", "### Modified", "### Unmanaged", "### Problems"]) {
      expect(md).toContain(title);
    }
    expect(md).toContain("| fra1 | `kessler-law.example` (site-19)<br>sites/kessler-law.example.yaml:2 | `diskquota.quota` | `25` | `40` |");
    // Values are code spans: a pipe escaped inside (GitHub reads `\\|` there as `|`), a backtick by a longer fence.
    expect(md).toContain("| `siteinfo.notes` | `a\\|b` | ``c`d`` |");
    expect(md).toContain("server ams1 could not be read: TLS certificate not trusted");
    expect(md).not.toContain("[redacted]");
  });

  it("renders markdown for no drift", () => {
    expect(renderDriftMarkdown(classify(plan([])))).toContain("**No drift**");
  });

  it("renders JSON that parses back to the report", () => {
    expect(JSON.parse(renderDriftJson(report))).toEqual(JSON.parse(JSON.stringify(report)));
    expect(renderDrift(report, "json")).toBe(renderDriftJson(report));
    expect(renderDrift(report, "markdown")).toBe(renderDriftMarkdown(report));
    expect(renderDrift(report, "text")).toBe(renderDriftText(report));
  });
});
