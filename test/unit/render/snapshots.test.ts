import { describe, expect, it } from "vitest";
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from "../../../src/render/index.js";
import { richPlan } from "./rich-plan.js";
import { siteCatalogue } from "./test-kinds.js";

const catalogue = siteCatalogue();

describe("renderers on the rich plan", () => {
  it("text without colour", async () => {
    const text = renderPlanText(richPlan(), catalogue, { color: false });
    expect(text).not.toContain("\u001b[");
    await expect(text).toMatchFileSnapshot("./__snapshots__/rich-plan.txt");
  });

  it("text with colour", async () => {
    const text = renderPlanText(richPlan(), catalogue, { color: true });
    expect(text).toContain("\u001b[31m- delete  \u001b[39m");
    await expect(text).toMatchFileSnapshot("./__snapshots__/rich-plan.color.txt");
  });

  it("markdown", async () => {
    await expect(renderPlanMarkdown(richPlan(), catalogue, { fullPlanLocation: "the plan-json artifact" })).toMatchFileSnapshot("./__snapshots__/rich-plan.md");
  });

  it("json", async () => {
    await expect(renderPlanJson(richPlan(), catalogue)).toMatchFileSnapshot("./__snapshots__/rich-plan.json");
  });
});
