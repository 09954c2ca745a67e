/**
 * `siteform completion bash|zsh|fish`: prints a shell completion script for siteform's
 * commands, their options and arguments. Everything in the script is read from the commander
 * program as built (its commands, their options and arguments), so a new command or flag is
 * completed without touching this file. Values: `--dir` completes directories, options and
 * arguments whose value is a file complete file names, declared choices complete themselves;
 * other values are free text.
 */
import { Argument, type Command, type Option } from "commander";
import type { CommandResult, RegisterCommand } from "./commands.js";
import type { CliIO } from "./io.js";
import { ExitCode } from "./exit.js";
import { collect } from "./options.js";

const SHELLS = ["bash", "zsh", "fish"] as const;
type Shell = (typeof SHELLS)[number];

export const registerCompletion: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  program
    .command("completion")
    .description("Print a shell completion script for siteform's commands and options (bash, zsh or fish; see the README to install it).")
    .addArgument(new Argument("<shell>", "the shell to complete in").choices(SHELLS))
    .action((shell: Shell, _flags: unknown, command: Command) => {
      // The program as the user runs it, with every command registered: the parent of this one.
      io.stdout(completionScript(shell, command.parent ?? program));
      result.exitCode = ExitCode.ok;
    });
};

/** How a value is completed. */
export type ValueCompletion = { kind: "directory" } | { kind: "file" } | { kind: "choices"; choices: readonly string[] } | { kind: "free" };

export interface OptionSpec {
  long: string | null;
  short: string | null;
  description: string;
  /** null for a flag without a value. */
  value: ValueCompletion | null;
  repeatable: boolean;
}

export interface ArgumentSpec {
  name: string;
  required: boolean;
  variadic: boolean;
  value: ValueCompletion;
}

export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  args: ArgumentSpec[];
}

export interface ProgramSpec {
  name: string;
  options: OptionSpec[];
  commands: CommandSpec[];
}

/** Commander adds `-h, --help` to every command itself, outside `options`. */
const HELP: OptionSpec = { long: "--help", short: "-h", description: "display help for command", value: null, repeatable: false };

/** What the completion scripts need of the program; names are checked, since they are written into shell code. */
export function describeProgram(program: Command): ProgramSpec {
  return {
    name: checked(program.name(), NAME),
    options: [...visibleOptions(program), HELP],
    commands: program.commands.map((command) => ({
      name: checked(command.name(), NAME),
      description: firstLine(command.description()),
      options: [...visibleOptions(command), HELP],
      args: command.registeredArguments.map((arg) => ({
        name: checked(arg.name(), NAME),
        required: arg.required,
        variadic: arg.variadic,
        value: valueOf(arg.name(), arg.argChoices),
      })),
    })),
  };
}

export function completionScript(shell: Shell, program: Command): string {
  const spec = describeProgram(program);
  if (shell === "bash") return bashScript(spec);
  if (shell === "zsh") return zshScript(spec);
  return fishScript(spec);
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const FLAG = /^--?[A-Za-z0-9][A-Za-z0-9-]*$/;

function checked(name: string, pattern: RegExp): string {
  if (!pattern.test(name)) throw new Error(`completion: \`${name}\` cannot be written into a shell script as a name`);
  return name;
}

function visibleOptions(command: Command): OptionSpec[] {
  return command.options.filter((o) => !o.hidden).map(optionSpec);
}

function optionSpec(option: Option): OptionSpec {
  const takesValue = option.required || option.optional;
  // The value's name as the flag writes it: `--dir <dir>` → dir.
  const valueName = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? "value";
  return {
    long: option.long === undefined ? null : checked(option.long, FLAG),
    short: option.short === undefined ? null : checked(option.short, FLAG),
    description: firstLine(option.description),
    value: takesValue ? valueOf(valueName, option.argChoices) : null,
    // `collect` is the parser of every repeatable flag (options.ts); a default list means the same.
    repeatable: option.variadic || option.parseArg === collect || Array.isArray(option.defaultValue),
  };
}

function valueOf(name: string, choices: readonly string[] | undefined): ValueCompletion {
  if (choices !== undefined && choices.length > 0) return { kind: "choices", choices: choices.map((c) => checked(c, NAME)) };
  if (name === "dir" || name === "directory") return { kind: "directory" };
  if (name === "file" || name.endsWith("-file")) return { kind: "file" };
  return { kind: "free" };
}

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").trim();
}

function flagsOf(options: readonly OptionSpec[]): string[] {
  return options.flatMap((o) => [o.short, o.long].filter((f): f is string => f !== null));
}

// ---- bash ----

function bashScript(spec: ProgramSpec): string {
  const fn = `_${spec.name.replace(/[^A-Za-z0-9_]/g, "_")}_complete`;
  const globalValued = flagsOf(spec.options.filter((o) => o.value !== null));
  const lines = [
    `# ${spec.name} completion for bash. Load it in this shell:  source <(${spec.name} completion bash)`,
    `# or install it:  ${spec.name} completion bash > ~/.local/share/bash-completion/completions/${spec.name}`,
    `${fn}() {`,
    `  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" i`,
    "  COMPREPLY=()",
    "  # The command is the first word that is neither an option nor the value of a global option.",
    "  for ((i = 1; i < COMP_CWORD; i++)); do",
    '    case "${COMP_WORDS[i]}" in',
    ...(globalValued.length > 0 ? [`      ${globalValued.join("|")}) ((i++)) ;;`] : []),
    "      -*) ;;",
    '      *) cmd="${COMP_WORDS[i]}"; break ;;',
    "    esac",
    "  done",
    '  case "$cmd" in',
    '    "")',
    ...bashValueCase(spec.options, "      "),
    `      COMPREPLY=($(compgen -W "${[...spec.commands.map((c) => c.name), ...flagsOf(spec.options)].join(" ")}" -- "$cur")) ;;`,
  ];
  for (const command of spec.commands) {
    lines.push(`    ${command.name})`, ...bashValueCase(command.options, "      "));
    const words = flagsOf(command.options).join(" ");
    const positional = command.args[0]?.value ?? null;
    if (positional === null) {
      lines.push(`      COMPREPLY=($(compgen -W "${words}" -- "$cur")) ;;`);
    } else {
      lines.push(`      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "${words}" -- "$cur")); else ${bashValue(positional)}; fi ;;`);
    }
  }
  lines.push("  esac", "}", `complete -F ${fn} ${spec.name}`, "");
  return lines.join("\n");
}

/** A `case "$prev"` that completes the value of the option just typed, and stops there. */
function bashValueCase(options: readonly OptionSpec[], indent: string): string[] {
  const valued = options.filter((o) => o.value !== null);
  if (valued.length === 0) return [];
  // One branch per way of completing, listing every flag completed that way.
  const byAction = new Map<string, string[]>();
  for (const o of valued) {
    const action = bashValue(o.value as ValueCompletion);
    byAction.set(action, [...(byAction.get(action) ?? []), ...flagsOf([o])]);
  }
  return [`${indent}case "$prev" in`, ...[...byAction].map(([action, flags]) => `${indent}  ${flags.join("|")}) ${action}; return 0 ;;`), `${indent}esac`];
}

function bashValue(value: ValueCompletion): string {
  switch (value.kind) {
    case "directory":
      // compopt: shown and quoted as file names (a trailing /, spaces escaped).
      return `compopt -o filenames 2>/dev/null; local IFS=$'\\n'; COMPREPLY=($(compgen -d -- "$cur"))`;
    case "file":
      return `compopt -o filenames 2>/dev/null; local IFS=$'\\n'; COMPREPLY=($(compgen -f -- "$cur"))`;
    case "choices":
      return `COMPREPLY=($(compgen -W "${value.choices.join(" ")}" -- "$cur"))`;
    case "free":
      return ":";
  }
}

// ---- zsh ----

function zshScript(spec: ProgramSpec): string {
  const fn = `_${spec.name.replace(/[^A-Za-z0-9_]/g, "_")}`;
  const lines = [
    `#compdef ${spec.name}`,
    `# ${spec.name} completion for zsh. Load it in this shell:  source <(${spec.name} completion zsh)`,
    `# or install it as a file named _${spec.name} in a directory of your $fpath (before compinit runs).`,
    `${fn}() {`,
    '  local curcontext="$curcontext" state line ret=1',
    "  typeset -A opt_args",
    "  local -a commands",
    "  commands=(",
    ...spec.commands.map((c) => `    ${zshQuote(`${c.name}:${c.description}`)}`),
    "  )",
    "  _arguments -C \\",
    ...spec.options.flatMap(zshOptionSpecs).map((s) => `    ${s} \\`),
    "    '1: :->command' \\",
    "    '*:: :->argument' && ret=0",
    "  case $state in",
    `    command) _describe -t commands '${spec.name} command' commands && ret=0 ;;`,
    "    argument)",
    "      case $words[1] in",
  ];
  for (const command of spec.commands) {
    const specs = [...command.options.flatMap(zshOptionSpecs), ...command.args.map(zshArgumentSpec)];
    lines.push(`        ${command.name})`, "          _arguments \\", ...specs.map((s) => `            ${s} \\`), "            && ret=0 ;;");
  }
  lines.push("      esac ;;", "  esac", "  return ret", "}", "", `if [[ $zsh_eval_context[-1] == loadautofunc ]]; then`, `  ${fn} "$@"`, "else", `  compdef ${fn} ${spec.name}`, "fi", "");
  return lines.join("\n");
}

function zshOptionSpecs(option: OptionSpec): string[] {
  const repeat = option.repeatable ? "*" : "";
  const described = `[${option.description.replace(/[\\[\]]/g, (ch) => `\\${ch}`)}]`;
  const value = option.value === null ? "" : `:${option.long?.replace(/^--/, "") ?? "value"}:${zshAction(option.value)}`;
  // `--dir=`: the value may follow as the next word or after `=`; `-o+`: as the next word or joined.
  return [option.short, option.long]
    .filter((f): f is string => f !== null)
    .map((flag) => zshQuote(`${repeat}${flag}${option.value === null ? "" : flag.startsWith("--") ? "=" : "+"}${described}${value}`));
}

function zshArgumentSpec(arg: ArgumentSpec, index: number): string {
  if (arg.variadic) return zshQuote(`*:${arg.name}:${zshAction(arg.value)}`);
  return zshQuote(`${index + 1}:${arg.required ? "" : ":"}${arg.name}:${zshAction(arg.value)}`);
}

function zshAction(value: ValueCompletion): string {
  switch (value.kind) {
    case "directory":
      return "_files -/";
    case "file":
      return "_files";
    case "choices":
      return `(${value.choices.join(" ")})`;
    case "free":
      return " ";
  }
}

/** Single-quoted for zsh: a quote inside ends the string, adds an escaped quote, starts again. */
function zshQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

// ---- fish ----

function fishScript(spec: ProgramSpec): string {
  const c = `complete -c ${spec.name}`;
  const lines = [
    `# ${spec.name} completion for fish. Load it in this shell:  ${spec.name} completion fish | source`,
    `# or install it:  ${spec.name} completion fish > ~/.config/fish/completions/${spec.name}.fish`,
    // No file names unless a value or argument asks for them.
    `${c} -f`,
    ...spec.options.map((o) => `${c} -n __fish_use_subcommand ${fishOption(o)}`),
    ...spec.commands.map((command) => `${c} -n __fish_use_subcommand -a ${command.name} -d ${fishQuote(command.description)}`),
  ];
  for (const command of spec.commands) {
    const when = `-n ${fishQuote(`__fish_seen_subcommand_from ${command.name}`)}`;
    lines.push(...command.options.map((o) => `${c} ${when} ${fishOption(o)}`));
    const positional = command.args[0];
    if (positional !== undefined && positional.value.kind !== "free") lines.push(`${c} ${when} ${fishValue(positional.value, false)} -d ${fishQuote(positional.name)}`);
  }
  lines.push("");
  return lines.join("\n");
}

function fishOption(option: OptionSpec): string {
  const flags = [option.short === null ? "" : `-s ${option.short.slice(1)}`, option.long === null ? "" : `-l ${option.long.slice(2)}`].filter((f) => f !== "").join(" ");
  const value = option.value === null ? "" : ` ${fishValue(option.value, true)}`;
  return `${flags}${value} -d ${fishQuote(option.description)}`;
}

/** `-r`: the option needs a value; `-F`: file names; `-x`: a value, no file names. */
function fishValue(value: ValueCompletion, ofOption: boolean): string {
  const needs = ofOption ? "-r " : "";
  switch (value.kind) {
    case "directory":
      return `${ofOption ? "-x " : ""}-a '(__fish_complete_directories)'`;
    case "file":
      return `${needs}-F`;
    case "choices":
      return `${ofOption ? "-x " : ""}-a ${fishQuote(value.choices.join(" "))}`;
    case "free":
      return ofOption ? "-x" : "";
  }
}

/** Single-quoted for fish: only `\` and `'` are special inside. */
function fishQuote(text: string): string {
  return `'${text.replace(/[\\']/g, (ch) => `\\${ch}`)}'`;
}
