/**
 * The plan run as the commands that need one (plan, apply without a file, drift) start it: from
 * the shared flags, with an unknown --server and an invalid inventory ending the command the
 * same way everywhere (the inventory's own diagnostics on stderr, exit 1).
 */
import { resolve } from "node:path";
import { runPlan, type PlanRun } from "../engine/plan-run.js";
import { renderText as renderInventoryText } from "../inventory/index.js";
import type { Diagnostic } from "../model/diagnostic.js";
import { ExitError, InterruptedError } from "./exit.js";
import type { CliIO } from "./io.js";
import { catalogueOf } from "../providers/registry.js";
import { createReadProgress } from "./read-progress.js";

export type PlannedRun = Extract<PlanRun, { kind: "planned" }>;

export interface PlanFlagsCommon {
  dir: string;
  server?: string[];
  target?: string[];
}

export function printInventoryDiagnostics(diagnostics: readonly Diagnostic[], files: readonly string[], io: CliIO): void {
  io.stderr(renderInventoryText({ ok: false, inventory: null, diagnostics, files }, { color: false }));
}

/**
 * The plan, or null when the inventory is invalid (already reported). On the first interrupt
 * (io.interrupted) it stops reading and throws InterruptedError (an ExitError with
 * ExitCode.interrupted, 130): nothing has been written or sent by then, and main prints the one
 * line that says so. A caller that wants other wording catches InterruptedError.
 */
export async function planFromFlags(
  flags: PlanFlagsCommon,
  io: CliIO,
  options: { allowDeletes: number | null; allowPaid?: number | null; resetPlanDefaults: boolean; quotePaid?: boolean },
): Promise<PlannedRun | null> {
  const progress = createReadProgress(io, catalogueOf());
  const run = await runPlan({
    dir: resolve(io.cwd, flags.dir),
    env: io.env,
    servers: flags.server ?? null,
    allowDeletes: options.allowDeletes,
    allowPaid: options.allowPaid ?? null,
    resetPlanDefaults: options.resetPlanDefaults,
    now: new Date(),
    signal: io.interrupted,
    quotePaid: options.quotePaid ?? false,
    onRead: progress.sink,
    targets: flags.target ?? null,
  }).finally(progress.close);
  if (run.kind === "interrupted") throw new InterruptedError();
  if (run.kind === "bad-scope") throw new ExitError(run.message);
  if (run.kind === "invalid-inventory") {
    printInventoryDiagnostics(run.diagnostics, run.files, io);
    return null;
  }
  return run;
}
