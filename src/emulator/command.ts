/**
 * `siteform emulator`: runs a panel emulator in the foreground until Ctrl-C or SIGTERM, for demos
 * and for trying a client by hand. `--provider` picks the emulator (ApisCP by default, WHM or BILLmanager);
 * this file owns what every emulator shares (listen address, TLS, state file, knob flags, seed,
 * the files clients need, printing, stopping cleanly with the state saved) and each emulator's
 * launcher (emulator/<provider>/launcher.ts) owns its own flags and what it prints.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import type { Command } from "commander";
import type { CommandResult, RegisterCommand } from "../cli/commands.js";
import { ExitError } from "../cli/exit.js";
import type { CliIO } from "../cli/io.js";
import { apiscpLauncher, type ApiscpLaunchFlags } from "./apiscp/launcher.js";
import { billmgrLauncher, type BillmgrLaunchFlags } from "./billmgr/launcher.js";
import { EmulatorOptionError } from "./shared/host.js";
import { describeKnobFlags } from "./shared/knob-text.js";
import { KnobError } from "./shared/knobs.js";
import type { EmulatorLauncher, LaunchedEmulator, LaunchSettings, SideFile } from "./shared/launch.js";
import { StateFileError } from "./shared/statefile.js";
import type { TlsOption } from "./shared/tls.js";
import { whmLauncher, type WhmLaunchFlags } from "./whm/launcher.js";

interface EmulatorFlags extends ApiscpLaunchFlags, WhmLaunchFlags, BillmgrLaunchFlags {
  provider: string;
  listen: string;
  tls?: boolean;
  cert?: string;
  tlsKey?: string;
  state?: string;
  latency: string[];
  fail: string[];
  drop: string[];
  null: string[];
  allowNonLoopback?: boolean;
  seed?: string;
}

const LAUNCHERS: readonly EmulatorLauncher<EmulatorFlags>[] = [apiscpLauncher, whmLauncher, billmgrLauncher];

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** How a knob's share of calls is written, for --help. */
const P_HELP = "P is a probability (0.5) or a percentage (50%)";

export const registerEmulator: RegisterCommand = (program: Command, io: CliIO, _result: CommandResult) => {
  program
    .command("emulator")
    .description("Run a panel emulator (ApisCP by default, WHM or BILLmanager) on loopback in the foreground until Ctrl-C.")
    .option("--provider <name>", `which panel to emulate: ${LAUNCHERS.map((l) => l.provider).join(" or ")}`, "apiscp")
    .option("--listen <address>", "HOST:PORT, [IPV6]:PORT or PORT to listen on (port 0 picks a free one)", "127.0.0.1:0")
    .option("--tls", "serve HTTPS with a self-signed certificate made at start")
    .option("--cert <file>", "serve HTTPS with this PEM certificate (with --tls-key)")
    .option("--tls-key <file>", "PEM private key for --cert")
    .option("--state <file>", "load the emulator's state from FILE if it exists; save it there after every change")
    .option("--key <key>", "apiscp: the API key clients must send (64 hex digits); random when absent")
    .option("--user <name>", "whm: the WHM user clients authenticate as (default root); billmgr: the BILLmanager user (default reseller)")
    .option("--token-env <name>", "whm: take the API token from this environment variable; otherwise one is made up and written to a private file")
    .option("--password-env <name>", "billmgr: take the user's password from this environment variable; otherwise one is made up and written to a private file")
    .option("--latency <method=ms>", "delay answers to METHOD (or *) by MS milliseconds; repeatable", collect, [])
    .option("--fail <method=p>", `fail P of METHOD calls without doing them (HTTP 503; add :reset or :fault for another form); ${P_HELP}; repeatable`, collect, [])
    .option("--drop <method=p>", `do P of METHOD calls, then drop the connection unanswered; ${P_HELP}; repeatable`, collect, [])
    .option("--null <method=p>", `do P of METHOD calls, then answer with nothing; ${P_HELP}; repeatable`, collect, [])
    .option("--admin-disabled", "the credentials lack administrative privileges (apiscp: the admin API is off; whm: the token may only call version; billmgr: suspend and resume are refused)")
    .option("--allow-non-loopback", "allow --listen on an address other than loopback")
    .option("--seed <n>", "seed for the knobs' random choices (same seed, same misbehaviour)")
    .action(async (flags: EmulatorFlags) => {
      await runEmulator(flags, io);
    });
};

async function runEmulator(flags: EmulatorFlags, io: CliIO): Promise<void> {
  const launcher = launcherFor(flags);
  const settings = await settingsFromFlags(flags, io);
  let emulator: LaunchedEmulator;
  try {
    emulator = await launcher.launch(settings, flags);
  } catch (err) {
    throw asExitError(err, flags.listen);
  }
  // io.interrupted covers Ctrl-C; a service manager stops us with SIGTERM, which it does not.
  const terminated = new AbortController();
  const onTerm = (): void => terminated.abort();
  process.once("SIGTERM", onTerm);
  const files = new SideFiles(flags.state === undefined ? undefined : resolve(io.cwd, flags.state));
  try {
    const written: [SideFile, string][] = [];
    for (const file of emulator.files) written.push([file, await files.write(file)]);
    io.stdout(describe(emulator, written, flags.state, faultLines(settings, flags)));
    await untilAborted(AbortSignal.any([io.interrupted, terminated.signal]));
  } finally {
    process.off("SIGTERM", onTerm);
    await emulator.stop();
    await files.removeTemporary();
  }
  io.stdout(flags.state === undefined ? "emulator stopped\n" : `emulator stopped; state saved to ${flags.state}\n`);
}

function launcherFor(flags: EmulatorFlags): EmulatorLauncher<EmulatorFlags> {
  const launcher = LAUNCHERS.find((l) => l.provider === flags.provider);
  if (!launcher) {
    throw new ExitError(`--provider '${flags.provider}' is not an emulator siteform has; use ${LAUNCHERS.map((l) => l.provider).join(" or ")}`);
  }
  for (const other of LAUNCHERS) {
    if (other === launcher) continue;
    for (const key of other.ownFlags) {
      // A flag two emulators share (--user) belongs to the chosen one too.
      if (flags[key] !== undefined && !launcher.ownFlags.includes(key)) {
        throw new ExitError(`${flagName(key)} is for --provider ${other.provider}, not ${launcher.provider}`);
      }
    }
  }
  return launcher;
}

/** `tokenEnv` → `--token-env`. */
function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

async function settingsFromFlags(flags: EmulatorFlags, io: CliIO): Promise<LaunchSettings> {
  const { host, port } = parseListen(flags.listen);
  const settings: LaunchSettings = {
    host,
    port,
    allowNonLoopback: flags.allowNonLoopback ?? false,
    tls: await tlsFromFlags(flags, io.cwd),
    knobFlags: { latency: flags.latency, fail: flags.fail, drop: flags.drop, null: flags.null },
    log: (line) => io.stderr(`${line}\n`),
    env: io.env,
  };
  if (flags.state !== undefined) settings.stateFile = resolve(io.cwd, flags.state);
  if (flags.seed !== undefined) {
    if (!/^\d+$/.test(flags.seed)) throw new ExitError(`--seed must be a non-negative integer, got '${flags.seed}'`);
    settings.seed = Number(flags.seed);
  }
  return settings;
}

async function tlsFromFlags(flags: EmulatorFlags, cwd: string): Promise<TlsOption> {
  if ((flags.cert === undefined) !== (flags.tlsKey === undefined)) {
    throw new ExitError("--cert and --tls-key go together: give both, or neither (--tls makes a certificate)");
  }
  if (flags.cert !== undefined && flags.tlsKey !== undefined) {
    return { cert: await readPem(cwd, flags.cert, "--cert"), key: await readPem(cwd, flags.tlsKey, "--tls-key") };
  }
  return flags.tls ? true : undefined;
}

/** `127.0.0.1:2082`, `[::1]:2082`, `localhost:0` or a bare port. */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]:|([^:[\]]+):)?(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new ExitError(`--listen '${text}' must be HOST:PORT, [IPV6]:PORT or PORT (for example 127.0.0.1:2082)`);
  }
  return { host: match[1] ?? match[2] ?? "127.0.0.1", port };
}

async function readPem(cwd: string, file: string, flag: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), "utf8");
  } catch (err) {
    throw new ExitError(`${flag}: cannot read ${file}: ${(err as Error).message}`);
  }
}

function asExitError(err: unknown, listen: string): unknown {
  if (err instanceof ExitError) return err;
  if (err instanceof EmulatorOptionError || err instanceof StateFileError || err instanceof KnobError) {
    return new ExitError(err.message);
  }
  const raw = (err as NodeJS.ErrnoException).code;
  const code = typeof raw === "string" ? raw : undefined;
  if (code === "EADDRINUSE") return new ExitError(`cannot listen on ${listen}: the address is already in use`);
  if (code === "EADDRNOTAVAIL" || code === "EACCES" || code === "ENOTFOUND") {
    return new ExitError(`cannot listen on ${listen}: ${(err as Error).message}`);
  }
  if (code?.startsWith("ERR_OSSL")) {
    return new ExitError(`the TLS certificate or key cannot be used: ${(err as Error).message}`);
  }
  return err;
}

/**
 * The files clients need. One that is kept goes beside the state file (`STATE-<suffix>`) and is
 * overwritten by the next start; the others (and all of them without a state file) go to one
 * private temporary directory that is removed at stop.
 */
class SideFiles {
  private temporary: string | undefined;

  constructor(private readonly statePath: string | undefined) {}

  async write(file: SideFile): Promise<string> {
    let path: string;
    if (file.keep && this.statePath !== undefined) {
      path = join(dirname(this.statePath), `${basename(this.statePath, extname(this.statePath))}-${file.suffix}`);
    } else {
      this.temporary ??= await mkdtemp(join(tmpdir(), "siteform-emulator-"));
      path = join(this.temporary, file.suffix);
    }
    await writeFile(path, file.content, { mode: file.mode });
    await chmod(path, file.mode); // an existing file keeps its old mode through writeFile
    return path;
  }

  async removeTemporary(): Promise<void> {
    if (this.temporary !== undefined) await rm(this.temporary, { recursive: true, force: true });
  }
}

/**
 * The knobs in effect, in words: a misread value (`0.5` taken for half a per cent) shows at
 * once. The launcher has already checked the flags against its panel's methods.
 */
function faultLines(settings: LaunchSettings, flags: EmulatorFlags): string[] {
  return describeKnobFlags({ ...settings.knobFlags, adminDisabled: flags.adminDisabled ?? false }, settings.seed);
}

function describe(emulator: LaunchedEmulator, files: readonly [SideFile, string][], state: string | undefined, faults: readonly string[]): string {
  const line = (label: string, value: string): string => `  ${(label === "" ? "" : `${label}:`).padEnd(10)}${value}`;
  const lines = [emulator.title, ...emulator.lines.map(([label, value]) => line(label, value))];
  for (const [file, path] of files) lines.push(line(file.label, `${path}  ${file.hint(path)}`));
  if (state !== undefined) lines.push(line("state", state));
  faults.forEach((fault, i) => lines.push(line(i === 0 ? "faults" : "", fault)));
  lines.push("Press Ctrl-C to stop.");
  return `${lines.join("\n")}\n`;
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((done) => signal.addEventListener("abort", () => done(), { once: true }));
}
