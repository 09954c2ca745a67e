/**
 * `siteform show X`: a saved plan file (from `siteform plan -o FILE`) rendered without talking to
 * any server, or, when X is not a plan file, the service-info view of the resource X names
 * (show-resource.ts). X is a plan file when it ends in `.json` (so a mistyped plan path says so
 * rather than looking for a resource of that name) or is an existing file that reads as JSON;
 * anything else, such as `acme.example`, `fra1/site3` or `sites/acme.yaml`, names a resource.
 * Exit 0 when shown, 1 with the reason otherwise.
 */
import { open, stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { readPlanFile } from "../engine/plan-file-io.js";
import { catalogueOf } from "../providers/registry.js";
import { renderPlan } from "../render/index.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode, ExitError } from "./exit.js";
import type { CliIO } from "./io.js";
import { collect, parseFormat, type ReportFormat } from "./options.js";
import { useColor } from "./output.js";

interface ShowFlags {
  format: ReportFormat;
  dir: string;
  server?: string[];
}

export const registerShow: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  program
    .command("show")
    .description(
      "Show a saved plan file (written by `siteform plan -o FILE`), or one resource: its server, panel address and deep links, state, plan, IP, usage and the inventory entry that declares it.",
    )
    .argument("<resource-or-plan-file>", "a plan file (*.json), or a resource: its name, a user, its id or its inventory entry, optionally after its server (fra1/example.com)")
    .option("--format <format>", "text, markdown or json", parseFormat, "text")
    .option("--dir <dir>", "the inventory directory (for a resource)", ".")
    .option("--server <name>", "look for the resource only on this server (repeatable)", collect)
    .action(async (what: string, flags: ShowFlags) => {
      if (await isPlanFile(resolve(io.cwd, what), what)) {
        result.exitCode = await runShow(what, flags, io);
        return;
      }
      const { showResource } = await import("./show-resource.js");
      result.exitCode = await showResource(what, flags, io);
    });
};

/** A `.json` path, or an existing file whose first character opens a JSON document. */
async function isPlanFile(path: string, written: string): Promise<boolean> {
  // A plan's path as typed: a missing one is said to be missing, never looked up as a resource.
  if (/\.json$/i.test(written)) return true;
  try {
    if (!(await stat(path)).isFile()) return false;
  } catch {
    return false;
  }
  try {
    const handle = await open(path, "r");
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(256), 0, 256, 0);
      return buffer.subarray(0, bytesRead).toString("utf8").trimStart().startsWith("{");
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

async function runShow(file: string, flags: ShowFlags, io: CliIO): Promise<number> {
  const read = await readPlanFile(resolve(io.cwd, file), file);
  if (!read.ok) throw new ExitError(read.errors.join("\n"));
  io.stdout(renderPlan(read.plan, flags.format, catalogueOf(), { color: useColor(io) && flags.format === "text", fullPlanLocation: file }));
  return ExitCode.ok;
}
