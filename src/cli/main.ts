/**
 * Entry point: declares the program, hands each command its flags, maps the outcome to an
 * exit code. No command logic lives here.
 */
import { Command, CommanderError } from "commander";
import { commands, type CommandResult } from "./commands.js";
import { ExitError, ExitCode, InterruptedError } from "./exit.js";
import { processIO, type CliIO } from "./io.js";
import { maskKnownKeys } from "../inventory/known-keys.js";
import { colorWanted, parseLogFormat, type LogFormat } from "./output.js";
import { parseThreadPolicy, useHelperThreads } from "../threads/helper-thread.js";

/**
 * The program with the commands `only` names fully defined (default: every command), and the
 * others as one-line entries for `siteform --help`, which loads none of their code.
 */
export async function buildProgram(io: CliIO, result: CommandResult, only?: readonly string[]): Promise<Command> {
  const program = new Command("siteform")
    .description("Keep hosting sites in git and make control-panel servers match them.")
    .version("0.1.0")
    .option("--no-color", "no colour in any output (as NO_COLOR=1 does; FORCE_COLOR=1 colours even without a terminal)")
    .option("--log-format <format>", "what stderr carries: text (progress lines for people) or json (one JSON object per event)", parseLogFormat, "text")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const entry of commands) {
    if (only === undefined || only.includes(entry.name)) (await entry.load())(program, io, result);
    else program.command(entry.name).summary(entry.summary).allowUnknownOption().helpOption(false);
  }
  return program;
}

/**
 * The commands a command line needs defined: the one it runs (after the global options), the
 * one `help` is asked about, or every one for `completion`, which describes them all; none for
 * `siteform --help` or a mistyped name.
 */
function commandsFor(argv: readonly string[]): string[] {
  const words = argv.slice(2);
  let i = 0;
  while (i < words.length && (words[i] ?? "").startsWith("-")) i += words[i] === "--log-format" ? 2 : 1;
  const name = words[i];
  if (name === "completion") return commands.map((c) => c.name);
  if (name === "help") return words[i + 1] === undefined ? [] : [words[i + 1] as string];
  return name === undefined ? [] : [name];
}

/** Runs siteform with `argv` as node gives it (`[node, script, ...args]`); returns the exit code. */
export async function run(argv: string[], given: CliIO = processIO()): Promise<number> {
  const result: CommandResult = { exitCode: ExitCode.ok };
  // The last line of defence: whatever a command prints, no API key (or other secret) siteform holds gets out.
  // The one exception is a credential the user asked for (`login`'s URL): its own secret is
  // registered for masking everywhere else, so it must pass here as it is.
  const io: CliIO = {
    ...given,
    stdout: (text) => given.stdout(maskKnownKeys(text)),
    stderr: (text) => given.stderr(maskKnownKeys(text)),
    credential: given.credential ?? given.stdout,
  };
  let command = "siteform";
  const threads = parseThreadPolicy(io.env.SITEFORM_THREADS);
  if (threads === null) {
    io.stderr("error: SITEFORM_THREADS must be `auto` or a whole number of threads (1: never a helper thread; 2 or more: always one)\n");
    return ExitCode.error;
  }
  // Only the built program has the worker's code beside it; run from the sources, all work stays on this thread.
  useHelperThreads(import.meta.url.endsWith(".js") ? new URL("./worker.js", import.meta.url) : null, threads);
  try {
    const program = (await buildProgram(io, result, commandsFor(argv))).hook("preAction", (root, action) => {
      command = action.name();
      // The global flags, read once for every command: colour and what stderr carries.
      const global = root.opts<{ color: boolean; logFormat: LogFormat }>();
      io.color = colorWanted(!global.color, io.env, io.isTTY);
      io.logFormat = global.logFormat;
    });
    await program.parseAsync(argv);
    return result.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.error;
    }
    if (err instanceof InterruptedError) {
      // Not an error: the user asked for it. One line naming the command and what was left undone.
      io.stderr(`${command} interrupted: ${err.message}\n`);
      return err.code;
    }
    if (err instanceof ExitError) {
      io.stderr(`error: ${err.message}\n`);
      return err.code;
    }
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    io.stderr(`siteform internal error (please report it):\n${detail}\n`);
    return ExitCode.error;
  }
}
