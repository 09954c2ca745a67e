/**
 * `siteform demo`, the first command a newcomer runs: in-process, it must end with exit 0 and
 * show the whole story (drift, plan, apply of the saved plan, an empty re-plan, the drift
 * report) well within a minute, and leave nothing behind.
 */
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { recordingIO, siteform } from "./cli-harness.js";

describe("siteform demo", () => {
  it("runs plan, apply, an empty re-plan and drift on emulated servers, exit 0, in well under 60 s", async () => {
    const demoDirs = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith("siteform-demo-"));
    const before = demoDirs();
    const io = recordingIO({ cwd: process.cwd(), env: {} });
    const started = performance.now();
    const code = await siteform(io, "demo");
    const seconds = (performance.now() - started) / 1000;
    const out = io.stdoutText();
    expect(code, out + io.stderrText()).toBe(0);
    expect(seconds).toBeLessThan(30);

    expect(out).toMatch(/The servers have drifted from git/);
    // The plan: each kind of drift the scenario made becomes an op; the unmanaged site is only reported.
    expect(out).toMatch(/\$ siteform plan --detailed-exitcode --allow-paid 1 -o plan\.json/);
    expect(out).toMatch(/create\s+greenleaf-coop\.example/);
    expect(out).toMatch(/update\s+kessler-law\.example/);
    expect(out).toMatch(/activate\s+acme-bakery\.example/);
    expect(out).toMatch(/delete\s+oldtown-books\.example/);
    // On the WHM server: an account support unsuspended is suspended again, a lowered quota restored.
    expect(out).toMatch(/suspend\s+summit-outdoor\.example \(\d+\): suspended in the inventory/);
    expect(out).toMatch(/update\s+lindqvist-design\.example \(\d+\)[^\n]*\n\s+limits\.disk_mb\s+10240 → 51200/);
    // On the BILLmanager: auto-renewal switched back off, and the licence renewed, listed as costing money.
    expect(out).toMatch(/update\s+backup-vps \(\d+\)[^\n]*\n\s+service\.autoprolong\s+1 → off/);
    expect(out).toMatch(/renew\s+cloudlinux-fra1 \(\d+\): renews to at least \d{4}-\d{2}-\d{2}/);
    // Listed before the operations by server, with BILLmanager's own preview of the renewal.
    expect(out).toMatch(/Costs money: 1\n\s+bm1: \* renew\s+cloudlinux-fra1[^\n]*\n\s+renewal preview \(nothing charged\): 3 months for [\d.]+, paid until \d{4}-\d{2}-\d{2} → \d{4}-\d{2}-\d{2}\n/);
    expect(out.indexOf("Costs money: 1")).toBeLessThan(out.indexOf("\nbm1\n"));
    expect(out).toMatch(/\(exit code 3\)/);
    // Apply of exactly that plan.
    expect(out).toMatch(/\$ siteform apply plan\.json --allow-paid 1/);
    expect(out).toMatch(/Apply complete: all 8 ops done/);
    expect(out).toMatch(/bm1 renew cloudlinux-fra1 \(renewal\.paid_until: [^)]+\): renewed for 3 months for [\d.]+: paid until \d{4}-\d{2}-\d{2} → \d{4}-\d{2}-\d{2}; active/);
    // The report says what each op changed.
    expect(out).toMatch(/fra1 update kessler-law\.example \(diskquota\.quota: 20 → 40\)/);
    // The re-plan is empty and drift only shows the site and the account created by hand.
    expect(out).toMatch(/4\. Plan again: nothing left to do[\s\S]*No changes\. The servers match the inventory\.\n\(exit code 0\)/);
    expect(out).toMatch(/\$ siteform drift\nDrift: 2 differences \(2 unmanaged\) on 4 servers read/);
    expect(out).toMatch(/unmanaged\s+reseller-demo\.example \(\d+\): on the server, not in git/);
    expect(out).toMatch(/Demo finished: the servers match git\./);

    // The temporary inventory is gone unless --keep.
    expect(demoDirs().filter((name) => !before.includes(name))).toEqual([]);
  }, 60_000);
});
