/**
 * The command table: one line per command, each defined in its own file and loaded only when it
 * runs. `siteform --help` needs no command's code (its summary is here), and a command loads
 * only its own modules: start-up stays a fraction of what loading every panel's client would be.
 */
import type { Command } from "commander";
import type { CliIO } from "./io.js";

/** A command file's single export: adds its command to the program. */
export type RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => void;

/** Where an action leaves its exit code; commander's own return path has no room for it. */
export interface CommandResult {
  exitCode: number;
}

export interface CommandEntry {
  name: string;
  /** One line for `siteform --help`; the command's own --help says more. */
  summary: string;
  load: () => Promise<RegisterCommand>;
}

/** In the order `siteform --help` lists them: the daily workflow first. */
export const commands: readonly CommandEntry[] = [
  { name: "validate", summary: "Check the inventory and report every problem with its file and line.", load: async () => (await import("./validate.js")).registerValidate },
  { name: "plan", summary: "Show the operations that would make the servers match the inventory.", load: async () => (await import("./plan.js")).registerPlan },
  { name: "show", summary: "Show a saved plan file, or one resource: panel, links, state, plan, IP, usage, inventory entry.", load: async () => (await import("./show.js")).registerShow },
  { name: "apply", summary: "Apply a plan: exactly the reviewed operations, in dependency order.", load: async () => (await import("./apply.js")).registerApply },
  { name: "drift", summary: "Report how the servers differ from git. Changes nothing.", load: async () => (await import("./drift.js")).registerDrift },
  { name: "list", summary: "List what siteform sees on each server. Changes nothing.", load: async () => (await import("./list.js")).registerList },
  { name: "usage", summary: "Show disk and bandwidth against their limits, closest first; --over exits 2. Changes nothing.", load: async () => (await import("./usage.js")).registerUsage },
  { name: "login", summary: "Print a one-time URL that signs into a resource's panel (to a terminal, or with --print).", load: async () => (await import("./login.js")).registerLogin },
  { name: "password", summary: "Set a resource's login password, typed at a prompt or piped on stdin.", load: async () => (await import("./password.js")).registerPassword },
  { name: "import", summary: "Write YAML for a server's resources the inventory does not name yet.", load: async () => (await import("./import.js")).registerImport },
  { name: "fmt", summary: "Rewrite the inventory's YAML files in the canonical layout; --check only reports.", load: async () => (await import("./fmt.js")).registerFmt },
  { name: "emulator", summary: "Run a panel emulator (ApisCP, WHM or BILLmanager) on loopback.", load: async () => (await import("../emulator/command.js")).registerEmulator },
  { name: "demo", summary: "Run siteform end to end on emulated servers (no configuration, no network).", load: async () => (await import("./demo.js")).registerDemo },
  { name: "completion", summary: "Print a shell completion script (bash, zsh or fish).", load: async () => (await import("./completion.js")).registerCompletion },
];
