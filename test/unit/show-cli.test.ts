import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/io.js";
import { run } from "../../src/cli/main.js";
import { writePlanFile } from "../../src/engine/plan-file-io.js";
import { PLAN_FORMAT_VERSION } from "../../src/model/index.js";
import { serializePlan } from "../../src/planner/plan-file.js";
import { catalogueOf } from "../../src/providers/registry.js";
import { renderPlanMarkdown, renderPlanText } from "../../src/render/index.js";
import { richPlan, SECRET_VALUES } from "./render/rich-plan.js";

function memoryIO(cwd: string, isTTY = false): CliIO & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: () => out.join(""),
    err: () => err.join(""),
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env: {},
    cwd,
    isTTY,
    interrupted: new AbortController().signal,
    forced: new AbortController().signal,
  };
}

const CATALOGUE = catalogueOf();

let dir: string;
// Runs through the real program and error handling.

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "siteform-show-"));
  await writePlanFile(join(dir, "plan.json"), richPlan(), CATALOGUE);
  await writeFile(join(dir, "newer.json"), '{"formatVersion": 7}\n');
  await writeFile(join(dir, "broken.json"), '{"formatVersion": 2,\n  "ops": [\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const show = async (args: string[], isTTY = false): Promise<{ code: number; out: string; err: string }> => {
  const io = memoryIO(dir, isTTY);
  const code = await run(["node", "siteform", "show", ...args], io);
  return { code, out: io.out(), err: io.err() };
};

describe("siteform show", () => {
  it("renders a saved plan as text, without colour when stdout is not a terminal", async () => {
    const { code, out, err } = await show(["plan.json"]);
    expect({ code, err }).toEqual({ code: 0, err: "" });
    expect(out).toBe(renderPlanText(JSON.parse(serializePlan(richPlan(), CATALOGUE)), CATALOGUE, { color: false }));
    expect(out.split("\n")[0]).toBe("fra1: 1 to delete, 1 to suspend, 3 to update, 1 to create, 1 to activate (refused: 1 error)");
  });

  it("uses colour on a terminal", async () => {
    const { code, out } = await show(["plan.json"], true);
    expect(code).toBe(0);
    expect(out).toContain("\u001b[31m- delete  \u001b[39m");
  });

  it("renders markdown and JSON, and never a secret", async () => {
    const md = await show(["plan.json", "--format", "markdown"]);
    expect(md.code).toBe(0);
    expect(md.out).toBe(renderPlanMarkdown(JSON.parse(serializePlan(richPlan(), CATALOGUE)), CATALOGUE, { fullPlanLocation: "plan.json" }));
    const json = await show(["plan.json", "--format", "json"]);
    expect(json.out).toBe(serializePlan(richPlan(), CATALOGUE));
    for (const out of [md.out, json.out]) for (const secret of SECRET_VALUES) expect(out).not.toContain(secret);
  });

  it("exits 1 with a clear message for a missing, broken or newer file", async () => {
    expect(await show(["missing.json"])).toEqual({
      code: 1,
      out: "",
      err: "error: cannot read the plan file missing.json: no such file; check the path, or write a plan with `siteform plan -o FILE`.\n",
    });
    const broken = await show(["broken.json"]);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/^error: broken\.json:3:1: not a plan file: the JSON is broken/);
    const newer = await show(["newer.json"]);
    expect(newer.code).toBe(1);
    expect(newer.err).toMatch(new RegExp(`^error: newer\\.json: written by a newer siteform \\(plan format 7; this siteform reads format ${PLAN_FORMAT_VERSION}\\)`));
  });

  it("refuses an unknown format", async () => {
    const { code, err } = await show(["plan.json", "--format", "yaml"]);
    expect(code).toBe(1);
    expect(err).toMatch(/must be text, markdown or json/);
  });
});
