/**
 * The terminal rendering of a plan: a line per server first, then each server's operations
 * in review order with their field changes, then diagnostics and unmanaged sites, and a
 * Terraform-like total last. Pure: colour only when asked, secrets redacted first, every
 * interpolated text made safe for a terminal.
 */
import pc from "picocolors";
import type { FieldChange, Op, OpAction, Plan, PlanDiagnostic } from "../model/index.js";
import { actionPhrase, countActions, plural } from "./counts.js";
import { changeValues, safeText, siteLabel, sourceLabel } from "./format-value.js";
import { flagPhrases, planChangeOf, reasonText, renamesOf } from "./op-summary.js";
import { redactPlan } from "./redact.js";
import { serverSections, type ServerSection } from "./review-order.js";

export interface TextOptions {
  color: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

export const ACTION_SYMBOL: Readonly<Record<OpAction, string>> = { delete: "-", suspend: "!", update: "~", create: "+", activate: ">" };

const ACTION_WIDTH = Math.max(...Object.keys(ACTION_SYMBOL).map((a) => a.length));

function actionColor(c: Colors, action: OpAction): (text: string) => string {
  switch (action) {
    case "delete":
      return c.red;
    case "suspend":
      return c.yellow;
    case "update":
      return c.cyan;
    case "create":
    case "activate":
      return c.green;
  }
}

function serverLine(section: ServerSection, c: Colors): string {
  const name = c.bold(safeText(section.name));
  if (section.server?.error != null) return `${name}: ${c.red("could not be read")}: ${safeText(section.server.error)} (no operations planned)`;
  const phrase = actionPhrase(section.counts);
  const refused = section.errors.length > 0 ? c.red(` (refused: ${plural(section.errors.length, "error")})`) : "";
  return `${name}: ${phrase === "" ? "no changes" : phrase}${refused}`;
}

function changeLines(op: Op, c: Colors): string[] {
  const width = Math.max(...op.changes.map((ch) => safeText(ch.field).length));
  return op.changes.map((change: FieldChange) => {
    const field = safeText(change.field).padEnd(width);
    const { before, after } = changeValues(change);
    const wholesale = change.wholesale === true ? c.yellow("  (the whole list is replaced)") : "";
    if (op.action === "create" && change.before === null) return `      ${field} = ${after}`;
    return `      ${field}   ${before} ${c.dim("→")} ${after}${wholesale}`;
  });
}

function opLines(op: Op, c: Colors): string[] {
  const color = actionColor(c, op.action);
  const source = sourceLabel(op.target.source);
  const header = `  ${color(`${ACTION_SYMBOL[op.action]} ${op.action.padEnd(ACTION_WIDTH)}`)} ${c.bold(siteLabel(op.target))}: ${reasonText(op)}${source === null ? "" : c.dim(`  [${source}]`)}`;
  const lines = [header];
  for (const rename of renamesOf(op)) lines.push(`      ${c.cyan("renamed")}: ${rename.what} ${rename.from} → ${rename.to}`);
  const planChange = planChangeOf(op);
  if (planChange !== null) lines.push(`      ${c.cyan("server plan")}: ${planChange.from} → ${planChange.to}`);
  for (const phrase of flagPhrases(op)) lines.push(`      ${phrase}`);
  if (op.changes.length > 0) lines.push(...changeLines(op, c));
  for (const note of op.notes) lines.push(`      ${c.yellow("note")}: ${safeText(note)}`);
  return lines;
}

function diagnosticLines(diagnostics: readonly PlanDiagnostic[], c: Colors): string[] {
  if (diagnostics.length === 0) return [];
  const lines = ["Diagnostics:"];
  for (const d of diagnostics) {
    const label = d.severity === "error" ? c.red("error") : c.yellow("warning");
    const where = [sourceLabel(d.file === undefined ? null : { file: d.file, line: d.line }), d.server === null ? null : safeText(d.server)]
      .filter((w): w is string => w !== null)
      .join(" ");
    lines.push(`  ${label}${where === "" ? "" : ` ${where}`}: ${safeText(d.message)} ${c.dim(`[${safeText(d.code)}]`)}`);
    if (d.hint !== undefined) lines.push(`      hint: ${safeText(d.hint)}`);
  }
  return [...lines, ""];
}

function unmanagedLines(sections: readonly ServerSection[], c: Colors): string[] {
  const rows = sections.flatMap((s) =>
    (s.server?.unmanaged ?? []).map((u) => `  ${safeText(s.name)}: ${siteLabel({ domain: u.domain, siteId: u.siteId, adminUser: null, key: null, source: null })}`),
  );
  if (rows.length === 0) return [];
  return [c.bold(`Unmanaged sites (on the server, not in the inventory): ${rows.length}`), ...rows, ""];
}

function provenance(plan: Plan): string {
  const commit = plan.inventory.commit === null ? "an inventory outside git" : `inventory commit ${safeText(plan.inventory.commit.slice(0, 12))}`;
  return `Planned at ${safeText(plan.createdAt)} from ${commit}${plan.inventory.dirty ? " (with uncommitted changes)" : ""}.`;
}

function totalLines(plan: Plan, sections: readonly ServerSection[], c: Colors): string[] {
  const errors = plan.diagnostics.filter((d) => d.severity === "error").length;
  const unread = sections.filter((s) => s.server?.error != null).map((s) => safeText(s.name));
  // The total comes last, where people look for it (as in Terraform).
  const lines: string[] = [];
  if (unread.length > 0) lines.push(c.red(`${plural(unread.length, "server")} could not be read: ${unread.join(", ")}.`));
  if (errors > 0) lines.push(c.red(`Refused: ${plural(errors, "error")} (see Diagnostics); nothing can be applied until ${errors === 1 ? "it is" : "they are"} fixed.`));
  if (plan.ops.length === 0 && errors === 0 && unread.length === 0) lines.push(c.bold("No changes.") + " The servers match the inventory.");
  else lines.push(`${c.bold("Plan:")} ${actionPhrase(countActions(plan.ops), { withZeros: true })}.`);
  return lines;
}

export function renderPlanText(input: Plan, options: TextOptions): string {
  const plan = redactPlan(input);
  const c = pc.createColors(options.color);
  const sections = serverSections(plan);
  const lines = [...sections.map((s) => serverLine(s, c)), ""];
  for (const section of sections) {
    if (section.ops.length === 0) continue;
    lines.push(c.bold(safeText(section.name)), ...section.ops.flatMap((op) => opLines(op, c)), "");
  }
  lines.push(...diagnosticLines(plan.diagnostics, c), ...unmanagedLines(sections, c), provenance(plan), ...totalLines(plan, sections, c));
  return `${lines.join("\n")}\n`;
}
