import { describe, expect, it } from "vitest";
import { applyPlan, createProgress } from "../../../src/applier/index.js";
import { FakeProvider, fail, instant, providers } from "./fake-provider.js";
import { CATALOGUE, op, plan } from "./ops.js";

const ESC = String.fromCharCode(27);
const stripAnsi = (line: string): string => line.split(ESC + "[2K").join("").split(ESC + "[2A").join("").replace(/\r/g, "");

async function run(isTTY: boolean): Promise<string> {
  const fra1 = new FakeProvider("fra1");
  const ams1 = new FakeProvider("ams1");
  const ops = [op("update", "a.example"), op("update", "b.example"), op("update", "c.example", { server: "ams1" })];
  fra1.script(ops[1]?.id ?? "", { error: fail("rejected", "invalid shell") });
  let out = "";
  const clock = instant();
  const progress = createProgress({ isTTY, write: (t) => (out += t), now: clock.now, redrawMs: 0 });
  await applyPlan(plan(ops), { providers: providers(fra1, ams1), catalogue: CATALOGUE, concurrency: { perServer: {}, total: 1 }, failFast: false, ...clock, events: progress });
  return out;
}

describe("createProgress", () => {
  it("in CI writes one timestamped line per op start and finish", async () => {
    const lines = (await run(false)).trimEnd().split("\n");
    expect(lines[0]).toBe("2025-07-01T04:00:00.000Z applying 3 ops on 2 server(s)");
    expect(lines).toContain("2025-07-01T04:00:00.000Z start fra1 update a.example");
    expect(lines).toContain("2025-07-01T04:00:00.000Z failed fra1 update b.example (0.0 s): invalid shell");
    expect(lines.filter((l) => / start /.test(l))).toHaveLength(3);
    expect(lines.at(-1)).toBe("2025-07-01T04:00:00.000Z finished: 2/3 done");
    expect(lines.join("\n")).not.toContain("\x1b[");
  });

  it("shows what an op waits for while the panel finishes it, in CI and on a terminal", async () => {
    for (const isTTY of [false, true]) {
      const fra1 = new FakeProvider("fra1");
      const ops = [op("create", "new.example")];
      fra1.script(ops[0]?.id ?? "", { waits: ["waiting for the panel to set it up: 1 s so far", "waiting for the panel to set it up: 3 s so far"] });
      let out = "";
      const clock = instant();
      await applyPlan(plan(ops), { providers: providers(fra1), catalogue: CATALOGUE, concurrency: { perServer: {}, total: 1 }, failFast: false, ...clock, events: createProgress({ isTTY, write: (t) => (out += t), now: clock.now, redrawMs: 0 }) });
      const text = stripAnsi(out);
      if (isTTY) expect(text).toContain("… fra1 create new.example: waiting for the panel to set it up: 3 s so far");
      else expect(text.split("\n")).toContain("2025-07-01T04:00:00.000Z waiting fra1 create new.example: waiting for the panel to set it up: 1 s so far");
    }
  });

  it("on a terminal rewrites one line per server in place and keeps failures above them", async () => {
    const out = await run(true);
    expect(out).toContain("\x1b[2A");
    expect(out).toContain("✗ failed fra1 update b.example");
    // What the screen shows last: the final tally of each server.
    const finalBlock = out.slice(out.lastIndexOf("\x1b[2A")).split("\n").slice(0, 2).map(stripAnsi);
    expect(finalBlock).toEqual(["ams1 ▸ 1/1 done", "fra1 ▸ 1/2 done, 1 failed"]);
  });

  it("on a terminal shows running ops while they run", () => {
    let out = "";
    const progress = createProgress({ isTTY: true, write: (t) => (out += t), now: () => 0, redrawMs: 0 });
    progress({ type: "apply-started", at: 0, planCreatedAt: "", inventoryCommit: null, fingerprints: {}, opsByServer: { fra1: 40 } });
    for (let i = 0; i < 3; i++) progress({ type: "op-started", at: 0, op: { id: `x${i}`, server: "fra1", action: "update", name: `${i}.example` }, attempt: 1 });
    expect(out.split("\r\x1b[2K").at(-1)).toBe("fra1 ▸ 0/40 done, 3 running\n");
  });
});
