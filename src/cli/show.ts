/**
 * `siteform show FILE`: renders a saved plan file (from `siteform plan -o FILE`) without
 * talking to any server. Exit 0 when the file is a valid plan, 1 with the reason otherwise.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { readPlanFile } from "../engine/plan-file-io.js";
import { catalogueOf } from "../providers/registry.js";
import { renderPlan } from "../render/index.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode, ExitError } from "./exit.js";
import type { CliIO } from "./io.js";
import { useColor } from "./output.js";
import { parseFormat, type ReportFormat } from "./options.js";

interface ShowFlags {
  format: ReportFormat;
}

export const registerShow: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  program
    .command("show")
    .description("Show a saved plan file (written by `siteform plan -o FILE`) as text, markdown or JSON.")
    .argument("<file>", "the plan file")
    .option("--format <format>", "text, markdown or json", parseFormat, "text")
    .action(async (file: string, flags: ShowFlags) => {
      result.exitCode = await runShow(file, flags, io);
    });
};

async function runShow(file: string, flags: ShowFlags, io: CliIO): Promise<number> {
  const read = await readPlanFile(resolve(io.cwd, file), file);
  if (!read.ok) throw new ExitError(read.errors.join("\n"));
  io.stdout(renderPlan(read.plan, flags.format, catalogueOf(), { color: useColor(io) && flags.format === "text", fullPlanLocation: file }));
  return ExitCode.ok;
}
