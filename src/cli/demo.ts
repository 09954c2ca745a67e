/**
 * `siteform demo`: siteform end to end on two emulated ApisCP servers, an emulated cPanel/WHM
 * server and an emulated BILLmanager, with no configuration and no network. It copies the example inventory to a temporary directory, points it at the
 * emulators, brings the servers to the inventory's state, lets them drift, and then runs the
 * real commands in-process: plan, apply, plan again (empty), drift.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { startFleet } from "../emulator/fleet.js";
import { DAY, driftServers, seedCancelledSite } from "../emulator/apiscp/demo-scenario.js";
import { driftBillmgrServer } from "../emulator/billmgr/demo-scenario.js";
import { driftWhmServer } from "../emulator/whm/demo-scenario.js";
import type { CommandResult, RegisterCommand } from "./commands.js";
import { ExitCode } from "./exit.js";
import type { CliIO } from "./io.js";

/**
 * The package's own directory, which holds the example inventory: found by walking up from this
 * module, so it is the same from the sources (src/cli/) and from the built bundle (dist/).
 */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "siteform.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find siteform's package directory, which holds the example inventory the demo runs on");
    dir = parent;
  }
}

export const registerDemo: RegisterCommand = (program: Command, io: CliIO, result: CommandResult) => {
  program
    .command("demo")
    .description("Run siteform end to end on emulated ApisCP, cPanel/WHM and BILLmanager servers (no configuration, no network).")
    .option("--keep", "keep the temporary inventory directory and print its path")
    .option("--serve", "afterwards keep the emulators running (until Ctrl-C) for the README's tutorial; implies --keep")
    .action(async (flags: { keep?: boolean; serve?: boolean }) => {
      result.exitCode = await runDemo(io, (flags.keep ?? false) || (flags.serve ?? false), flags.serve ?? false);
    });
};

async function runDemo(io: CliIO, keep: boolean, serve: boolean): Promise<number> {
  const { run } = await import("./main.js");
  const dir = await mkdtemp(join(tmpdir(), "siteform-demo-"));
  const fleet = await startFleet({ from: packageRoot(), to: join(dir, "inventory") });
  const say = (text: string): void => io.stdout(`${text}\n`);
  const step = (title: string): void => say(`\n━━━ ${title} ━━━\n`);
  const quiet: CliIO = { ...io, stdout: () => undefined, stderr: () => undefined, isTTY: false };
  const inFleet: CliIO = { ...io, cwd: fleet.dir, env: { ...io.env, ...fleet.env }, isTTY: false };
  const siteform = async (args: string[], via: CliIO = inFleet): Promise<number> => {
    if (via === inFleet) say(`$ siteform ${args.join(" ")}`);
    const code = await run(["node", "siteform", ...args], via);
    if (via === inFleet) say(`(exit code ${code})`);
    return code;
  };
  try {
    say("siteform demo: the example inventory (siteform.yaml, plans/, sites/, services/, licenses/) against two");
    say("emulated ApisCP servers, an emulated cPanel/WHM server and an emulated BILLmanager, on loopback over HTTPS:");
    for (const [name, emulator] of [...fleet.servers, ...fleet.whm, ...fleet.billmgr]) say(`  ${name} ${emulator.url}`);
    // Setting the scene happens two months ago, so that the cancelled site's grace period is over today.
    const now = (): number => Math.floor(Date.now() / 1000);
    fleet.setClock(() => now() - 60 * DAY);
    // Buying the backup server and the licence costs money: two paid actions, allowed by hand.
    const setup = await siteform(["apply", "--auto-approve", "--allow-paid", "2"], { ...quiet, cwd: fleet.dir, env: inFleet.env });
    if (setup !== ExitCode.ok) throw new Error(`setting up the demo servers failed (apply exit ${setup})`);
    const seeded = await seedCancelledSite(fleet);
    fleet.setClock(now);
    const drifted = [...(await driftServers(fleet)), ...(await driftWhmServer(fleet)), ...(await driftBillmgrServer(fleet))];
    step("1. The servers have drifted from git");
    for (const change of [seeded, ...drifted]) say(`  ${change.server}: ${change.what}`);
    step("2. Review: what would siteform change?");
    // The licence's renewal costs money: the reviewer allows exactly that one paid action.
    await siteform(["plan", "--detailed-exitcode", "--allow-paid", "1", "-o", "plan.json"]);
    step("3. Apply exactly the reviewed plan");
    const applied = await siteform(["apply", "plan.json", "--allow-paid", "1"]);
    step("4. Plan again: nothing left to do");
    const again = await siteform(["plan", "--detailed-exitcode"]);
    step("5. Drift report (what a scheduled job would open an issue for)");
    await siteform(["drift"]);
    say(applied === ExitCode.ok && again === ExitCode.ok ? "\nDemo finished: the servers match git." : "\nDemo finished with problems (see above).");
    if (serve) await serveUntilInterrupted(io, fleet.dir, fleet.env);
    return applied === ExitCode.ok && again === ExitCode.ok ? ExitCode.ok : ExitCode.error;
  } finally {
    await fleet.stop();
    if (keep) say(`inventory kept in ${fleet.dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

/** Leaves the servers up for the tutorial: how to reach them, then wait for Ctrl-C. */
async function serveUntilInterrupted(io: CliIO, dir: string, env: Readonly<Record<string, string>>): Promise<void> {
  // Keys never go to stdout, even made-up ones: they go to a file only the user can read.
  // Beside the inventory, not in it, so that committing the inventory cannot commit them.
  const envFile = join(dirname(dir), "demo.env");
  await writeFile(envFile, Object.entries(env).map(([name, value]) => `${name}=${value}\n`).join(""), { mode: 0o600 });
  io.stdout(`\nThe emulators keep running until Ctrl-C. In another shell, from this repository:\n\n`);
  io.stdout(`  export DEMO=${dir}\n`);
  io.stdout(`  set -a; . ${envFile}; set +a      # the servers' API keys\n`);
  io.stdout(`  npx siteform plan --dir "$DEMO"\n\n`);
  if (io.interrupted.aborted) return;
  await new Promise<void>((resolve) => io.interrupted.addEventListener("abort", () => resolve(), { once: true }));
}
