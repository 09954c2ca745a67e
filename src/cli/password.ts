/**
 * `siteform password RESOURCE`: sets the password of a resource's login (or `--user`'s). The
 * password is typed twice at a terminal prompt that does not echo it, or piped in on stdin (the
 * first line); never taken from the command line (shell history, process lists, CI logs) or the
 * environment. It is registered as a secret the moment it is read, so every output masks it;
 * nothing of it is stored or printed. A panel's refusal (a weak password) is shown in the panel's
 * own words.
 */
import { Option, type Command } from "commander";
import { KnownKeys, rememberKnownKeys } from "../inventory/known-keys.js";
import { ProviderError } from "../providers/provider.js";
import { safeText } from "../render/format-value.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode, ExitError, InterruptedError } from "./exit.js";
import type { CliIO } from "./io.js";
import { action, namedResourceCommand, onNamedResource, onServer, resourceOn, tell, type ResourceFlags } from "./named-resource.js";
import { logFormatOf } from "./output.js";

interface PasswordFlags extends ResourceFlags {
  user?: string;
  /** Declared only to refuse it without echoing what followed it. */
  password?: string;
}

export const registerPassword: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  namedResourceCommand(program.command("password"))
    .description("Set the password of a resource's login: typed twice at a prompt that does not echo it, or the first line of stdin. Never from the command line.")
    .option("--user <user>", "set this user's password (default: the resource's own login)")
    .addOption(new Option("--password <password>").hideHelp())
    .action(async (resource: string, flags: PasswordFlags) => {
      result.exitCode = await runPassword(resource, flags, io);
    });
};

async function runPassword(name: string, flags: PasswordFlags, io: CliIO): Promise<number> {
  if (flags.password !== undefined) {
    throw new ExitError("siteform never takes a password on the command line (it would stay in shell history and process lists): type it at the prompt, or pipe it on stdin");
  }
  const done = await onNamedResource(name, flags, io, async (found) => {
    const { ref, provider } = onServer(found, "set the password of");
    const setPassword = action(provider, found.resource, "setPassword", "password change");
    // Asked only once the resource is known: a mistyped name costs no typing.
    const password = await readPassword(io, `${found.resource.name} on ${found.resource.server}`);
    rememberKnownKeys(new KnownKeys([{ server: found.resource.server, variable: "the new password", value: password }]));
    try {
      await setPassword(ref, { user: flags.user ?? null, password });
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      if (io.interrupted.aborted) throw new InterruptedError("the password may or may not have changed: set it again");
      const maybe = err.kind === "unknown-outcome" ? "\n  hint: the answer was lost, so the password may or may not have changed: set it again" : "";
      throw new ExitError(`${err.message}${maybe}`);
    }
    const who = flags.user === undefined ? "its login" : `user ${safeText(flags.user)}`;
    io.stdout(`Password of ${who} set for ${resourceOn(found.resource)}.\n`);
    if (logFormatOf(io) === "json") tell(io, `password set for ${resourceOn(found.resource)}`, { event: "password-set", server: found.resource.server, kind: ref.kind, id: ref.id, name: ref.name, user: flags.user ?? null });
    return true;
  });
  return done === null ? ExitCode.error : ExitCode.ok;
}

/** Typed twice at a terminal, else the first line of stdin; an ExitError when there is none or the two differ. */
async function readPassword(io: CliIO, name: string): Promise<string> {
  const first = io.secret === undefined ? null : await io.secret(`New password for ${safeText(name)}: `);
  if (io.interrupted.aborted) throw new InterruptedError("nothing was changed");
  if (first !== null) {
    const again = await io.secret?.("Again: ");
    if (io.interrupted.aborted) throw new InterruptedError("nothing was changed");
    if (again !== first) throw new ExitError("the two passwords differ: nothing was changed");
    return nonEmpty(first);
  }
  const piped = io.stdinLine === undefined ? null : await io.stdinLine();
  if (piped === null) throw new ExitError("no password given: type it at a terminal, or pipe it on stdin (one line); siteform never takes one from the command line");
  return nonEmpty(piped);
}

function nonEmpty(password: string): string {
  if (password === "") throw new ExitError("the password is empty: nothing was changed");
  return password;
}
