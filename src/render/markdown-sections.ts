/**
 * The parts of the markdown plan comment, each a pure function of the (redacted) plan and
 * how much detail fits. markdown.ts decides the detail; these only write. All untrusted text
 * goes through markdown-escape.ts.
 */
import type { Catalogue } from "../kinds/catalogue.js";
import type { Op, Plan, PlanDiagnostic } from "../model/index.js";
import { actionPhrase, actionsOf, countActions, paidPhrase, plural } from "./counts.js";
import { changeValues, safeText, sourceLabel } from "./format-value.js";
import { commonNoun, countOf } from "./kinds.js";
import { code, escapeHtml, escapeMarkdown } from "./markdown-escape.js";
import { flagPhrases, renamesOf, templateChangeOf } from "./op-summary.js";
import { destructiveOps, paidOps, type ServerSection } from "./review-order.js";

/** How much of the plan the comment shows; markdown.ts lowers it step by step until it fits. */
export interface Detail {
  /** Field changes, flags and notes under each operation. */
  fieldChanges: boolean;
  /** Each server's operations one by one (otherwise only its counts). */
  serverOps: boolean;
  /** Suspensions in the destructive list; deletions are always there. */
  suspensions: boolean;
  /** Warnings and unmanaged resources one by one (otherwise counted). */
  lists: boolean;
  /** Deletions as a short list per server instead of one line each with its reason. */
  compactDeletions: boolean;
  /** The most deletions listed: Infinity unless even the shortest form does not fit. */
  deletionLimit: number;
  /** The most errors listed. */
  errorLimit: number;
}

function md(text: string): string {
  return escapeMarkdown(safeText(text));
}

/** `` `name` (id) ``. */
function resourceCode(target: { name: string; id: string | null }): string {
  const name = code(safeText(target.name));
  return target.id === null ? name : `${name} (${md(target.id)})`;
}

function sourceText(source: { file: string; line?: number } | null): string {
  const label = sourceLabel(source);
  return label === null ? "" : ` · ${code(label)}`;
}

export function title(plan: Plan, sections: readonly ServerSection[]): string[] {
  const counts = countActions(plan.ops);
  const head = ["## siteform plan", ""];
  const servers = plural(sections.length, "server");
  if (plan.ops.length === 0) head.push(`**No changes** on ${servers}.`);
  else head.push(`**${plural(plan.ops.length, "operation")} on ${servers}:** ${actionPhrase(counts)}${paidPhrase(plan.ops)}.`);
  const commit = plan.inventory.commit === null ? "an inventory outside git" : `inventory commit ${code(safeText(plan.inventory.commit.slice(0, 12)))}`;
  head.push(`Planned at ${md(plan.createdAt)} from ${commit}${plan.inventory.dirty ? " (with uncommitted changes)" : ""}.`, "");
  return head;
}

export function alerts(plan: Plan, sections: readonly ServerSection[], catalogue: Catalogue): string[] {
  const errors = plan.diagnostics.filter((d) => d.severity === "error").length;
  const unreadSections = sections.filter((s) => s.server?.error != null);
  const unread = unreadSections.map((s) => `**${md(s.name)}**`);
  const nouns = commonNoun(catalogue, unreadSections.flatMap((s) => (s.server === undefined ? [] : catalogue.kindsOf(s.server.provider).map((k) => k.id))));
  if (errors === 0 && unread.length === 0) return [];
  const lines = ["> [!CAUTION]"];
  if (errors > 0) lines.push(`> **This plan is refused: ${plural(errors, "error")}.** Nothing can be applied until ${errors === 1 ? "it is" : "they are"} fixed (see Errors).`);
  if (errors > 0 && unread.length > 0) lines.push(">");
  if (unread.length > 0) lines.push(`> **${plural(unread.length, "server")} could not be read:** ${unread.join(", ")}; ${unread.length === 1 ? "its" : "their"} ${md(nouns)} were not planned.`);
  return [...lines, ""];
}

export function cutNotice(cuts: readonly string[], detail: Detail, fullPlanLocation: string | undefined, maxChars: number): string[] {
  if (cuts.length === 0) return [];
  const where = fullPlanLocation === undefined ? "run `siteform show` on the plan file" : `see ${md(fullPlanLocation)}`;
  const deletions = detail.deletionLimit === Infinity ? " Every deletion is still listed." : "";
  return [
    "> [!NOTE]",
    `> This comment is shortened to stay under ${maxChars.toLocaleString("en-US")} characters: ${cuts.join("; ")}.${deletions} For the full plan, ${where}.`,
    "",
  ];
}

function diagnosticItem(d: PlanDiagnostic): string[] {
  const server = d.server === null ? "" : `**${md(d.server)}** · `;
  const where = sourceText(d.file === undefined ? null : { file: d.file, line: d.line });
  const lines = [`- ${server}${md(d.message)} (${code(safeText(d.code))})${where}`];
  if (d.hint !== undefined) lines.push(`  - hint: ${md(d.hint)}`);
  return lines;
}

function diagnosticList(heading: string, list: readonly PlanDiagnostic[], limit: number): string[] {
  if (list.length === 0) return [];
  const shown = list.slice(0, limit);
  const lines = [`### ${heading} (${list.length})`, "", ...shown.flatMap(diagnosticItem)];
  if (list.length > shown.length) lines.push(`- … and ${list.length - shown.length} more (in the full plan)`);
  return [...lines, ""];
}

export function errorsSection(plan: Plan, detail: Detail): string[] {
  return diagnosticList("Errors", plan.diagnostics.filter((d) => d.severity === "error"), detail.errorLimit);
}

export function warningsSection(plan: Plan, detail: Detail): string[] {
  const warnings = plan.diagnostics.filter((d) => d.severity === "warning");
  if (detail.lists) return diagnosticList("Warnings", warnings, Infinity);
  return warnings.length === 0 ? [] : [`### Warnings (${warnings.length})`, "", "Left out here; they are in the full plan.", ""];
}

/** One column per core action, and per kind's own action some server has. */
export function serverTable(sections: readonly ServerSection[]): string[] {
  const all: Record<string, number> = {};
  for (const s of sections) for (const [action, count] of Object.entries(s.counts)) all[action] = (all[action] ?? 0) + count;
  const actions = actionsOf(all);
  const header = `| Server | ${actions.map((a) => md(a[0]?.toUpperCase() + a.slice(1))).join(" | ")} | Status |`;
  const rows = sections.map((s) => {
    const status =
      s.server?.error != null ? `could not be read: ${md(s.server.error)}` : s.errors.length > 0 ? `refused (${plural(s.errors.length, "error")})` : "ok";
    return `| ${md(s.name)} | ${actions.map((a) => ((s.counts[a] ?? 0) === 0 ? "·" : String(s.counts[a]))).join(" | ")} | ${status} |`;
  });
  return [header, `|:--|${actions.map(() => "--:").join("|")}|:--|`, ...rows, ""];
}

function opHeader(op: Op, withServer: boolean, catalogue: Catalogue): string {
  const renamed = renamesOf(op, catalogue.find(op.kind)).map((r) => `, ${r.what} renamed to ${code(r.to)}`).join("");
  const server = withServer ? ` on **${md(op.server)}**` : "";
  return `- **${md(op.action)}** ${resourceCode(op.target)}${renamed}${server}: ${md(op.reason)}${sourceText(op.target.source)}`;
}

function opDetails(op: Op, catalogue: Catalogue): string[] {
  const kind = catalogue.find(op.kind);
  const lines: string[] = [];
  if (op.paid === true) lines.push("  - **costs money**");
  const templateChange = templateChangeOf(op, kind);
  if (templateChange !== null) {
    lines.push(
      templateChange.from === null
        ? `  - moves to ${escapeMarkdown(templateChange.label)} ${code(templateChange.to)}`
        : `  - ${escapeMarkdown(templateChange.label)}: ${code(templateChange.from)} → ${code(templateChange.to)}`,
    );
  }
  for (const phrase of flagPhrases(op, kind)) lines.push(`  - ${escapeMarkdown(phrase)}`);
  for (const change of op.changes) {
    const { before, after } = changeValues(change);
    const show = (v: string): string => (change.secret === true && v !== "(none)" ? `*${v}*` : code(v));
    const wholesale = change.wholesale === true ? " **(the whole list is replaced)**" : "";
    const value = op.action === "create" && change.before === null ? `= ${show(after)}` : `${show(before)} → ${show(after)}`;
    lines.push(`  - ${code(safeText(change.field))}: ${value}${wholesale}`);
  }
  for (const note of op.notes) lines.push(`  - note: ${md(note)}`);
  return lines;
}

function compactDeletions(deletions: readonly Op[], limit: number): string[] {
  const byServer = new Map<string, Op[]>();
  for (const op of deletions.slice(0, limit)) {
    const list = byServer.get(op.server);
    if (list === undefined) byServer.set(op.server, [op]);
    else list.push(op);
  }
  const lines = [...byServer].map(([server, ops]) => `- **${md(server)}**: ${ops.map((op) => resourceCode(op.target)).join(", ")}`);
  if (deletions.length > limit) lines.push(`- … and ${deletions.length - limit} more deletions, too many for one comment (in the full plan)`);
  return lines;
}

export function destructiveSection(plan: Plan, detail: Detail, catalogue: Catalogue): string[] {
  const ops = destructiveOps(plan);
  if (ops.length === 0) return [];
  const deletions = ops.filter((op) => op.action === "delete");
  const suspensions = ops.filter((op) => op.action === "suspend");
  const counts = actionPhrase(countActions(ops));
  const lines = [`### Destructive operations (${counts})`, ""];
  if (detail.compactDeletions) lines.push(...compactDeletions(deletions, detail.deletionLimit));
  else lines.push(...deletions.map((op) => opHeader(op, true, catalogue)));
  if (detail.suspensions) lines.push(...suspensions.map((op) => opHeader(op, true, catalogue)));
  else if (suspensions.length > 0) lines.push(`- ${plural(suspensions.length, "suspension")} (listed in the full plan)`);
  return [...lines, ""];
}

/** Every op that costs money, one line each: never cut, like deletions (there are few, and they are what a reviewer pays for). */
export function paidSection(plan: Plan, catalogue: Catalogue): string[] {
  const ops = paidOps(plan);
  if (ops.length === 0) return [];
  // With what the panel quoted (tariff, period, price, new expiry): what a reviewer approves.
  const lines = ops.flatMap((op) => [opHeader(op, true, catalogue), ...op.notes.map((note) => `  - ${md(note)}`)]);
  return [`### Costs money (${ops.length})`, "", ...lines, ""];
}

export function operationsSection(sections: readonly ServerSection[], detail: Detail, catalogue: Catalogue): string[] {
  if (!detail.serverOps) return [];
  const withOps = sections.filter((s) => s.ops.length > 0);
  if (withOps.length === 0) return [];
  const lines = ["### Operations by server", ""];
  for (const s of withOps) {
    lines.push("<details>", `<summary><b>${escapeHtml(safeText(s.name))}</b>: ${escapeHtml(actionPhrase(s.counts))}</summary>`, "");
    for (const op of s.ops) lines.push(opHeader(op, false, catalogue), ...(detail.fieldChanges ? opDetails(op, catalogue) : []));
    lines.push("", "</details>", "");
  }
  return lines;
}

export function unmanagedSection(sections: readonly ServerSection[], detail: Detail, catalogue: Catalogue): string[] {
  const unmanaged = sections.flatMap((s) => (s.server?.unmanaged ?? []).map((u) => ({ server: s.name, u })));
  const rows = unmanaged.map(({ server, u }) => `- **${md(server)}**: ${resourceCode(u)}`);
  if (rows.length === 0) return [];
  const kinds = unmanaged.map(({ u }) => u.kind);
  const nouns = commonNoun(catalogue, kinds);
  const head = `### Unmanaged ${md(nouns)} (${rows.length})`;
  const what = "On the servers but not in the inventory; siteform leaves them alone unless the server has `prune: true`.";
  if (!detail.lists) return [head, "", `${what} Listed in the full plan.`, ""];
  return [head, "", what, "", "<details>", `<summary>${escapeHtml(safeText(countOf(catalogue, kinds, rows.length)))}</summary>`, "", ...rows, "", "</details>", ""];
}
