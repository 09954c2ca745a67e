/**
 * `siteform emulator --provider whm`: the WHM emulator's part of the command. The token is never
 * printed: it comes from the variable --token-env names (so siteform can read the same one), or
 * is made up and written to a file only its owner can read, in a temporary directory removed at
 * stop; the command prints where.
 */
import { ExitError } from "../../cli/exit.js";
import { knobsFromFlags } from "../shared/knobs.js";
import type { EmulatorLauncher, LaunchedEmulator, LaunchSettings, SideFile } from "../shared/launch.js";
import { startWhmEmulator, WHM_KNOB_METHODS, type WhmEmulatorOptions } from "./index.js";

export interface WhmLaunchFlags {
  user?: string;
  tokenEnv?: string;
  adminDisabled?: boolean;
}

export const whmLauncher: EmulatorLauncher<WhmLaunchFlags> = {
  provider: "whm",
  ownFlags: ["user", "tokenEnv"],
  async launch(settings: LaunchSettings, flags: WhmLaunchFlags): Promise<LaunchedEmulator> {
    const options: WhmEmulatorOptions = {
      host: settings.host,
      port: settings.port,
      knobs: knobsFromFlags({ ...settings.knobFlags, adminDisabled: flags.adminDisabled ?? false }, WHM_KNOB_METHODS),
      allowNonLoopback: settings.allowNonLoopback,
      log: settings.log,
    };
    if (flags.user !== undefined) options.user = flags.user;
    if (flags.tokenEnv !== undefined) options.token = tokenFrom(flags.tokenEnv, settings.env);
    if (settings.stateFile !== undefined) options.stateFile = settings.stateFile;
    if (settings.seed !== undefined) options.seed = settings.seed;
    if (settings.tls !== undefined && settings.tls !== false) options.tls = settings.tls;
    const emulator = await startWhmEmulator(options);

    const files: SideFile[] = [];
    const lines: [string, string][] = [
      ["endpoint", emulator.url],
      ["user", emulator.user],
    ];
    if (flags.tokenEnv !== undefined) {
      lines.push(["token", `from $${flags.tokenEnv}`]);
    } else {
      files.push({
        label: "token",
        suffix: "token",
        content: `${emulator.token}\n`,
        mode: 0o600,
        keep: false,
        hint: (path) => `(removed at stop; for siteform: export WHM_TOKEN="$(cat ${path})")`,
      });
    }
    if (emulator.caCert !== undefined) {
      files.push({ label: "ca file", suffix: "ca.pem", content: emulator.caCert, mode: 0o644, keep: true, hint: () => "(pass it to clients, e.g. ca_file)" });
    }
    return { title: "WHM emulator running", lines, files, stop: () => emulator.stop() };
  },
};

function tokenFrom(name: string, env: LaunchSettings["env"]): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new ExitError(`--token-env '${name}' is not an environment variable name (letters, digits and _, not starting with a digit)`);
  }
  const token = env[name];
  if (token === undefined || token === "") {
    throw new ExitError(`--token-env ${name}: the environment variable ${name} is not set; export it with the token clients will send`);
  }
  return token;
}
