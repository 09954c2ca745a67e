/**
 * Running the real CLI in-process against an emulated fleet: an inventory written from a map
 * of files, one emulator per server (startFleet), a CliIO that records what a user would see,
 * and the emulators' call counters to assert what was sent. Nothing above the wire is faked.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect } from "vitest";
import { startFleet, type EmulatedFleet, type FleetOptions } from "../../src/emulator/fleet.js";
import type { RunningEmulator } from "../../src/emulator/apiscp/server/index.js";
import type { RunningBillmgrEmulator } from "../../src/emulator/billmgr/index.js";
import type { RunningWhmEmulator } from "../../src/emulator/whm/index.js";
import { FUNCTIONS, isWhmFunction } from "../../src/providers/whm/functions.js";
import type { CliIO } from "../../src/cli/io.js";
import { run } from "../../src/cli/main.js";
import { METHODS } from "../../src/providers/apiscp/methods.js";
import type { SoapMap, SoapValue } from "../../src/providers/apiscp/wire/value.js";

export interface RecordingIO extends CliIO {
  readonly out: string[];
  readonly err: string[];
  stdoutText(): string;
  stderrText(): string;
}

export interface IOOptions {
  cwd: string;
  env: Record<string, string>;
  isTTY?: boolean;
  interrupted?: AbortSignal;
  forced?: AbortSignal;
  prompt?: (question: string) => Promise<string | null>;
  /** A terminal's hidden prompt (`password`); absent: stdin is not a terminal. */
  secret?: (question: string) => Promise<string | null>;
  /** What stdin holds when it is not a terminal: its first line, or null for none. */
  stdinLine?: () => Promise<string | null>;
}

export function recordingIO(options: IOOptions): RecordingIO {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    env: options.env,
    cwd: options.cwd,
    isTTY: options.isTTY ?? false,
    interrupted: options.interrupted ?? new AbortController().signal,
    forced: options.forced ?? new AbortController().signal,
    ...(options.prompt === undefined ? {} : { prompt: options.prompt }),
    ...(options.secret === undefined ? {} : { secret: options.secret }),
    ...(options.stdinLine === undefined ? {} : { stdinLine: options.stdinLine }),
    stdoutText: () => out.join(""),
    stderrText: () => err.join(""),
  };
}

/** stderr without the lines that tell which servers are being read (src/cli/read-progress.ts). */
export function withoutReadProgress(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => !/^(\S+Z )?(reading \d+ servers?: |read \S+: |still reading )/.test(line))
    .join("\n");
}

/** `siteform ARGS` as a user would type it, in-process. */
export function siteform(io: CliIO, ...args: string[]): Promise<number> {
  return run(["node", "siteform", ...args], io);
}

export interface TestFleet extends EmulatedFleet {
  /** The temporary directory holding the source inventory and the fleet's copy. */
  root: string;
  server(name: string): RunningEmulator;
  /** A recording IO in the fleet's inventory directory with its keys. */
  io(extra?: Partial<IOOptions>): RecordingIO;
  /** Runs siteform in the fleet's inventory; returns the exit code and what it printed. */
  cli(args: readonly string[], extra?: Partial<IOOptions>): Promise<{ code: number; stdout: string; stderr: string; io: RecordingIO }>;
  read(path: string): Promise<string>;
  write(path: string, text: string): Promise<void>;
  /** Stops the emulators and removes the temporary directory. */
  close(): Promise<void>;
}

/** Writes `files` (relative path → text) as an inventory and starts one emulator per server of its siteform.yaml. */
export async function startTestFleet(files: Readonly<Record<string, string>>, options: Omit<FleetOptions, "from" | "to"> = {}): Promise<TestFleet> {
  const root = await mkdtemp(join(tmpdir(), "siteform-cli-test-"));
  const source = join(root, "source");
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(source, path)), { recursive: true });
    await writeFile(join(source, path), text);
  }
  for (const dir of ["plans", "sites"]) await mkdir(join(source, dir), { recursive: true });
  const fleet = await startFleet({ tls: false, ...options, from: source, to: join(root, "inventory") });
  // Apply's per-server locks live with the fleet, so a test leaves nothing behind in the system's temporary directory.
  const io = (extra: Partial<IOOptions> = {}): RecordingIO => recordingIO({ cwd: fleet.dir, env: { ...fleet.env, SITEFORM_LOCK_DIR: join(root, "locks") }, ...extra });
  return {
    ...fleet,
    root,
    server(name) {
      const emulator = fleet.servers.get(name);
      if (emulator === undefined) throw new Error(`no emulated server ${name}`);
      return emulator;
    },
    io,
    async cli(args, extra) {
      const recorder = io(extra);
      const code = await siteform(recorder, ...args);
      return { code, stdout: recorder.stdoutText(), stderr: recorder.stderrText(), io: recorder };
    },
    read: (path) => readFile(join(fleet.dir, path), "utf8"),
    async write(path, text) {
      await mkdir(dirname(join(fleet.dir, path)), { recursive: true });
      await writeFile(join(fleet.dir, path), text);
    },
    async close() {
      await fleet.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Calls of methods that change a server, since start or the last `calls.reset()`. */
export function mutatingCalls(emulator: RunningEmulator): number {
  return Object.entries(emulator.calls.byMethod())
    .filter(([method]) => (METHODS as Record<string, { mutating: boolean } | undefined>)[method]?.mutating === true)
    .reduce((sum, [, n]) => sum + n, 0);
}

/** A fleet's WHM emulator by server name. */
export function whmServer(f: TestFleet, name: string): RunningWhmEmulator {
  const emulator = f.whm.get(name);
  if (emulator === undefined) throw new Error(`no WHM emulator for ${name}`);
  return emulator;
}

/** The calls that change something that a WHM emulator received. */
export function whmMutatingCalls(emulator: RunningWhmEmulator): number {
  return Object.entries(emulator.calls.byMethod())
    .filter(([name]) => isWhmFunction(name) && FUNCTIONS[name].mutating)
    .reduce((sum, [, n]) => sum + n, 0);
}

/** A fleet's BILLmanager emulator by server name. */
export function billmgrServer(f: TestFleet, name: string): RunningBillmgrEmulator {
  const emulator = f.billmgr.get(name);
  if (emulator === undefined) throw new Error(`no BILLmanager emulator for ${name}`);
  return emulator;
}

/** What a read-only command must leave as it was on a BILLmanager emulator: every service, every order and the balance. */
export function billmgrSnapshot(emulator: RunningBillmgrEmulator): string {
  return JSON.stringify({ services: emulator.services(), orders: emulator.orders(), balance: emulator.balance() });
}

const now = (): number => Math.floor(Date.now() / 1000);

/** Calls the emulator's API in-process (as a panel admin would by hand), bypassing siteform. */
export function invoke(emulator: RunningEmulator, method: string, ...args: SoapValue[]): SoapValue {
  return emulator.api.invoke(method, args, { now: now() });
}

/** As `invoke`, `daysAgo` days in the past (a suspension that is old by now). */
export function invokeDaysAgo(emulator: RunningEmulator, daysAgo: number, method: string, ...args: SoapValue[]): SoapValue {
  return emulator.api.invoke(method, args, { now: now() - daysAgo * 86_400 });
}

/** Adds a site by hand on the server, with `siteinfo.plan` from opts (basic when absent). */
export function addSite(emulator: RunningEmulator, domain: string, admin: string, opts: SoapMap = {}): void {
  const plan = opts["siteinfo.plan"];
  invoke(emulator, "admin_add_site", domain, admin, opts, { plan: typeof plan === "string" ? plan : "basic" });
}

/** Every site on the server as admin_collect reports it (`siteN` → services), with the given fields. */
export function collectSites(emulator: RunningEmulator, fields: readonly string[] = ["siteinfo.domain"]): Record<string, SoapMap> {
  return invoke(emulator, "admin_collect", [...fields], null, null) as Record<string, SoapMap>;
}

/** The domains on the server, sorted. */
export function domainsOn(emulator: RunningEmulator): string[] {
  return Object.values(collectSites(emulator))
    .map((row) => String(row.domain))
    .sort();
}

/** Waits until `check` is true, polling; throws after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** siteform.yaml with one ApisCP server, s1 (the fleet points its URL at an emulator). */
export const ONE_SERVER_CONFIG = `servers:
  s1:
    url: http://127.0.0.1:1/soap
    key_env: S1_APISCP_KEY
`;

/** siteform.yaml with two ApisCP servers, s1 and s2 (the fleet points both URLs at emulators). */
export const TWO_SERVERS_CONFIG = `servers:
  s1:
    url: http://127.0.0.1:1/soap
    key_env: S1_APISCP_KEY
  s2:
    url: http://127.0.0.1:1/soap
    key_env: S2_APISCP_KEY
`;

/** A repository plan and a site several CLI tests start from (server s1). */
export const SMALL_PLAN_YAML = `apiscp_plan: starter
services:
  diskquota:
    quota: 2
`;

/** A site file on the plan `small`: `NAME.example`, admin user NAME, owned by owner@NAME.example, with an invoice if given. */
export function siteYaml(name: string, server = "s1", invoice?: string): string {
  return `domain: ${name}.example\nserver: ${server}\nadmin_user: ${name}\nemail: owner@${name}.example\nplan: small\n${invoice === undefined ? "" : `invoice: ${invoice}\n`}`;
}

export const ALPHA_SITE_YAML = siteYaml("alpha", "s1", "INV-1");

/** siteform.yaml with one WHM server `cp1`; the fleet points its URL at the emulator and fills both variables. */
export const WHM_CONFIG = `servers:
  cp1:
    provider: whm
    url: http://127.0.0.1:1
    key_env: CP1_WHM_TOKEN
    user_env: CP1_WHM_USER
`;

/** siteform.yaml with one BILLmanager server `bm1` allowed one paid op; the fleet points its URL at the emulator and fills both variables. */
export const BILLMGR_CONFIG = `servers:
  bm1:
    provider: billmgr
    url: http://127.0.0.1:1
    key_env: BM1_PASSWORD
    user_env: BM1_USER
policy:
  max_paid_ops: 1
`;

/** The text of every file under `dir`, joined: what a leak check searches. */
export async function everyFile(dir: string): Promise<string> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(names.filter((d) => d.isFile()).map((d) => readFile(join(d.parentPath, d.name), "utf8")));
  return texts.join("\n");
}

const BIN = fileURLToPath(new URL("../../bin/siteform.js", import.meta.url));

/**
 * What a leak check searches after a secret (a login session, a password) came into being: the
 * output of every other command run on `resource` afterwards (plan, drift, list, usage, show,
 * apply with its journal, log and report, and `extra`), in this process, where the secret is
 * known, and in a fresh one, where it is not; then every file in the inventory directory.
 * Each command must end without an error.
 */
export async function everythingAfter(f: TestFleet, resource: string, extra: readonly string[][] = []): Promise<{ outputs: string; files: string }> {
  const runs: string[][] = [
    ["plan", "--format", "json", "-o", "plan.json"],
    ["--log-format", "json", "plan", "--format", "markdown"],
    ["drift", "--format", "json"],
    ["list", "--format", "json"],
    ["--log-format", "json", "usage", "--format", "json"],
    ["usage", "--format", "markdown", "--over", "1"],
    ["show", resource],
    ["--log-format", "json", "show", resource, "--format", "json"],
    ["show", "plan.json"],
    ["apply", "plan.json", "--journal", "journal.jsonl", "--log-file", "apply.log", "--report-file", "report.json"],
    ...extra,
  ];
  const outputs: string[] = [];
  for (const args of runs) {
    const r = await f.cli(args);
    expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBeLessThan(3);
    outputs.push(r.stdout, r.stderr);
  }
  const child = await promisify(execFile)(process.execPath, [BIN, "--log-format", "json", "show", resource, "--format", "json"], { cwd: f.dir, env: { ...process.env, ...f.env } });
  outputs.push(child.stdout, child.stderr);
  return { outputs: outputs.join("\n"), files: await everyFile(f.dir) };
}
