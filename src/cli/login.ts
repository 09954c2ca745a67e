/**
 * `siteform login RESOURCE`: a one-time URL that signs into the resource's panel (as its own
 * login, or `--user`), opening `--app`. The URL is a credential: it goes to stdout only when
 * stdout is a terminal or `--print` says so, it is never logged or put in a report, and its
 * secret part is registered so that every other output masks it. Nothing else changes.
 */
import type { Command } from "commander";
import { KnownKeys, rememberKnownKeys } from "../inventory/known-keys.js";
import { ProviderError } from "../providers/provider.js";
import { safeText } from "../render/format-value.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode, ExitError } from "./exit.js";
import type { CliIO } from "./io.js";
import { action, namedResourceCommand, onNamedResource, onServer, resourceOn, tell, type ResourceFlags } from "./named-resource.js";

interface LoginFlags extends ResourceFlags {
  user?: string;
  app?: string;
  print?: boolean;
}

export const registerLogin: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  namedResourceCommand(program.command("login"))
    .description("Print a one-time URL that signs into a resource's panel (single sign-on). The URL is a credential: printed only to a terminal, or with --print.")
    .option("--user <user>", "sign in as this user (default: the resource's own login)")
    .option("--app <app>", "open this panel app (for example filemanager; `siteform show RESOURCE` lists the deep links)")
    .option("--print", "print the URL even when stdout is not a terminal (a pipe, a file, a CI log): keep it out of logs")
    .action(async (resource: string, flags: LoginFlags) => {
      result.exitCode = await runLogin(resource, flags, io);
    });
};

async function runLogin(name: string, flags: LoginFlags, io: CliIO): Promise<number> {
  // Before anything is asked of a panel: a session made for nowhere to go is a credential lying about.
  if (!io.isTTY && flags.print !== true) {
    throw new ExitError("the login URL is a credential, and stdout is not a terminal: add --print to print it anyway (and keep it out of logs)");
  }
  const done = await onNamedResource(name, flags, io, async (found) => {
    const { ref, provider } = onServer(found, "sign in to");
    const login = action(provider, found.resource, "login", "single sign-on");
    let link;
    try {
      link = await login(ref, { user: flags.user ?? null, app: flags.app ?? null });
    } catch (err) {
      if (err instanceof ProviderError) throw new ExitError(err.message);
      throw err;
    }
    // From here on every other output masks the session; the URL itself is written as it is.
    const secrets = [link.url, ...(link.secret === undefined ? [] : [link.secret])];
    rememberKnownKeys(new KnownKeys(secrets.map((value) => ({ server: found.resource.server, variable: "a login session", value }))));
    (io.credential ?? io.stdout)(`${link.url}\n`);
    tell(io, `login URL for ${resourceOn(found.resource)}${flags.user === undefined ? "" : ` as ${safeText(flags.user)}`}${link.expires === null ? "" : `, valid until ${link.expires}`}: it signs in once; treat it as a password`, {
      event: "login-issued",
      server: found.resource.server,
      kind: found.resource.kind,
      id: ref.id,
      name: ref.name,
      user: flags.user ?? null,
      app: flags.app ?? null,
    });
    return true;
  });
  return done === null ? ExitCode.error : ExitCode.ok;
}
