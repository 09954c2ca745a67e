/**
 * Rendering plans for people and tools: text for terminals, markdown for pull requests, JSON
 * for machines. Every renderer is a pure function of the plan, the catalogue of kinds (what is
 * secret, what renames, what a resource is called) and its options, and redacts secrets
 * itself, so no caller can forget to.
 */
import type { Catalogue } from "../kinds/catalogue.js";
import type { Plan } from "../model/index.js";
import { renderPlanJson } from "./json.js";
import { renderPlanMarkdown } from "./markdown.js";
import { renderPlanText } from "./text.js";

export { renderPlanJson } from "./json.js";
export { GITHUB_COMMENT_LIMIT, renderPlanMarkdown, type MarkdownOptions } from "./markdown.js";
export { REDACTED, redactPlan } from "./redact.js";
export { renderPlanText, type TextOptions } from "./text.js";

export type PlanFormat = "text" | "markdown" | "json";

export interface RenderOptions {
  /** text only: ANSI colour. */
  color?: boolean;
  /** markdown only: where the full plan is when the comment is shortened. */
  fullPlanLocation?: string;
  /** markdown only: the size limit (GitHub's comment limit by default). */
  maxChars?: number;
}

export function renderPlan(plan: Plan, format: PlanFormat, catalogue: Catalogue, options: RenderOptions = {}): string {
  switch (format) {
    case "text":
      return renderPlanText(plan, catalogue, { color: options.color ?? false });
    case "markdown":
      return renderPlanMarkdown(plan, catalogue, { fullPlanLocation: options.fullPlanLocation, maxChars: options.maxChars });
    case "json":
      return renderPlanJson(plan, catalogue);
  }
}
