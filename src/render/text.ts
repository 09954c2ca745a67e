/**
 * The terminal rendering of a plan: a line per server first, then each server's operations
 * in review order with their field changes, then the operations that cost money, diagnostics
 * and unmanaged resources, and a Terraform-like total last. Pure: colour only when asked,
 * secrets redacted first (by the catalogue's kinds), every interpolated text made safe for a
 * terminal.
 */
import pc from "picocolors";
import type { Catalogue } from "../kinds/catalogue.js";
import type { FieldChange, Op, OpAction, Plan, PlanDiagnostic } from "../model/index.js";
import { actionPhrase, countActions, paidPhrase, plural } from "./counts.js";
import { changeValues, resourceLabel, safeText, sourceLabel } from "./format-value.js";
import { commonNoun } from "./kinds.js";
import { flagPhrases, reasonText, renamesOf, templateChangeOf, templateChangeText } from "./op-summary.js";
import { redactPlan } from "./redact.js";
import { paidOps, serverSections, type ServerSection } from "./review-order.js";

export interface TextOptions {
  color: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

/** The core's actions' symbols; a kind's own action (`renew`) is shown with `*`. */
export const ACTION_SYMBOL: Readonly<Record<string, string>> = { delete: "-", suspend: "!", update: "~", create: "+", activate: ">" };

const OWN_ACTION_SYMBOL = "*";

const CORE_WIDTH = Math.max(...Object.keys(ACTION_SYMBOL).map((a) => a.length));

function symbolOf(action: OpAction): string {
  return ACTION_SYMBOL[action] ?? OWN_ACTION_SYMBOL;
}

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
    default:
      return c.magenta;
  }
}

/** What an op line needs besides the op: the catalogue for its kind, and how wide actions are padded. */
interface Context {
  c: Colors;
  catalogue: Catalogue;
  width: number;
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

function opHeader(op: Op, ctx: Context): string {
  const { c } = ctx;
  const color = actionColor(c, op.action);
  const source = sourceLabel(op.target.source);
  return `${color(`${symbolOf(op.action)} ${safeText(op.action).padEnd(ctx.width)}`)} ${c.bold(resourceLabel(op.target))}: ${reasonText(op)}${source === null ? "" : c.dim(`  [${source}]`)}`;
}

function opLines(op: Op, ctx: Context): string[] {
  const { c } = ctx;
  const kind = ctx.catalogue.find(op.kind);
  const lines = [`  ${opHeader(op, ctx)}`];
  if (op.paid === true) lines.push(`      ${c.yellow("costs money")}`);
  for (const rename of renamesOf(op, kind)) lines.push(`      ${c.cyan("renamed")}: ${rename.what} ${rename.from} → ${rename.to}`);
  const templateChange = templateChangeOf(op, kind);
  if (templateChange !== null) {
    lines.push(
      templateChange.from === null
        ? `      ${templateChangeText(templateChange)}`
        : `      ${c.cyan(templateChange.label)}: ${templateChange.from} → ${templateChange.to}`,
    );
  }
  for (const phrase of flagPhrases(op, kind)) lines.push(`      ${phrase}`);
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

function paidLines(plan: Plan, ctx: Context): string[] {
  const ops = paidOps(plan);
  if (ops.length === 0) return [];
  const lines = [ctx.c.bold(`Costs money: ${ops.length}`)];
  // With what the panel quoted (tariff, period, price, new expiry): what a reviewer approves.
  for (const op of ops) lines.push(`  ${safeText(op.server)}: ${opHeader(op, ctx)}`, ...op.notes.map((note) => `      ${safeText(note)}`));
  return [...lines, ""];
}

function unmanagedLines(sections: readonly ServerSection[], ctx: Context): string[] {
  const unmanaged = sections.flatMap((s) => (s.server?.unmanaged ?? []).map((u) => ({ server: s.name, u })));
  if (unmanaged.length === 0) return [];
  const rows = unmanaged.map(({ server, u }) => `  ${safeText(server)}: ${resourceLabel(u)}`);
  const nouns = commonNoun(ctx.catalogue, unmanaged.map(({ u }) => u.kind));
  return [ctx.c.bold(`Unmanaged ${nouns} (on the server, not in the inventory): ${rows.length}`), ...rows, ""];
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
  else lines.push(`${c.bold("Plan:")} ${actionPhrase(countActions(plan.ops), { withZeros: true })}${paidPhrase(plan.ops)}.`);
  return lines;
}

export function renderPlanText(input: Plan, catalogue: Catalogue, options: TextOptions): string {
  const plan = redactPlan(input, catalogue);
  const c = pc.createColors(options.color);
  const ctx: Context = { c, catalogue, width: Math.max(CORE_WIDTH, ...plan.ops.map((op) => safeText(op.action).length)) };
  const sections = serverSections(plan);
  // What costs money comes first, before the operations by server, so it is never scrolled past.
  const lines = [...sections.map((s) => serverLine(s, c)), "", ...paidLines(plan, ctx)];
  for (const section of sections) {
    if (section.ops.length === 0) continue;
    lines.push(c.bold(safeText(section.name)), ...section.ops.flatMap((op) => opLines(op, ctx)), "");
  }
  lines.push(...diagnosticLines(plan.diagnostics, c), ...unmanagedLines(sections, ctx), provenance(plan), ...totalLines(plan, sections, c));
  return `${lines.join("\n")}\n`;
}
