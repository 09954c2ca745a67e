/**
 * The command table: one line per command, each defined in its own file.
 */
import type { Command } from "commander";
import type { CliIO } from "./io.js";
import { registerEmulator } from "./emulator.js";
import { registerValidate } from "./validate.js";

/** A command file's single export: adds its command to the program. */
export type RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => void;

/** Where an action leaves its exit code; commander's own return path has no room for it. */
export interface CommandResult {
  exitCode: number;
}

export const commands: RegisterCommand[] = [registerEmulator, registerValidate];
