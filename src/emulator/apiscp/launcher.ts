/**
 * `siteform emulator --provider apiscp` (the default): the ApisCP emulator's part of the command,
 * its own flags (--key, --admin-disabled) and what it prints. Printing the key is this
 * emulator's way: it is made up for the session (or given by the user) and guards nothing real.
 */
import type { EmulatorLauncher, LaunchedEmulator, LaunchSettings } from "../shared/launch.js";
import { knobsFromFlags, startEmulator, type EmulatorOptions } from "./server/index.js";

export interface ApiscpLaunchFlags {
  key?: string;
  adminDisabled?: boolean;
}

export const apiscpLauncher: EmulatorLauncher<ApiscpLaunchFlags> = {
  provider: "apiscp",
  ownFlags: ["key"],
  async launch(settings: LaunchSettings, flags: ApiscpLaunchFlags): Promise<LaunchedEmulator> {
    const options: EmulatorOptions = {
      host: settings.host,
      port: settings.port,
      knobs: knobsFromFlags({ ...settings.knobFlags, adminDisabled: flags.adminDisabled ?? false }),
      allowNonLoopback: settings.allowNonLoopback,
      log: settings.log,
    };
    if (flags.key !== undefined) options.key = flags.key;
    if (settings.stateFile !== undefined) options.stateFile = settings.stateFile;
    if (settings.seed !== undefined) options.seed = settings.seed;
    if (settings.tls !== undefined && settings.tls !== false) options.tls = settings.tls;
    const emulator = await startEmulator(options);
    return {
      title: "ApisCP emulator running",
      lines: [
        ["endpoint", emulator.url],
        ["wsdl", emulator.wsdlUrl],
        ["key", emulator.key],
      ],
      files:
        emulator.caCert === undefined
          ? []
          : [{ label: "ca file", suffix: "ca.pem", content: emulator.caCert, mode: 0o644, keep: true, hint: () => "(pass it to clients, e.g. --ca-file)" }],
      stop: () => emulator.stop(),
    };
  },
};
