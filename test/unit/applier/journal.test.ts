import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyPlan, fanOut, Journal, type ApplyEvent, type JournalRecord } from "../../../src/applier/index.js";
import { FakeProvider, fail, instant, providers } from "./fake-provider.js";
import { CATALOGUE, op, plan } from "./ops.js";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "siteform-journal-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function readJournal(path: string): JournalRecord[] {
  return readFileSync(path, "utf8").trimEnd().split("\n").map((line) => JSON.parse(line) as JournalRecord);
}

describe("Journal", () => {
  it("writes a header, a start and a finish per executed op, a finish per skipped op, and a footer", async () => {
    const path = join(dir, "apply.jsonl");
    const journal = new Journal(path);
    const fra1 = new FakeProvider("fra1");
    const bad = op("update", "bad.example");
    const child = op("suspend", "child.example", { dependsOn: [bad.id] });
    const good = op("create", "good.example");
    fra1.script(bad.id, { error: fail("rejected", "quota exceeds the plan") }).script(good.id, { result: { id: "site5" } });
    await applyPlan(plan([bad, child, good]), { providers: providers(fra1), catalogue: CATALOGUE, concurrency: { perServer: {}, total: 1 }, failFast: false, ...instant(), events: journal.write });
    journal.close();
    const records = readJournal(path);
    expect(records[0]).toMatchObject({ record: "header", planCreatedAt: "2025-07-01T03:00:00.000Z", fingerprints: { fra1: "fp-fra1" } });
    expect(records.at(-1)).toMatchObject({ record: "footer", ok: false, interrupted: false, totals: { done: 1, failed: 1, skipped: 1, total: 3 } });
    const ops = records.filter((r) => r.record === "start" || r.record === "finish").map((r) => ("op" in r ? [r.record, r.op, r.status] : []));
    expect(ops).toEqual([
      ["start", bad.id, "running"],
      ["finish", bad.id, "failed"],
      ["finish", child.id, "skipped"],
      ["start", good.id, "running"],
      ["finish", good.id, "done"],
    ]);
    expect(records.find((r) => r.record === "finish" && r.op === bad.id)).toMatchObject({ message: "quota exceeds the plan", attempt: 1, server: "fra1", action: "update" });
    expect(records.find((r) => r.record === "finish" && r.op === good.id)).toMatchObject({ resourceId: "site5" });
    for (const r of records) expect(Date.parse(r.time)).not.toBeNaN();
  });

  it("has every record on disk as soon as it is written, before the run ends", async () => {
    const path = join(dir, "apply.jsonl");
    const journal = new Journal(path);
    const fra1 = new FakeProvider("fra1");
    const ops = ["a", "b", "c"].map((n) => op("update", `${n}.example`));
    const seenOnDisk: number[] = [];
    // After each op finishes, a crash right now would leave exactly what is in the file.
    const probe = (e: ApplyEvent): void => {
      if (e.type === "op-finished") seenOnDisk.push(readJournal(path).filter((r) => r.record === "finish").length);
    };
    await applyPlan(plan(ops), { providers: providers(fra1), catalogue: CATALOGUE, concurrency: { perServer: {}, total: 1 }, failFast: false, ...instant(), events: fanOut(journal.write, probe) });
    journal.close();
    expect(seenOnDisk).toEqual([1, 2, 3]);
  });

  it("appends to an existing journal instead of overwriting it", () => {
    const path = join(dir, "apply.jsonl");
    const first = new Journal(path);
    first.write({ type: "apply-interrupted", at: 0 });
    first.close();
    const second = new Journal(path);
    second.write({ type: "apply-interrupted", at: 1000 });
    second.close();
    expect(readJournal(path).map((r) => r.time)).toEqual(["1970-01-01T00:00:00.000Z", "1970-01-01T00:00:01.000Z"]);
    expect(() => second.write({ type: "apply-interrupted", at: 0 })).toThrow(/closed/);
  });
});
