/**
 * A saved plan is a proposal: apply runs it only if re-deriving it from the current inventory
 * and a fresh read of the servers gives exactly the same ops (targets, changes, flags,
 * dependencies, preconditions). This module compares the two and, for each op that differs,
 * says why in the operator's words: the file was edited, it comes from another inventory, the
 * inventory changed, the server changed, or time passed. Pure: the caller plans (twice: now,
 * and as of the plan's own time, which tells a grace period that ended from a real change).
 *
 * Reason, notes and the source line of an op are for people and are not compared: moving a
 * comment in a YAML file must not refuse a plan whose operations are the same.
 */
import { RESOURCE_FOLDERS } from "../inventory/file-kinds.js";
import type { Catalogue } from "../kinds/catalogue.js";
import type { FieldChange, Op } from "../model/op.js";
import type { ObservedResource, ObservedServer } from "../model/resource.js";
import type { Plan } from "../model/plan.js";
import { safeText } from "../render/format-value.js";
import { existingProblem, freeNameProblem, show } from "./preconditions.js";

export interface ProposalInput {
  /** The plan as read from the file (secrets already redacted there). */
  file: Plan;
  /** The file's digest matched its content. */
  intact: boolean;
  /** The plan siteform makes now for the servers the file changes, redacted as the file is. */
  now: Plan;
  /** The same plan made as of the file's `createdAt`; null when not made. */
  atPlanTime: Plan | null;
  /** The inventory read now. */
  inventory: { dir: string; digests: Readonly<Record<string, string>> };
  /** The servers as read now. */
  observed: readonly ObservedServer[];
  /** The file's name as the operator typed it, for messages. */
  label: string;
  catalogue: Catalogue;
}

export interface OpDifference {
  opId: string;
  server: string;
  /** `update kessler-law.example`. */
  op: string;
  /** What differs: "not in the file", "no longer needed", or the parts that differ. */
  what: string;
  /** Why, most likely first; never empty. */
  reasons: readonly string[];
}

export interface ProposalCheck {
  ok: boolean;
  /** Why the file as a whole cannot be trusted, when it cannot (edited, another inventory). */
  fileProblems: readonly string[];
  differences: readonly OpDifference[];
  /** The refusal for people, null when ok. */
  message: string | null;
}

export function checkProposal(input: ProposalInput): ProposalCheck {
  const fileProblems: string[] = [];
  if (!input.intact) fileProblems.push(`${input.label} was edited after siteform wrote it (its digest does not match its content)`);
  const another = anotherInventory(input);
  if (another !== null) fileProblems.push(another);
  const changedFiles = another === null ? changedInventoryFiles(input) : [];
  const fileOps = new Map(input.file.ops.map((op) => [op.id, op]));
  const nowOps = new Map(input.now.ops.map((op) => [op.id, op]));
  const thenOps = input.atPlanTime === null ? null : new Map(input.atPlanTime.ops.map((op) => [op.id, op]));
  const differences: OpDifference[] = [];
  const explain = (fileOp: Op | undefined, nowOp: Op | undefined): string[] =>
    reasonsFor(fileOp, nowOp, { input, fileProblems, changedFiles, thenOps });
  for (const fileOp of input.file.ops) {
    const nowOp = nowOps.get(fileOp.id);
    if (nowOp === undefined) {
      differences.push({ opId: fileOp.id, server: fileOp.server, op: label(fileOp), what: "siteform would not do this now", reasons: explain(fileOp, undefined) });
      continue;
    }
    const parts = differingParts(fileOp, nowOp);
    if (parts.length > 0) differences.push({ opId: fileOp.id, server: fileOp.server, op: label(fileOp), what: parts.join("; "), reasons: explain(fileOp, nowOp) });
  }
  for (const nowOp of input.now.ops) {
    if (fileOps.has(nowOp.id)) continue;
    differences.push({ opId: nowOp.id, server: nowOp.server, op: label(nowOp), what: `siteform would do this now, and ${input.label} does not`, reasons: explain(undefined, nowOp) });
  }
  const ok = fileProblems.length === 0 && differences.length === 0;
  return { ok, fileProblems, differences, message: ok ? null : refusal(input.label, fileProblems, differences) };
}

// ---- comparing ops ---------------------------------------------------------------------------

function label(op: Op): string {
  return `${op.action} ${op.target.name}`;
}

/** Stable JSON: object keys sorted, so two equal values give the same text whatever their key order. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stable(record[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

function changeText(change: FieldChange): string {
  return `${change.field} ${show(change.before)} → ${show(change.after)}`;
}

/** The parts of two ops with the same id that differ, each as a phrase; empty when they are the same op. */
export function differingParts(file: Op, now: Op): string[] {
  const parts: string[] = [];
  if (file.server !== now.server || file.action !== now.action) parts.push(`the file says ${file.action} on ${file.server}, siteform would ${now.action} on ${now.server}`);
  if (file.kind !== now.kind) parts.push(`the kind differs (file: ${file.kind}, now: ${now.kind})`);
  const t = (op: Op): string => stable({ id: op.target.id, name: op.target.name, key: op.target.key });
  if (t(file) !== t(now)) parts.push(`the target differs (file: ${file.target.id ?? "new"} ${file.target.name}, now: ${now.target.id ?? "new"} ${now.target.name})`);
  const fileChanges = new Map(file.changes.map((c) => [c.field, c]));
  const nowChanges = new Map(now.changes.map((c) => [c.field, c]));
  for (const [field, c] of fileChanges) {
    const n = nowChanges.get(field);
    if (n === undefined) parts.push(`the file changes ${changeText(c)}, siteform would leave ${field} alone`);
    else if (stable(c) !== stable(n)) parts.push(`the file changes ${changeText(c)}, siteform would change ${changeText(n)}`);
  }
  for (const [field, n] of nowChanges) if (!fileChanges.has(field)) parts.push(`siteform would also change ${changeText(n)}`);
  if (file.paid !== now.paid) parts.push(file.paid === true ? "the file says it costs money, siteform would not" : "siteform's op costs money, the file's does not");
  if (stable(file.flags) !== stable(now.flags)) parts.push(`the flags differ (file: ${stable(file.flags)}, now: ${stable(now.flags)})`);
  if (stable([...file.dependsOn].sort()) !== stable([...now.dependsOn].sort())) {
    parts.push(`the dependencies differ (file: ${file.dependsOn.join(", ") || "none"}; now: ${now.dependsOn.join(", ") || "none"})`);
  }
  // Usually already visible as a change's `before`; said on its own only when nothing else shows it.
  if (parts.length === 0 && stable(file.preconditions) !== stable(now.preconditions)) parts.push("what it expects to find on the server differs");
  return parts;
}

// ---- why -------------------------------------------------------------------------------------

interface ReasonContext {
  input: ProposalInput;
  fileProblems: readonly string[];
  changedFiles: readonly string[];
  thenOps: ReadonlyMap<string, Op> | null;
}

function reasonsFor(fileOp: Op | undefined, nowOp: Op | undefined, ctx: ReasonContext): string[] {
  // A file that cannot be trusted as a whole explains every difference; more would be guesswork.
  if (ctx.fileProblems.length > 0) return [...ctx.fileProblems];
  const reasons: string[] = [];
  const inventoryChange = inventoryReason(fileOp ?? nowOp, ctx.changedFiles);
  if (inventoryChange !== null) reasons.push(inventoryChange);
  const serverChange = serverReason(fileOp, nowOp, ctx.input);
  if (serverChange !== null) reasons.push(serverChange);
  if (ctx.thenOps !== null) {
    const then = ctx.thenOps.get((fileOp ?? nowOp)?.id ?? "");
    // Planned as of the file's own time, siteform would have written exactly the file's op: only the clock moved.
    const sameThen = fileOp === undefined ? then === undefined : then !== undefined && differingParts(fileOp, then).length === 0;
    if (sameThen) reasons.push(`time passed since the plan was made (${ctx.input.file.createdAt}): a grace period ended or a date moved on`);
  }
  if (reasons.length === 0 && ctx.changedFiles.length > 0) reasons.push(`the inventory changed since the plan (${filesText(ctx.changedFiles)})`);
  if (reasons.length === 0) reasons.push("the file does not match what siteform plans from this inventory and these servers");
  return reasons;
}

function anotherInventory(input: ProposalInput): string | null {
  const then = input.file.inventory;
  if (then.dir === input.inventory.dir) return null;
  const thenFiles = Object.keys(then.files);
  const nowFiles = Object.keys(input.inventory.digests);
  const same = thenFiles.length === nowFiles.length && thenFiles.every((f) => input.inventory.digests[f] === then.files[f]);
  // A copy of the same inventory elsewhere (a CI checkout) is the same inventory.
  if (same) return null;
  return (
    `${input.label} comes from another inventory: it was planned from ${then.dir}, and this apply reads ${input.inventory.dir}; ` +
    `run apply with --dir ${then.dir} if that is the one you meant`
  );
}

function changedInventoryFiles(input: ProposalInput): string[] {
  const then = input.file.inventory.files;
  const now = input.inventory.digests;
  const names = new Set([...Object.keys(then), ...Object.keys(now)]);
  return [...names].filter((f) => then[f] !== now[f]).sort();
}

function filesText(files: readonly string[]): string {
  const shown = files.slice(0, 5);
  return files.length > 5 ? `${shown.join(", ")} and ${files.length - 5} more` : shown.join(", ");
}

/** The op's own file, or a file every op depends on (siteform.yaml, a repository plan), changed. */
function inventoryReason(op: Op | undefined, changed: readonly string[]): string | null {
  if (op === undefined || changed.length === 0) return null;
  const own = op.target.source?.file;
  // Another resource's file is that resource's business; anything else (siteform.yaml, a plan) is every op's.
  const relevant = changed.filter((f) => f === own || !RESOURCE_FOLDERS.some((folder) => f.startsWith(`${folder}/`)));
  if (relevant.length === 0) return null;
  const verb = relevant.length === 1 ? "was changed" : "were changed";
  return `the inventory changed since the plan: ${filesText(relevant)} ${verb}`;
}

function serverReason(fileOp: Op | undefined, nowOp: Op | undefined, input: ProposalInput): string | null {
  const op = fileOp ?? nowOp;
  if (op === undefined) return null;
  const observed = input.observed.find((o) => o.server === op.server);
  if (observed === undefined || !observed.ok) return null;
  if (fileOp !== undefined) {
    const problem = fileOp.preconditions.exists ? existingProblem(fileOp, targetOf(fileOp, observed.resources), input.catalogue) : freeNameProblem(fileOp, observed.resources, input.catalogue);
    if (problem !== null) return `the server changed since the plan: ${problem}`;
  }
  const planned = input.file.servers.find((s) => s.name === op.server);
  const nowServer = input.now.servers.find((s) => s.name === op.server);
  if (planned !== undefined && nowServer !== undefined && planned.fingerprint !== nowServer.fingerprint && fileOp === undefined) {
    return `the server changed since the plan (${op.server} no longer reads as it did)`;
  }
  return null;
}

function targetOf(op: Op, resources: readonly ObservedResource[]): ObservedResource | null {
  const id = op.preconditions.id ?? op.target.id;
  return resources.find((r) => r.kind === op.kind && r.id === id) ?? null;
}

// ---- the message -----------------------------------------------------------------------------

const MAX_LISTED = 50;

function refusal(file: string, fileProblems: readonly string[], differences: readonly OpDifference[]): string {
  // Domains and values come from servers and files: each line is made safe for a terminal.
  const lines = [`${safeText(file)} is not what siteform would do now, so nothing was applied.`];
  for (const problem of fileProblems) lines.push(`  ${safeText(problem)}`);
  if (differences.length === 0 && fileProblems.length > 0) lines.push("  (its operations are the same as siteform's own; it is refused because only files siteform wrote are applied)");
  for (const d of differences.slice(0, MAX_LISTED)) {
    lines.push(safeText(`  ${d.server} ${d.op} [${d.opId}]: ${d.what}`));
    if (fileProblems.length === 0) for (const reason of d.reasons) lines.push(`      because ${safeText(reason)}`);
  }
  if (differences.length > MAX_LISTED) lines.push(`  … and ${differences.length - MAX_LISTED} more operations differ`);
  lines.push("Run `siteform plan -o FILE` again, review the new plan and apply that one.");
  return lines.join("\n");
}
