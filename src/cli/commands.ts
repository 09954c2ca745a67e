/**
 * The command table: one line per command, each defined in its own file.
 */
import type { Command } from "commander";
import type { CliIO } from "./io.js";
import { registerApply } from "./apply.js";
import { registerCompletion } from "./completion.js";
import { registerDemo } from "./demo.js";
import { registerDrift } from "./drift.js";
import { registerEmulator } from "../emulator/command.js";
import { registerFmt } from "./fmt.js";
import { registerImport } from "./import.js";
import { registerList } from "./list.js";
import { registerPlan } from "./plan.js";
import { registerShow } from "./show.js";
import { registerValidate } from "./validate.js";

/** A command file's single export: adds its command to the program. */
export type RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => void;

/** Where an action leaves its exit code; commander's own return path has no room for it. */
export interface CommandResult {
  exitCode: number;
}

/** In the order `siteform --help` lists them: the daily workflow first. */
export const commands: RegisterCommand[] = [
  registerValidate,
  registerPlan,
  registerShow,
  registerApply,
  registerDrift,
  registerList,
  registerImport,
  registerFmt,
  registerEmulator,
  registerDemo,
  registerCompletion,
];
