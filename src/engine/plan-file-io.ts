/**
 * Reading and writing plan files: the I/O around the plan document (planner/plan-file.ts owns
 * its bytes and checks). Writes are atomic, so a reader only ever sees the old file or the
 * whole new one; reads never throw for a bad or missing file.
 */
import { open, readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type { Catalogue } from "../kinds/catalogue.js";
import type { Plan } from "../model/index.js";
import { parsePlanFile, serializePlan, type PlanFileResult } from "../planner/plan-file.js";
import { writeFileAtomically } from "./atomic-file.js";

/** Thrown when the plan file cannot be written; the file that was there before is unchanged. */
export class PlanFileWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanFileWriteError";
  }
}

function reasonOf(err: unknown): string {
  if (typeof err === "object" && err !== null && "code" in err) {
    const code = String(err.code);
    if (code === "ENOENT") return "the directory does not exist";
    if (code === "EACCES" || code === "EPERM") return "permission denied";
    if (code === "EISDIR") return "it is a directory";
    if (code === "ENOSPC") return "the disk is full";
  }
  return err instanceof Error ? err.message : String(err);
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable; some systems cannot open a directory, which only costs durability.
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    return;
  }
}

/**
 * Writes the plan to `path` so that readers only ever see the old file or the whole new one:
 * a temporary file in the same directory is written, flushed to disk and renamed over it.
 */
export async function writePlanFile(path: string, plan: Plan, catalogue: Catalogue): Promise<void> {
  const text = serializePlan(plan, catalogue);
  const dir = dirname(path);
  try {
    await writeFileAtomically(path, text, { tempPrefix: `.${basename(path)}`, mode: 0o644 });
  } catch (err) {
    throw new PlanFileWriteError(`cannot write the plan to ${path}: ${reasonOf(err)}; nothing was changed there. Choose another -o path and plan again.`);
  }
  await syncDirectory(dir);
}

/** Reads and checks a plan file; never throws for a bad or missing file. `label` names it in messages (the path as the user typed it). */
export async function readPlanFile(path: string, label: string = path): Promise<PlanFileResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const hint = typeof err === "object" && err !== null && "code" in err && err.code === "ENOENT" ? "no such file; check the path, or write a plan with `siteform plan -o FILE`" : reasonOf(err);
    return { ok: false, problem: "unreadable", errors: [`cannot read the plan file ${label}: ${hint}.`] };
  }
  return parsePlanFile(label, text);
}
