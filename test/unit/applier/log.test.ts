import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { applyPlan, createApplyLogger, logApplyEvents, logFileDestination } from "../../../src/applier/index.js";
import { FakeProvider, fail, instant, providers } from "./fake-provider.js";
import { CATALOGUE, op, plan } from "./ops.js";

function capture(): { stream: Writable; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join(""), lines: () => chunks.join("").trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("apply logs", () => {
  it("censor secret-looking fields at any of the first levels", () => {
    const out = capture();
    const logger = createApplyLogger(out.stream, { catalogue: CATALOGUE });
    const secret = "s3cr3t-api-key-value";
    logger.info({ key: secret, server: { name: "fra1", apiKey: secret }, request: { auth: { tpasswd: secret, cpasswd: secret } }, dns: { key: secret }, password: secret }, "connecting");
    expect(out.text()).not.toContain(secret);
    const [line] = out.lines();
    expect(line).toMatchObject({ key: "[REDACTED]", server: { name: "fra1", apiKey: "[REDACTED]" }, dns: { key: "[REDACTED]" }, request: { auth: { tpasswd: "[REDACTED]" } } });
  });

  it("censor every field the catalogue's kinds mark secret, under its group", () => {
    const out = capture();
    const logger = createApplyLogger(out.stream, { catalogue: CATALOGUE });
    const fields = CATALOGUE.secretFields();
    expect(fields.length).toBeGreaterThan(0);
    const values: Record<string, Record<string, string>> = {};
    for (const field of fields) {
      const [group = "", name = ""] = field.split(".");
      (values[group] ??= {})[name] = `secret-of-${field}`;
    }
    logger.info({ fields: values }, "collected");
    for (const field of fields) expect(out.text()).not.toContain(`secret-of-${field}`);
  });

  it("log every applier event as JSON, problems at warn or error", async () => {
    const out = capture();
    const fra1 = new FakeProvider("fra1");
    const ops = [op("update", "a.example"), op("update", "b.example")];
    fra1.script(ops[0]?.id ?? "", { error: fail("transport", "reset") }, { error: fail("rejected", "invalid quota") });
    await applyPlan(plan(ops), { providers: providers(fra1), catalogue: CATALOGUE, concurrency: { perServer: {}, total: 1 }, failFast: false, ...instant(), events: logApplyEvents(createApplyLogger(out.stream, { catalogue: CATALOGUE })) });
    const lines = out.lines();
    expect(lines.map((l) => l.event)).toEqual(["apply-started", "op-started", "op-retrying", "op-finished", "op-started", "op-finished", "apply-finished"]);
    expect(lines[3]).toMatchObject({ level: 50, status: "failed", message: "invalid quota", id: "fra1:update:a.example" });
    expect(lines[2]).toMatchObject({ level: 40, error: "reset" });
    expect(lines[5]).toMatchObject({ level: 30, status: "done" });
  });

  it("log a wait for the panel once per message, at info", async () => {
    const out = capture();
    const fra1 = new FakeProvider("fra1");
    const ops = [op("create", "new.example")];
    fra1.script(ops[0]?.id ?? "", { waits: ["still processing (item_status 5)"] });
    await applyPlan(plan(ops), { providers: providers(fra1), catalogue: CATALOGUE, concurrency: { perServer: {}, total: 1 }, failFast: false, ...instant(), events: logApplyEvents(createApplyLogger(out.stream, { catalogue: CATALOGUE })) });
    const waits = out.lines().filter((l) => l.event === "op-waiting");
    expect(waits).toEqual([expect.objectContaining({ level: 30, detail: "still processing (item_status 5)", id: "fra1:create:new.example" })]);
  });

  it("write to a --log-file synchronously, secrets censored there too", () => {
    const dir = mkdtempSync(join(tmpdir(), "siteform-log-"));
    try {
      const path = join(dir, "logs", "apply.log");
      const logger = createApplyLogger(logFileDestination(path), { catalogue: CATALOGUE });
      logger.warn({ server: { key: "hunter2-key" }, op: "fra1:update:a.example" }, "retrying");
      const [line] = readFileSync(path, "utf8").trimEnd().split("\n");
      expect(JSON.parse(line ?? "{}")).toMatchObject({ level: 40, op: "fra1:update:a.example", server: { key: "[REDACTED]" }, msg: "retrying" });
      expect(readFileSync(path, "utf8")).not.toContain("hunter2");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
