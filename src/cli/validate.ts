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
import { collect } from "./options.js";
import { useColor } from "./output.js";
import { resolveScope } from "../engine/scope.js";

interface ValidateFlags {
  dir?: string;
  format: string;
  requireKeys?: boolean;
  server?: string[];
}

export const registerValidate: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  program
    .command("validate")
    .description("Check the inventory (siteform.yaml, plans/, sites/) and report every problem with its file and line.")
    .option("--dir <dir>", "the inventory directory", ".")
    .option("--format <format>", "text or json", "text")
    .option("--require-keys", "treat a missing key_env variable or CA file as an error, as plan and apply do")
    .option("--server <name>", "check the keys and CA files of this server only, as plan --server would need them (repeatable); the inventory is still checked whole", collect)
    .action(async (flags: ValidateFlags) => {
      result.exitCode = await runValidate(flags, io);
    });
};

async function runValidate(flags: ValidateFlags, io: CliIO): Promise<number> {
  if (flags.format !== "text" && flags.format !== "json") {
    throw new ExitError(`--format must be text or json, got '${flags.format}'`);
  }
  const signal = io.interrupted;
  const dir = resolve(io.cwd, flags.dir ?? ".");
  let checked;
  try {
    const narrowed = flags.server !== undefined && flags.server.length > 0;
    checked = await loadInventory(dir, { env: io.env, requireKeys: narrowed ? false : (flags.requireKeys ?? false), signal });
    // Names cross servers (a domain belongs to one server in the whole inventory), so the
    // inventory is checked whole; --server narrows which servers' keys and CA files must be there.
    if (checked.ok && narrowed) {
      const scope = resolveScope(checked.inventory, flags.server);
      if (!scope.ok) throw new ExitError(scope.message);
      checked = await loadInventory(dir, { env: io.env, requireKeys: scope.servers, signal });
    }
  } catch (err) {
    // The loader stops between files by throwing the signal's reason.
    if (signal.aborted && err === signal.reason) throw new InterruptedError("the inventory was not checked");
    throw err;
  }
  io.stdout(flags.format === "json" ? renderJson(checked) : renderText(checked, { color: useColor(io) }));
  return checked.ok ? ExitCode.ok : ExitCode.error;
}
