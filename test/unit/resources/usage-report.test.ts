/**
 * The usage report (src/resources/usage-report.ts) and its text form: managed resources paired
 * with git by id pin or name, unmanaged apart, closest to a limit first with the unlimited last,
 * `--over` keeping only those at or above it, and sizes in the panels' 1024-based units.
 */
import { describe, expect, it } from "vitest";
import type { ResourceUsage } from "../../../src/providers/provider.js";
import { formatFigure, formatSize, renderUsageText } from "../../../src/resources/render-usage.js";
import { buildUsageReport, type ServerUsage } from "../../../src/resources/usage-report.js";
import { SITE_KIND, desired, inventory } from "../planner/helpers.js";

const GB = 1024 ** 3;
const a = desired({ domain: "a.example", server: "fra1" });
const b = { ...desired({ domain: "b-renamed.example", server: "fra1" }), pinnedId: "site2" };
const gone = desired({ domain: "gone.example", server: "fra1" });
const inv = inventory([a, b, gone], { servers: ["fra1", "ams1"] });

const row = (id: string, name: string, disk: [number, number | null] | null, bandwidth: [number, number | null] | null = null): ResourceUsage => ({
  kind: SITE_KIND,
  id,
  name,
  disk: disk === null ? null : { used: disk[0], limit: disk[1] },
  bandwidth: bandwidth === null ? null : { used: bandwidth[0], limit: bandwidth[1] },
});

const reads: ServerUsage[] = [
  { server: "fra1", provider: "apiscp", ok: true, supported: true, rows: [row("site1", "a.example", [1 * GB, 4 * GB]), row("site2", "b.example", [3 * GB, 4 * GB], [9 * GB, 10 * GB]), row("site3", "stray.example", [7 * GB, null])] },
  { server: "ams1", provider: "apiscp", ok: false, error: "ams1: cannot read: refused" },
];

describe("buildUsageReport", () => {
  it("pairs by id pin and name, sorts closest first, keeps the unmanaged apart and counts what git has that the server does not", () => {
    const built = buildUsageReport(inv, reads, { over: null, targets: null });
    if (!built.ok) throw new Error(built.message);
    const { report } = built;
    expect(report.managed.map((r) => [r.name, r.percent, r.source?.file])).toEqual([
      ["b.example", 90, b.source.file],
      ["a.example", 25, a.source.file],
    ]);
    expect(report.unmanaged.map((r) => [r.name, r.percent])).toEqual([["stray.example", null]]);
    expect(report.missing).toBe(1);
    expect(report.servers).toEqual([
      { name: "fra1", provider: "apiscp", status: "read", error: null },
      { name: "ams1", provider: "apiscp", status: "failed", error: "ams1: cannot read: refused" },
    ]);
    expect(report.overLimit).toBe(false);
  });

  it("keeps only those at or above --over, and says whether any is", () => {
    const at90 = buildUsageReport(inv, reads, { over: 90, targets: null });
    expect(at90.ok && [at90.report.managed.map((r) => r.name), at90.report.unmanaged.length, at90.report.overLimit]).toEqual([["b.example"], 0, true]);
    const at91 = buildUsageReport(inv, reads, { over: 91, targets: null });
    expect(at91.ok && at91.report.overLimit).toBe(false);
  });

  it("narrows to --target, and refuses one that names nothing", () => {
    const one = buildUsageReport(inv, reads, { over: null, targets: ["stray.example"] });
    expect(one.ok && [...one.report.managed, ...one.report.unmanaged].map((r) => r.name)).toEqual(["stray.example"]);
    expect(buildUsageReport(inv, reads, { over: null, targets: ["nowhere.example"] })).toMatchObject({ ok: false, message: expect.stringMatching(/^--target "nowhere\.example" names no resource/) });
    expect(buildUsageReport(inv, reads, { over: null, targets: ["gone.example"] })).toMatchObject({ ok: false, message: '--target "gone.example" is in git but not on fra1' });
  });
});

describe("rendering", () => {
  it("writes sizes in 1024-based units and rounds shares down", () => {
    expect([0, 1023, 1024, 1536, 10 * GB, 1.25 * 1024 ** 4].map(formatSize)).toEqual(["0 B", "1023 B", "1 KB", "1.5 KB", "10 GB", "1.3 TB"]);
    expect(formatFigure({ used: 0.8999 * GB, limit: GB, percent: 89.99 })).toBe("921.5 MB of 1 GB (89 %)");
    expect(formatFigure({ used: GB, limit: null, percent: null })).toBe("1 GB (no limit)");
    expect(formatFigure(null)).toBe("n/a");
  });

  it("names a server that could not be read below the table", () => {
    const built = buildUsageReport(inv, reads, { over: null, targets: null });
    expect(built.ok && renderUsageText(built.report).trimEnd().split("\n").at(-1)).toBe("ams1: could not be read: ams1: cannot read: refused");
  });
});
