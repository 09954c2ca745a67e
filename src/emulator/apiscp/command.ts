/**
 * `siteform emulator`: runs the ApisCP emulator in the foreground until Ctrl-C or SIGTERM, for
 * demos and for trying a client by hand. It turns flags into EmulatorOptions, prints where to
 * connect, and stops cleanly (state saved). This is the one place an API key is printed: it is
 * the emulator's own, made up for this session.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import type { Command } from "commander";
import {
  EmulatorOptionError,
  KnobError,
  StateFileError,
  knobsFromFlags,
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from "./server/index.js";
import type { CommandResult, RegisterCommand } from "../../cli/commands.js";
import { ExitError } from "../../cli/exit.js";
import type { CliIO } from "../../cli/io.js";

interface EmulatorFlags {
  listen: string;
  tls?: boolean;
  cert?: string;
  tlsKey?: string;
  state?: string;
  key?: string;
  latency: string[];
  fail: string[];
  drop: string[];
  null: string[];
  adminDisabled?: boolean;
  allowNonLoopback?: boolean;
  seed?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export const registerEmulator: RegisterCommand = (program: Command, io: CliIO, _result: CommandResult) => {
  program
    .command("emulator")
    .description("Run an ApisCP emulator (a SOAP server on loopback) in the foreground until Ctrl-C.")
    .option("--listen <address>", "HOST:PORT, [IPV6]:PORT or PORT to listen on (port 0 picks a free one)", "127.0.0.1:0")
    .option("--tls", "serve HTTPS with a self-signed certificate made at start")
    .option("--cert <file>", "serve HTTPS with this PEM certificate (with --tls-key)")
    .option("--tls-key <file>", "PEM private key for --cert")
    .option("--state <file>", "load the emulator's state from FILE if it exists; save it there after every change")
    .option("--key <key>", "the API key clients must send (64 hex digits); random when absent")
    .option("--latency <method=ms>", "delay answers to METHOD (or *) by MS milliseconds; repeatable", collect, [])
    .option("--fail <method=percent>", "fail PERCENT of METHOD calls without doing them (HTTP 503; add :reset or :fault for another form); repeatable", collect, [])
    .option("--drop <method=percent>", "do PERCENT of METHOD calls, then drop the connection unanswered; repeatable", collect, [])
    .option("--null <method=percent>", "do PERCENT of METHOD calls, then answer null; repeatable", collect, [])
    .option("--admin-disabled", "refuse admin_* calls, as a server with [auth] admin_api = false")
    .option("--allow-non-loopback", "allow --listen on an address other than loopback")
    .option("--seed <n>", "seed for the knobs' random choices (same seed, same misbehaviour)")
    .action(async (flags: EmulatorFlags) => {
      await runEmulator(flags, io);
    });
};

async function runEmulator(flags: EmulatorFlags, io: CliIO): Promise<void> {
  const options = await optionsFromFlags(flags, io);
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator(options);
  } catch (err) {
    throw asExitError(err, flags.listen);
  }
  // io.interrupted covers Ctrl-C; a service manager stops us with SIGTERM, which it does not.
  const terminated = new AbortController();
  const onTerm = (): void => terminated.abort();
  process.once("SIGTERM", onTerm);
  let caFile: CaFile | undefined;
  try {
    if (emulator.caCert !== undefined) caFile = await writeCaFile(emulator.caCert, flags.state, io.cwd);
    io.stdout(describe(emulator, caFile?.path, flags.state));
    await untilAborted(AbortSignal.any([io.interrupted, terminated.signal]));
  } finally {
    process.off("SIGTERM", onTerm);
    await emulator.stop();
    await caFile?.remove();
  }
  io.stdout(flags.state === undefined ? "emulator stopped\n" : `emulator stopped; state saved to ${flags.state}\n`);
}

async function optionsFromFlags(flags: EmulatorFlags, io: CliIO): Promise<EmulatorOptions> {
  const { host, port } = parseListen(flags.listen);
  let knobs;
  try {
    knobs = knobsFromFlags({ ...flags, adminDisabled: flags.adminDisabled ?? false });
  } catch (err) {
    if (err instanceof KnobError) throw new ExitError(err.message);
    throw err;
  }
  const options: EmulatorOptions = {
    host,
    port,
    knobs,
    allowNonLoopback: flags.allowNonLoopback ?? false,
    log: (line) => io.stderr(`${line}\n`),
  };
  if (flags.key !== undefined) options.key = flags.key;
  if (flags.state !== undefined) options.stateFile = resolve(io.cwd, flags.state);
  if (flags.seed !== undefined) {
    if (!/^\d+$/.test(flags.seed)) throw new ExitError(`--seed must be a non-negative integer, got '${flags.seed}'`);
    options.seed = Number(flags.seed);
  }
  if ((flags.cert === undefined) !== (flags.tlsKey === undefined)) {
    throw new ExitError("--cert and --tls-key go together: give both, or neither (--tls makes a certificate)");
  }
  if (flags.cert !== undefined && flags.tlsKey !== undefined) {
    options.tls = { cert: await readPem(io.cwd, flags.cert, "--cert"), key: await readPem(io.cwd, flags.tlsKey, "--tls-key") };
  } else if (flags.tls) {
    options.tls = true;
  }
  return options;
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
  if (err instanceof EmulatorOptionError || err instanceof StateFileError || err instanceof KnobError) {
    return new ExitError(err.message);
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") return new ExitError(`cannot listen on ${listen}: the address is already in use`);
  if (code === "EADDRNOTAVAIL" || code === "EACCES" || code === "ENOTFOUND") {
    return new ExitError(`cannot listen on ${listen}: ${(err as Error).message}`);
  }
  if (code?.startsWith("ERR_OSSL")) {
    return new ExitError(`the TLS certificate or key cannot be used: ${(err as Error).message}`);
  }
  return err;
}

interface CaFile {
  path: string;
  remove(): Promise<void>;
}

/**
 * Clients need the generated certificate as their CA file. Next to the state file it survives
 * the session (and is overwritten by the next start); otherwise it goes to a temporary
 * directory that is removed at stop.
 */
async function writeCaFile(pem: string, state: string | undefined, cwd: string): Promise<CaFile> {
  if (state !== undefined) {
    const statePath = resolve(cwd, state);
    const path = join(dirname(statePath), `${basename(statePath, extname(statePath))}-ca.pem`);
    await writeFile(path, pem);
    return { path, remove: async () => undefined };
  }
  const dir = await mkdtemp(join(tmpdir(), "siteform-emulator-"));
  const path = join(dir, "ca.pem");
  await writeFile(path, pem);
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}

function describe(emulator: RunningEmulator, caFile: string | undefined, state: string | undefined): string {
  const lines = [
    "ApisCP emulator running",
    `  endpoint: ${emulator.url}`,
    `  wsdl:     ${emulator.wsdlUrl}`,
    `  key:      ${emulator.key}`,
  ];
  if (caFile !== undefined) lines.push(`  ca file:  ${caFile}  (pass it to clients, e.g. --ca-file)`);
  if (state !== undefined) lines.push(`  state:    ${state}`);
  lines.push("Press Ctrl-C to stop.");
  return `${lines.join("\n")}\n`;
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((done) => signal.addEventListener("abort", () => done(), { once: true }));
}
