/**
 * The markdown rendering of a plan for a pull-request comment. Owns the size budget: the
 * comment is rendered with all detail, and while it is longer than `maxChars` the detail is
 * lowered one step at a time (field changes, then per-server lists, then suspensions,
 * warnings and unmanaged resources, then deletion reasons), saying what was cut and where the
 * full plan is. Every deletion and every operation that costs money stays listed; only when the
 * deletion names alone exceed the budget are the last ones counted instead, because GitHub
 * refuses a longer comment outright. Field knowledge (secrets, renames, templates, nouns) comes
 * from the catalogue passed in.
 */
import type { Catalogue } from "../kinds/catalogue.js";
import type { Plan } from "../model/index.js";
import { commonNoun, planKinds } from "./kinds.js";
import {
  alerts,
  cutNotice,
  destructiveSection,
  errorsSection,
  operationsSection,
  paidSection,
  serverTable,
  title,
  unmanagedSection,
  warningsSection,
  type Detail,
} from "./markdown-sections.js";
import { redactPlan } from "./redact.js";
import { serverSections, type ServerSection } from "./review-order.js";

export interface MarkdownOptions {
  /** Where readers find the whole plan when the comment is shortened ("the plan-json artifact"). */
  fullPlanLocation?: string;
  /** GitHub's limit for a comment body. */
  maxChars?: number;
}

export const GITHUB_COMMENT_LIMIT = 65_536;

const FULL: Detail = {
  fieldChanges: true,
  serverOps: true,
  suspensions: true,
  lists: true,
  compactDeletions: false,
  deletionLimit: Infinity,
  errorLimit: Infinity,
};

/** Each step lowers the detail further and says what it cut (`nouns`: what the plan's resources are called, `sites`). */
function steps(nouns: string): ReadonlyArray<{ cut: string; detail: Partial<Detail> }> {
  return [
    { cut: "field changes are left out", detail: { fieldChanges: false } },
    { cut: "operations are shown as counts per server", detail: { serverOps: false } },
    { cut: `suspensions, warnings and unmanaged ${nouns} are counted, not listed`, detail: { suspensions: false, lists: false, errorLimit: 50 } },
    { cut: "deletions are listed by name only", detail: { compactDeletions: true, errorLimit: 10 } },
  ];
}

interface Rendering {
  text: string;
  detail: Detail;
  cuts: string[];
}

type Settings = Required<Pick<MarkdownOptions, "maxChars">> & MarkdownOptions & { catalogue: Catalogue };

function compose(plan: Plan, sections: readonly ServerSection[], detail: Detail, cuts: readonly string[], options: Settings): string {
  const { catalogue } = options;
  const lines = [
    ...title(plan, sections),
    ...alerts(plan, sections, catalogue),
    ...cutNotice(cuts, detail, options.fullPlanLocation, options.maxChars),
    ...errorsSection(plan, detail),
    ...serverTable(sections),
    ...destructiveSection(plan, detail, catalogue),
    ...paidSection(plan, catalogue),
    ...operationsSection(sections, detail, catalogue),
    ...warningsSection(plan, detail),
    ...unmanagedSection(sections, detail, catalogue),
  ];
  while (lines.at(-1) === "") lines.pop();
  return `${lines.join("\n")}\n`;
}

/** The largest deletion count whose rendering fits, by bisection (the rendering grows with it). */
function fitDeletions(render: (limit: number) => string, total: number, maxChars: number): string {
  let low = 0;
  let high = total;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (render(mid).length <= maxChars) low = mid;
    else high = mid - 1;
  }
  return render(low);
}

export function renderPlanMarkdown(input: Plan, catalogue: Catalogue, options: MarkdownOptions = {}): string {
  const plan = redactPlan(input, catalogue);
  const maxChars = options.maxChars ?? GITHUB_COMMENT_LIMIT;
  const settings: Settings = { ...options, maxChars, catalogue };
  const sections = serverSections(plan);
  let current: Rendering = { text: compose(plan, sections, FULL, [], settings), detail: FULL, cuts: [] };
  for (const step of steps(commonNoun(catalogue, planKinds(plan, catalogue)))) {
    if (current.text.length <= maxChars) return current.text;
    const detail = { ...current.detail, ...step.detail };
    const cuts = [...current.cuts, step.cut];
    current = { text: compose(plan, sections, detail, cuts, settings), detail, cuts };
  }
  if (current.text.length <= maxChars) return current.text;
  const cuts = [...current.cuts, "some deletions are counted, not named, because their names alone exceed the limit"];
  const deletions = plan.ops.filter((op) => op.action === "delete").length;
  const render = (limit: number): string => compose(plan, sections, { ...current.detail, deletionLimit: limit, errorLimit: 3 }, cuts, settings);
  return truncate(fitDeletions(render, deletions, maxChars), maxChars);
}

/** The last resort when even counts do not fit (thousands of servers): cut at a line end. */
function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const tail = "\n… cut here: the rest did not fit in one comment; see the full plan.\n";
  const cut = text.lastIndexOf("\n", maxChars - tail.length);
  return `${text.slice(0, Math.max(0, cut))}${tail}`;
}
