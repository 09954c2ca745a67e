/**
 * The contract between `siteform emulator` and each emulator's small CLI part: the command turns
 * the flags every emulator shares into LaunchSettings, the part adds its own flags, starts its
 * emulator and says what to print and which files clients need (a CA, a token). Panel-neutral:
 * the command never names a panel's methods, the part never parses a shared flag.
 */
import type { KnobFlags } from "./knobs.js";
import type { TlsOption } from "./tls.js";

export interface LaunchSettings {
  host: string;
  port: number;
  allowNonLoopback: boolean;
  tls: TlsOption;
  /** Absolute path of --state, if given. */
  stateFile?: string;
  seed?: number;
  /** The knob flags as given; the part parses them against its own method names. */
  knobFlags: KnobFlags;
  /** Where the emulator reports internal errors (stderr). */
  log: (line: string) => void;
  /** The environment, for flags that name a variable (never printed). */
  env: Readonly<Record<string, string | undefined>>;
}

/** A file clients need, written by the command: beside the state file when `keep`, else in a temporary directory removed at stop. */
export interface SideFile {
  /** The printed label, e.g. "ca file" or "token". */
  label: string;
  /** File name suffix: `STATE-<suffix>` beside the state file, or `<suffix>` in the temporary directory. */
  suffix: string;
  content: string;
  /** 0o600 for secrets. */
  mode: number;
  /** Kept beside the state file (when there is one) for the next run's clients; secrets are never kept. */
  keep: boolean;
  /** Printed after the path, e.g. "(pass it to clients, e.g. --ca-file)". */
  hint: (path: string) => string;
}

export interface LaunchedEmulator {
  /** The first line printed, e.g. "ApisCP emulator running". */
  title: string;
  /** `label: value` lines printed below it, in order (never a secret unless the panel's own way is to show it). */
  lines: readonly (readonly [string, string])[];
  files: readonly SideFile[];
  stop(): Promise<void>;
}

export interface EmulatorLauncher<Flags> {
  /** The value of --provider that selects it. */
  provider: string;
  /** Its own flags (commander's camelCase keys), refused with another provider. */
  ownFlags: readonly (keyof Flags & string)[];
  /** Starts the emulator; throws the emulators' option, knob and state-file errors (or ExitError) on bad input. */
  launch(settings: LaunchSettings, flags: Flags): Promise<LaunchedEmulator>;
}
