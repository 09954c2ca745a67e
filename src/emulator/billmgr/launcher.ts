/**
 * `siteform emulator --provider billmgr`: the BILLmanager emulator's part of the command. The
 * password is never printed: it comes from the variable --password-env names (so siteform can
 * read the same one), or is made up and written to a file only its owner can read, in a
 * temporary directory removed at stop; the command prints where.
 */
import { ExitError } from "../../cli/exit.js";
import { knobsFromFlags } from "../shared/knobs.js";
import type { EmulatorLauncher, LaunchedEmulator, LaunchSettings, SideFile } from "../shared/launch.js";
import { BILLMGR_KNOB_METHODS, startBillmgrEmulator, type BillmgrEmulatorOptions } from "./index.js";

export interface BillmgrLaunchFlags {
  user?: string;
  passwordEnv?: string;
  adminDisabled?: boolean;
}

export const billmgrLauncher: EmulatorLauncher<BillmgrLaunchFlags> = {
  provider: "billmgr",
  ownFlags: ["user", "passwordEnv"],
  async launch(settings: LaunchSettings, flags: BillmgrLaunchFlags): Promise<LaunchedEmulator> {
    const options: BillmgrEmulatorOptions = {
      host: settings.host,
      port: settings.port,
      knobs: knobsFromFlags({ ...settings.knobFlags, adminDisabled: flags.adminDisabled ?? false }, BILLMGR_KNOB_METHODS),
      allowNonLoopback: settings.allowNonLoopback,
      log: settings.log,
    };
    if (flags.user !== undefined) options.user = flags.user;
    if (flags.passwordEnv !== undefined) options.password = passwordFrom(flags.passwordEnv, settings.env);
    if (settings.stateFile !== undefined) options.stateFile = settings.stateFile;
    if (settings.seed !== undefined) options.seed = settings.seed;
    if (settings.tls !== undefined && settings.tls !== false) options.tls = settings.tls;
    const emulator = await startBillmgrEmulator(options);

    const files: SideFile[] = [];
    const lines: [string, string][] = [
      ["endpoint", emulator.url],
      ["user", emulator.user],
    ];
    if (flags.passwordEnv !== undefined) {
      lines.push(["password", `from $${flags.passwordEnv}`]);
    } else {
      files.push({
        label: "password",
        suffix: "password",
        content: `${emulator.password}\n`,
        mode: 0o600,
        keep: false,
        hint: (path) => `(removed at stop; for siteform: export BILLMGR_PASSWORD="$(cat ${path})")`,
      });
    }
    if (emulator.caCert !== undefined) {
      files.push({ label: "ca file", suffix: "ca.pem", content: emulator.caCert, mode: 0o644, keep: true, hint: () => "(pass it to clients, e.g. ca_file)" });
    }
    return { title: "BILLmanager emulator running", lines, files, stop: () => emulator.stop() };
  },
};

function passwordFrom(name: string, env: LaunchSettings["env"]): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new ExitError(`--password-env '${name}' is not an environment variable name (letters, digits and _, not starting with a digit)`);
  }
  const password = env[name];
  if (password === undefined || password === "") {
    throw new ExitError(`--password-env ${name}: the environment variable ${name} is not set; export it with the password clients will send`);
  }
  return password;
}
