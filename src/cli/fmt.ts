/**
 * `siteform fmt [--dir DIR] [--check]`: rewrites every inventory file in the canonical layout
 * (src/inventory/canonical-yaml.ts says which). All or nothing on errors: when any file cannot
 * be read or parsed, the problems are printed as `siteform validate` prints them and no file is
 * written. Each file is replaced atomically (a temporary file beside it, renamed over it).
 * `--check` writes nothing, prints a unified diff per file that would change and exits 1 if any
 * would: for CI.
 */
import { lstat, readFile, realpath, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from "diff";
import pc from "picocolors";
import { writeFileAtomically } from "../engine/atomic-file.js";
import { formatInventory, type FormattedFile } from "../inventory/format-files.js";
import { renderText } from "../inventory/index.js";
import type { Diagnostic } from "../model/index.js";
import { plural } from "../render/counts.js";
import { safeText } from "../render/format-value.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode, ExitError, InterruptedError } from "./exit.js";
import type { CliIO } from "./io.js";
import { useColor } from "./output.js";

interface FmtFlags {
  dir: string;
  check?: boolean;
}

export const registerFmt: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  program
    .command("fmt")
    .description("Rewrite the inventory's YAML files (siteform.yaml, plans/, sites/, services/, licenses/) in one canonical layout; --check only reports.")
    .option("--dir <dir>", "the inventory directory", ".")
    .option("--check", "write nothing; print a unified diff of each file that is not in canonical form and exit 1 if there is one (for CI)")
    .action(async (flags: FmtFlags) => {
      result.exitCode = await runFmt(flags, io);
    });
};

async function runFmt(flags: FmtFlags, io: CliIO): Promise<number> {
  const root = resolve(io.cwd, flags.dir);
  const color = useColor(io);
  const signal = io.interrupted;
  let outcome;
  try {
    outcome = await formatInventory(root, { signal });
  } catch (err) {
    // formatInventory stops between files by throwing the signal's reason.
    if (signal.aborted && err === signal.reason) throw new InterruptedError("no file was formatted");
    throw err;
  }
  if (!outcome.ok) {
    io.stderr(renderText({ ok: false, inventory: null, diagnostics: outcome.diagnostics, files: outcome.files }, { color }));
    const outcomeText = flags.check === true ? "nothing was checked: fmt only compares valid YAML" : "no file was written: fmt only rewrites valid YAML";
    throw new ExitError(`${outcomeText}. Fix the problems above (siteform validate lists the same) and run ${fmtCommand(flags)} again.`);
  }
  // Warnings (a `.yml` file fmt does not touch) go to stderr, so that stdout stays the diff or the list of files.
  if (outcome.diagnostics.length > 0) io.stderr(renderWarnings(outcome.diagnostics, color));
  const changed = outcome.files.filter((f) => f.after !== f.before);
  const total = plural(outcome.files.length, "file");
  if (flags.check === true) {
    for (const f of changed) io.stdout(colorDiff(createTwoFilesPatch(`a/${f.file}`, `b/${f.file}`, f.before, f.after, undefined, undefined, { headerOptions: FILE_HEADERS_ONLY }), color));
    if (changed.length === 0) {
      io.stdout(`${total} checked: all in canonical form\n`);
      return ExitCode.ok;
    }
    io.stderr(`${changed.length} of ${total} ${changed.length === 1 ? "is" : "are"} not in canonical form (diff above): run \`${fmtCommand({ dir: flags.dir })}\` to rewrite ${changed.length === 1 ? "it" : "them"}\n`);
    return ExitCode.error;
  }
  const written = await writeAll(root, changed, io);
  io.stdout(`${plural(written.length, "file")} formatted, ${outcome.files.length - changed.length} already in canonical form\n`);
  return ExitCode.ok;
}

/** The command line to run again, with the same --dir (quoted for a shell when it needs to be). */
function fmtCommand(flags: FmtFlags): string {
  const dir = flags.dir === "." ? "" : ` --dir ${/^[\w./@:+-]+$/.test(flags.dir) ? flags.dir : `'${flags.dir.replace(/'/g, "'\\''")}'`}`;
  return `siteform fmt${dir}${flags.check === true ? " --check" : ""}`;
}

/** Writes each changed file in turn, naming it once written; a failure names what was written before it. */
async function writeAll(root: string, changed: readonly FormattedFile[], io: CliIO): Promise<string[]> {
  const written: string[] = [];
  for (const f of changed) {
    const done = written.length === 0 ? "no file was written" : `${plural(written.length, "file")} before it ${written.length === 1 ? "was" : "were"} formatted (listed above)`;
    if (io.interrupted.aborted) throw new InterruptedError(`${done}; the others were left as they were`);
    try {
      await replaceFile(join(root, f.file), f);
    } catch (err) {
      const reason = err instanceof ChangedMeanwhile ? err.message : `cannot write it: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
      throw new ExitError(`${f.file}: ${reason}; it was left as it was, ${done}, the rest were not touched. Run siteform fmt again once the cause is fixed.`);
    }
    written.push(f.file);
    io.stdout(`${f.file}\n`);
  }
  return written;
}

class ChangedMeanwhile extends Error {}

/**
 * Replaces the file with its canonical text so that readers only ever see the old or the new
 * whole file: a temporary file in the same directory (same file system, so the rename is
 * atomic), flushed, given the old file's permissions, renamed over it. A symbolic link is kept
 * and its target rewritten. A file that changed since it was read is left alone: an editor's
 * unsaved-then-saved work must not be overwritten with a canonical form of the older text.
 */
async function replaceFile(path: string, f: FormattedFile): Promise<void> {
  const target = (await lstat(path)).isSymbolicLink() ? await realpath(path) : path;
  const current = await readFile(target);
  if (!current.equals(f.bytes)) throw new ChangedMeanwhile("it changed while fmt ran, so it was not rewritten");
  const mode = (await stat(target)).mode & 0o7777;
  // Named apart from the file: a name near the file system's limit would leave no room for a suffix.
  await writeFileAtomically(target, f.after, { tempPrefix: ".siteform-fmt", mode, exactMode: true });
}

/** As `siteform validate` shows a warning; file names come from the directory, so shown escaped. */
function renderWarnings(diagnostics: readonly Diagnostic[], color: boolean): string {
  const c = pc.createColors(color);
  return diagnostics
    .map((d) => `${c.bold(`${safeText(d.file)}:${d.line}:${d.column}`)} ${c.yellow(c.bold("warning"))} ${safeText(d.message)}\n${d.hint === undefined ? "" : `  ${c.cyan("hint:")} ${safeText(d.hint)}\n`}`)
    .join("");
}

/** Removed lines red, added green, hunk headers cyan, when colour is wanted; the text itself is unchanged. */
function colorDiff(patch: string, color: boolean): string {
  if (!color) return patch;
  const c = pc.createColors(true);
  return patch
    .split("\n")
    .map((line) => {
      if (line.startsWith("---") || line.startsWith("+++")) return c.bold(line);
      if (line.startsWith("@@")) return c.cyan(line);
      if (line.startsWith("-")) return c.red(line);
      if (line.startsWith("+")) return c.green(line);
      return line;
    })
    .join("\n");
}
