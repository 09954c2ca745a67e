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
import { op, plan, server } from "./plan-builder.js";

const quota = { field: "diskquota.quota", before: 25, after: 40 };
const planChange = { field: "siteinfo.plan", before: "basic", after: "business" };

function classes(p: ReturnType<typeof plan>): Array<[DriftClass, string]> {
  return classifyDrift(p).entries.map((e) => [e.class, e.domain]);
}

describe("classifyDrift", () => {
  it("reports no drift for an empty plan", () => {
    const report = classifyDrift(plan([]));
    expect(report.total).toBe(0);
    expect(report.entries).toEqual([]);
    expect(driftExitCode(report, true)).toBe(0);
  });

  it("classes a create as missing", () => {
    const report = classifyDrift(plan([op("create", "new.example", { changes: [{ field: "siteinfo.domain", before: null, after: "new.example" }] })]));
    expect(report.entries[0]).toMatchObject({ class: "missing", observed: "absent", desired: "active", siteId: null, opId: "fra1:create:new.example" });
    expect(report.counts.missing).toBe(1);
  });

  it("classes suspend and activate of inventory sites as state", () => {
    const report = classifyDrift(plan([op("suspend", "unpaid.example"), op("activate", "paid.example")]));
    expect(report.entries.map((e) => [e.class, e.domain, e.observed, e.desired])).toEqual([
      ["state", "paid.example", "suspended", "active"],
      ["state", "unpaid.example", "active", "suspended"],
    ]);
  });

  it("classes a cancelled site's deletion as state and counts it as a deletion", () => {
    const report = classifyDrift(plan([op("delete", "gone.example", { reason: "cancelled on 2025-05-01, grace of 30 days over" })]));
    expect(report.entries[0]).toMatchObject({ class: "state", observed: "suspended", desired: "deleted", action: "delete" });
    expect(report.deletions).toBe(1);
    expect(driftExitCode(report, true)).toBe(3);
  });

  it("splits an update into server-plan and modified, and counts renames as modified", () => {
    const rename = { field: "siteinfo.domain", before: "old.example", after: "new.example" };
    const report = classifyDrift(
      plan([op("update", "mixed.example", { changes: [planChange, quota], flags: { plan: "business" } }), op("update", "old.example", { changes: [rename] })]),
    );
    expect(report.entries.map((e) => [e.class, e.domain, e.changes.map((c) => c.field)])).toEqual([
      ["server-plan", "mixed.example", ["siteinfo.plan"]],
      ["modified", "mixed.example", ["diskquota.quota"]],
      ["modified", "old.example", ["siteinfo.domain"]],
    ]);
    expect(driftExitCode(report, true)).toBe(2);
  });

  it("takes a change of plan carried only in the flags", () => {
    const only = op("update", "flagged.example", { flags: { plan: "business" } });
    const report = classifyDrift(plan([{ ...only, preconditions: { ...only.preconditions, fields: { "siteinfo.plan": "basic" } } }]));
    expect(report.entries.map((e) => [e.class, e.changes])).toEqual([["server-plan", [{ field: "siteinfo.plan", before: "basic", after: "business" }]]]);
  });

  it("lists unmanaged sites once, whether left alone or pruned", () => {
    const servers = [server("fra1", { unmanaged: [{ siteId: "site9", domain: "stray.example" }, { siteId: "site8", domain: "pruned.example" }] })];
    const report = classifyDrift(plan([op("delete", "pruned.example", { key: null, siteId: "site8" })], servers));
    expect(report.entries.map((e) => [e.class, e.domain, e.action])).toEqual([
      ["unmanaged", "pruned.example", "delete"],
      ["unmanaged", "stray.example", null],
    ]);
    expect(report.counts.unmanaged).toBe(2);
    expect(report.deletions).toBe(1);
  });

  it("reports unreadable servers and plan errors as problems, exit 1", () => {
    const servers = [server("fra1"), server("ams1", { fingerprint: null, error: "connection refused" })];
    const report = classifyDrift(plan([op("activate", "paid.example")], servers));
    expect(report.servers.map((s) => [s.name, s.read])).toEqual([["fra1", true], ["ams1", false]]);
    expect(report.problems).toMatchObject([{ severity: "error", code: "unreadable-server", server: "ams1" }]);
    expect(driftExitCode(report, true)).toBe(1);
    expect(driftExitCode(report, false)).toBe(1);
    const refused = classifyDrift(plan([], [server("fra1")], [{ severity: "error", code: "too-many-deletes", server: "fra1", message: "6 deletions" }]));
    expect(driftExitCode(refused, true)).toBe(1);
  });

  it("exits 0 for drift without --detailed-exitcode", () => {
    expect(driftExitCode(classifyDrift(plan([op("update", "a.example", { changes: [quota] })])), false)).toBe(0);
  });

  it("orders entries by server, then class, then domain", () => {
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
  const servers = [server("fra1", { unmanaged: [{ siteId: "site9", domain: "stray.example" }] }), server("ams1", { error: "TLS certificate not trusted", fingerprint: null })];
  const secret = { field: "dns.key", before: "[redacted]", after: "[redacted]", secret: true as const };
  const report = classifyDrift(
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
    expect(renderDriftMarkdown(classifyDrift(plan([])))).toContain("**No drift**");
  });

  it("renders JSON that parses back to the report", () => {
    expect(JSON.parse(renderDriftJson(report))).toEqual(JSON.parse(JSON.stringify(report)));
    expect(renderDrift(report, "json")).toBe(renderDriftJson(report));
    expect(renderDrift(report, "markdown")).toBe(renderDriftMarkdown(report));
    expect(renderDrift(report, "text")).toBe(renderDriftText(report));
  });
});
