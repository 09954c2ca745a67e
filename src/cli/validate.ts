/**
 * `siteform validate`: checks the inventory without talking to any server and prints every
 * problem found. Exit 0 when it is valid (warnings allowed), 1 otherwise.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { loadInventory, renderJson, renderText } from "../inventory/index.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode, ExitError, InterruptedError } from "./exit.js";
import type { CliIO } from "./io.js";

interface ValidateFlags {
  dir?: string;
  format: string;
  requireKeys?: boolean;
}

export const registerValidate: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  program
    .command("validate")
    .description("Check the inventory (siteform.yaml, plans/, sites/) and report every problem with its file and line.")
    .option("--dir <dir>", "the inventory directory", ".")
    .option("--format <format>", "text or json", "text")
    .option("--require-keys", "treat a missing key_env variable or CA file as an error, as plan and apply do")
    .action(async (flags: ValidateFlags) => {
      result.exitCode = await runValidate(flags, io);
    });
};

async function runValidate(flags: ValidateFlags, io: CliIO): Promise<number> {
  if (flags.format !== "text" && flags.format !== "json") {
    throw new ExitError(`--format must be text or json, got '${flags.format}'`);
  }
  const signal = io.interrupted;
  let checked;
  try {
    checked = await loadInventory(resolve(io.cwd, flags.dir ?? "."), { env: io.env, requireKeys: flags.requireKeys ?? false, signal });
  } catch (err) {
    // The loader stops between files by throwing the signal's reason.
    if (signal.aborted && err === signal.reason) throw new InterruptedError("the inventory was not checked");
    throw err;
  }
  io.stdout(flags.format === "json" ? renderJson(checked) : renderText(checked, { color: io.isTTY }));
  return checked.ok ? ExitCode.ok : ExitCode.error;
}
